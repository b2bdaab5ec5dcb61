// PgDatabase's synchronous bridge: a call that times out (STORE-030) gets its reply later, when the
// statement ends; that late reply must never be read as the answer of the calls that follow (the
// 50,000-mailbox bench: a worker listed projects that do not exist, then its pass end found no batch).
// The call is held by an advisory lock another connection holds, released once the call timed out:
// no sleep, the order is the test's own.
import * as assert from 'node:assert/strict';
import { PgDatabase } from '../../../src/store/postgres/pgDatabase';
import { StoreError } from '../../../src/store/storeError';
import { postgresMissing, startPostgres, type PostgresServer } from '../../servers/postgres';
import { skipWith } from '../../unit/helpers/sharedReference';

describe('PostgreSQL store: a late reply of a timed-out call', function () {
  this.timeout(120_000);
  let server: PostgresServer | undefined;
  const open: PgDatabase[] = [];

  before(async function () {
    const missing = postgresMissing();
    if (missing) skipWith(this, `skipped: ${missing}`);
    server = await startPostgres();
  });

  after(async () => {
    for (const db of open) db.close();
    await server?.stop();
  });

  it('is dropped: each next call gets its own answer', () => {
    const url = server!.createDatabase(`late_reply_${process.pid}`);
    const holder = PgDatabase.open(url);
    open.push(holder);
    // Long enough for a simple statement on a busy machine; the held one waits for the lock forever.
    const db = PgDatabase.open(url, { answerMs: 4000 });
    open.push(db);
    const key = 4242;
    holder.get('SELECT pg_advisory_lock(?) AS locked', key);

    assert.throws(
      () => db.get("SELECT pg_advisory_lock(?) AS locked, 'held' AS who", key),
      (err: unknown) => err instanceof StoreError && err.code === 'STORE-030',
    );
    // The held statement now ends, and its reply comes late.
    holder.get('SELECT pg_advisory_unlock(?) AS unlocked', key);

    assert.deepEqual(db.get("SELECT 'first' AS who"), { who: 'first' });
    assert.deepEqual(db.all("SELECT 'second' AS who UNION ALL SELECT 'third'"), [{ who: 'second' }, { who: 'third' }]);
    assert.equal(db.run('SELECT pg_advisory_unlock_all()').changes, 1);
    assert.deepEqual(db.get('SELECT COUNT(*) AS n FROM schema_version WHERE version < 0'), { n: 0 });
  });
});
