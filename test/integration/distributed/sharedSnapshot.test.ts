// The extension's views in distributed mode: the snapshot reader reads the shared PostgreSQL store
// the workers write (what `ferry status` prints there), found from a plan copy at another path than
// the one the project was recorded under; it keeps its connection between reads and reconnects
// after the server restarted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncPlanToStore } from '../../../src/engine/syncPlan';
import type { Logger } from '../../../src/extension/common/logger';
import { StoreReader } from '../../../src/extension/state/storeReader';
import { loadPlan } from '../../../src/runner/loadPlan';
import { closeSharedSnapshots, readSharedSnapshot } from '../../../src/snapshot/readSharedSnapshot';
import { Store } from '../../../src/store/store';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ensureBuilt, planYaml } from '../engine/maildirFixture';
import { usePostgres } from './cluster';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, show: () => undefined, redact: () => undefined };

describe('distributed mode: the snapshot reader on the shared PostgreSQL store', function () {
  this.timeout(120_000);
  const pg = usePostgres(closeSharedSnapshots);

  /** A plan recorded in a fresh shared store from one copy; returns the database URL and another copy's path. */
  function recordedPlan(name: string): { url: string; viewed: string } {
    const url = pg.server.createDatabase(`${name}_${process.pid}`);
    const planText = planYaml(['ann', 'bob']);
    const recorded = path.join(tempDir('dist-snap-a'), 'p.migration.yaml');
    const viewed = path.join(tempDir('dist-snap-b'), 'p.migration.yaml');
    fs.writeFileSync(recorded, planText);
    fs.writeFileSync(viewed, planText);
    const store = Store.openShared(url);
    try {
      syncPlanToStore(store, loadPlan(recorded).plan);
    } finally {
      store.close();
    }
    return { url, viewed };
  }

  it("the extension's reader reads the shared store when the extension host's environment names it (password from a file)", async () => {
    const { url, viewed } = recordedPlan('reader');
    const noPassword = new URL(url);
    noPassword.password = '';
    const pwFile = path.join(tempDir('dist-snap-pw'), 'pw');
    fs.writeFileSync(pwFile, pg.server.password, { mode: 0o600 });
    const saved = { ...process.env };
    Object.assign(process.env, { FERRY_DATABASE_URL: noPassword.toString(), FERRY_DATABASE_PASSWORD_FILE: pwFile });
    const reader = new StoreReader(path.join(ensureBuilt(), 'bin', 'ferry.js'), path.join(ensureBuilt(), 'dist'), quiet);
    try {
      // The state folder beside the plan has nothing: what the view shows comes from PostgreSQL.
      const snapshot = await reader.snapshot(viewed, path.join(path.dirname(viewed), '.ferry'));
      assert.deepEqual(snapshot.status?.batches[0].items.map((i) => i.source).sort(), ['ann@contoso.example', 'bob@contoso.example']);
    } finally {
      reader.dispose();
      for (const key of ['FERRY_DATABASE_URL', 'FERRY_DATABASE_PASSWORD_FILE']) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it("reads the project's batches, mailboxes and passes from PostgreSQL, again after a restart", async () => {
    const { url, viewed } = recordedPlan('snapshot');

    const first = readSharedSnapshot(url, viewed);
    assert.equal(first.status?.name, 'Integration');
    assert.deepEqual(first.status?.batches.map((b) => b.batch.name), ['Main']);
    assert.deepEqual(first.status?.batches[0].items.map((i) => i.source).sort(), ['ann@contoso.example', 'bob@contoso.example']);
    assert.deepEqual(first.errors, []);
    assert.equal(first.runner, undefined);

    await pg.server.down('SIGKILL');
    await pg.server.start();
    const again = readSharedSnapshot(url, viewed);
    assert.deepEqual(again.status?.batches[0].items.map((i) => i.source).sort(), ['ann@contoso.example', 'bob@contoso.example']);
  });
});
