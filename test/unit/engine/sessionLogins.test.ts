// A mailbox's two sides work at once where neither waits for the other (session.ts, mailboxPlan.ts):
// the source's login starts while the destination's is under way, both folder lists are asked
// together, and a failure of either still ends the mailbox with its code.
import * as assert from 'node:assert/strict';
import { ConnectorError } from '../../../src/connectors/types';
import { harness, simplePlan } from './engineTestUtil';

const SOURCE = 'ann@contoso.example';
const DESTINATION = 'ann@fabrikam.example';

describe('engine: both sides of a mailbox at once', () => {
  it("the source's login starts before the destination's has ended", async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add(SOURCE, ['INBOX'], 'm1');
    let sourceStartedFirst: boolean | undefined;
    h.world.delay = async (op, mailbox) => {
      if (op !== 'open' || mailbox !== DESTINATION) return;
      // The destination's login waits a turn: logins in sequence would not have started the source's yet.
      await Promise.resolve();
      sourceStartedFirst = h.world.calls.some((c) => c.op === 'open' && c.mailbox === SOURCE);
    };
    const summary = await h.run('full');
    assert.deepEqual([summary.items[0].status, summary.totals.copied], ['Completed', 1]);
    assert.equal(sourceStartedFirst, true, 'the source logged in while the destination did');
  });

  it("the destination's folders are listed while the source's are", async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add(SOURCE, ['INBOX'], 'm1');
    let destinationListedMeanwhile: boolean | undefined;
    h.world.delay = async (op, mailbox) => {
      if (op !== 'listFolders' || mailbox !== SOURCE) return;
      await Promise.resolve();
      destinationListedMeanwhile = h.world.calls.some((c) => c.op === 'listFolders' && c.mailbox === DESTINATION);
    };
    const summary = await h.run('full');
    assert.deepEqual([summary.items[0].status, summary.totals.copied], ['Completed', 1]);
    assert.equal(destinationListedMeanwhile, true, 'the destination was listed while the source was');
  });

  it("a destination that refuses the login fails the mailbox with the destination's code, the source's session closed", async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add(SOURCE, ['INBOX'], 'm1');
    h.world.fail = (op, mailbox) => (op === 'open' && mailbox === DESTINATION ? new ConnectorError('IMAP-AUTH', 'refused', 'mailbox', ['imap.example', DESTINATION, 'wrong password']) : undefined);
    const summary = await h.run('full');
    assert.deepEqual([summary.items[0].status, summary.items[0].code], ['NotValid', 'IMAP-AUTH']);
    assert.equal(h.world.open, 0, 'no session left open');
  });
});
