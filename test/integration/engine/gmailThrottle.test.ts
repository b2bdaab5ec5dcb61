// Google's per-user quota through a real pass (the fake Google counts Gmail's documented units per
// user over a sliding minute): a mailbox that spends its quota is refused, told as ENG-013 waits,
// slows to what Google accepts and completes; another mailbox of the same pass goes on unrefused
// and finishes first. Everything arrives once.
import * as assert from 'node:assert/strict';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { EngineEvents, type EngineEvent } from '../../../src/engine/events';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { rfc822, startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { gmailProject } from './gmailProject';

describe('engine: Google per-user quota (fake Google -> Dovecot)', function () {
  this.timeout(240_000);
  let server: DovecotServer;
  let d: TestDomain;

  before(async () => {
    [server, d] = await Promise.all([startDovecot({ users: ['big', 'small'].map((u) => ({ user: `${u}@dst.test`, password: 'dst-pw' })) }), startTestDomain({ users: ['big@example.test', 'small@example.test'] })]);
    const add = (user: string, n: number) => {
      for (let i = 0; i < n; i++) d.fake.admin.addMessage(user, { raw: rfc822(`${user} ${i}`, { to: user }), labels: ['INBOX'] });
    };
    add('big@example.test', 16);
    add('small@example.test', 2);
    // 150 units a minute: the big mailbox (16 messages: about 170 units) runs into it, the small one (about 30) does not.
    d.fake.admin.setQuota({ unitsPerMinute: 150 });
  });
  after(async () => {
    await server?.stop();
    await d?.fake.stop();
  });

  it('the throttled mailbox waits and completes; the other goes on and finishes first', async () => {
    const dst = (u: string) => `{ username: '${u}', password: { secret: DST } }`;
    const { plan, store } = gmailProject(
      d,
      `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none }`,
      [
        { source: 'big@example.test', destination: 'big@dst.test', destinationAuth: dst('big@dst.test') },
        { source: 'small@example.test', destination: 'small@dst.test', destinationAuth: dst('small@dst.test') },
      ],
      'options:\n  itemTypes: [mail]\n',
    );
    const events: EngineEvent[] = [];
    const emitter = new EngineEvents();
    emitter.on((e) => events.push(e));
    const started = Date.now();
    const summary = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => ({ GKEY: JSON.stringify(d.key), DST: 'dst-pw' })[n], events: emitter, retry: { ...defaultRetryPolicy, attempts: 12, patience: 12, baseMs: 200, maxMs: 20_000 } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    assert.deepEqual(summary.items.map((i) => [i.source, i.status, i.copied]), [['big@example.test', 'Completed', 16], ['small@example.test', 'Completed', 2]], JSON.stringify(summary.items));
    const big = d.fake.admin.quotaStats('big@example.test');
    const small = d.fake.admin.quotaStats('small@example.test');
    assert.ok(big.refusedQuota > 0, 'the big mailbox was refused');
    assert.equal(small.refusedQuota, 0, 'the small mailbox never was');
    const waits = events.filter((e) => e.type === 'notice' && e.code === 'ENG-013');
    assert.ok(waits.length > 0 && waits.every((e) => e.type === 'notice' && e.item === 'big@example.test'), 'ENG-013 told for the throttled mailbox only');
    const done = events.filter((e): e is Extract<EngineEvent, { type: 'itemStatus' }> => e.type === 'itemStatus' && e.status === 'Completed').map((e) => e.item);
    assert.deepEqual(done, ['small@example.test', 'big@example.test'], 'the unthrottled mailbox finished first');
    console.log(`      throttled pass: ${seconds} s; big: ${big.units} units, ${big.refusedQuota} refusals; small: ${small.units} units, 0 refusals`);
    store.close();
  });
});
