// Two machines (here two processes) opening the same new project at the same moment make one
// project, not two: in PostgreSQL two checkouts at different paths (the project is the plan's name
// there), in SQLite two processes opening a new state folder beside one plan. Each round a new
// project is asked of both processes at once; every round must give both the same id and leave one
// project of that name.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PgDatabase } from '../../../src/store/postgres/pgDatabase';
import { Store } from '../../../src/store/store';
import { tempDir } from '../../unit/helpers/repoRoot';
import { usePostgres } from '../distributed/cluster';
import { exited } from '../engine/maildirFixture';

const ROUNDS = 40;

interface Opener {
  child: ChildProcess;
  ask(request: object): Promise<{ id?: number; error?: string }>;
}

function opener(): Opener {
  const child = spawn(process.execPath, [path.join(__dirname, 'openProjectChild.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers: ((line: string) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => answers.shift()?.(line));
  return {
    child,
    ask: (request) =>
      new Promise((resolve) => {
        answers.push((line) => resolve(JSON.parse(line) as { id?: number; error?: string }));
        child.stdin!.write(`${JSON.stringify(request)}\n`);
      }),
  };
}

function planAt(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(file, `version: 1\nproject: { name: ${JSON.stringify(name)} }\n`);
  return file;
}

describe('opening the same new project from two processes at once makes one project', function () {
  this.timeout(180_000);
  let openers: Opener[] = [];
  beforeEach(() => {
    openers = [opener(), opener()];
  });
  afterEach(async () => {
    for (const o of openers) {
      o.child.stdin!.end();
      if (o.child.exitCode === null && o.child.signalCode === null) o.child.kill('SIGKILL');
      await exited(o.child);
    }
  });

  it(`SQLite: two processes open a new state folder beside one plan, ${ROUNDS} times`, async () => {
    const root = tempDir('project-race-sqlite');
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(root, `r${round}`);
      const planFile = planAt(dir, `Race ${round}`);
      const request = { kind: 'sqlite', dir: path.join(dir, '.ferry'), planFile, name: `Race ${round}` };
      const answers = await Promise.all(openers.map((o) => o.ask(request)));
      assert.deepEqual(answers.map((a) => a.error), [undefined, undefined], `round ${round}: ${JSON.stringify(answers)}`);
      assert.equal(answers[0].id, answers[1].id, `round ${round}: ${JSON.stringify(answers)}`);
      const store = Store.open(path.join(dir, '.ferry'), { quick: true });
      try {
        assert.equal(store.batches.listProjects().length, 1, `round ${round}: one project`);
      } finally {
        store.close();
      }
    }
  });

  describe('PostgreSQL', () => {
    const pg = usePostgres();

    it(`two checkouts of a plan at different paths open its new project at once, ${ROUNDS} times`, async () => {
      const url = pg.server.createDatabase(`race_${process.pid}`);
      const root = tempDir('project-race-pg');
      // The schema exists first: this is about the project rows, not the migrations (locked apart).
      Store.openShared(url).close();
      for (let round = 0; round < ROUNDS; round++) {
        const name = `Race ${round}`;
        const answers = await Promise.all(openers.map((o, i) => o.ask({ kind: 'postgres', url, planFile: planAt(path.join(root, `machine-${i}`, `r${round}`), name), name })));
        assert.deepEqual(answers.map((a) => a.error), [undefined, undefined], `round ${round}: ${JSON.stringify(answers)}`);
        assert.equal(answers[0].id, answers[1].id, `round ${round}: one project for both machines: ${JSON.stringify(answers)}`);
      }
      const db = PgDatabase.open(url);
      try {
        const duplicated = db.all('SELECT name, COUNT(*) AS n FROM projects GROUP BY name HAVING COUNT(*) > 1');
        assert.deepEqual(duplicated, [], 'a project made twice');
        assert.equal(db.all('SELECT id FROM projects').length, ROUNDS);
      } finally {
        db.close();
      }
    });
  });
});
