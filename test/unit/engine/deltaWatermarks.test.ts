// A delta of a large folder asks the store about the items the source reports, a run at a time,
// and reads the folder's watermark ids a page at a time (issue 17): no statement of the delta
// returns every watermark of the folder, and it still finds every flag change, deletion and new
// message (Maildir, whose changes are a complete scan of the folder: the hardest case).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { StateDatabase } from '../../../src/store/database';
import { maildirProject } from '../runner/runnerFixture';

const MESSAGES = 4500;
const io = (cwd: string, out: string[] = []): CliIo => ({ cwd, env: {}, out: (t) => out.push(t), err: () => undefined });

/** Runs `work` while counting the rows each statement of the state database returns; the largest count. */
async function largestAnswer(work: () => Promise<unknown>): Promise<number> {
  const all = StateDatabase.prototype.all;
  let largest = 0;
  StateDatabase.prototype.all = function (this: StateDatabase, sql, ...params) {
    const rows = all.call(this, sql, ...params);
    largest = Math.max(largest, rows.length);
    return rows;
  };
  try {
    await work();
  } finally {
    StateDatabase.prototype.all = all;
  }
  return largest;
}

describe('engine: a delta of a large folder reads its watermarks a run at a time', function () {
  this.timeout(120_000);

  it(`finds the flag changes, deletions and new mail of a folder of ${MESSAGES} without reading every watermark at once`, async () => {
    const p = maildirProject(MESSAGES, '');
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io(p.dir)), 0);
    const cur = path.join(p.dir, 'source', 'bob@contoso.example', 'cur');
    const files = fs.readdirSync(cur).sort();
    // Flagged: the first and the last message; deleted: two in the middle; one new.
    for (const f of [files[0], files[MESSAGES - 1]]) fs.renameSync(path.join(cur, f), path.join(cur, f.replace(/:2,S$/, ':2,FS')));
    for (const f of [files[1000], files[3000]]) fs.rmSync(path.join(cur, f));
    fs.writeFileSync(path.join(cur, '1800000000.Mnew.test:2,'), 'Message-ID: <bob-new@contoso.example>\nSubject: new\n\nnew\n');

    const largest = await largestAnswer(async () => assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'delta', '--item', 'bob@contoso.example'], io(p.dir)), 0));
    assert.ok(largest <= 2000, `a statement of the delta returned ${largest} rows (the folder has ${MESSAGES} watermarks)`);

    const out: string[] = [];
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'json'], io(p.dir, out)), 0);
    const byKind = (JSON.parse(out.join('')) as { changes: { byKind: Record<string, number> } }).changes.byKind;
    assert.deepEqual([byKind.flags, byKind['kept-deleted']], [2, 2]);
    const dst = path.join(p.dir, 'destination', 'bob@fabrikam.example', 'cur');
    const copies = fs.readdirSync(dst);
    assert.equal(copies.length, MESSAGES + 1, 'the new message copied, the deleted ones kept (deletions: keep)');
    assert.equal(copies.filter((f) => /:2,[A-Z]*F/.test(f)).length, 2, 'both flags carried');
  });
});
