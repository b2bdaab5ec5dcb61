// A mailbox's two sides work at once where neither waits for the other (session.ts, mailboxPlan.ts):
// the source's login starts while the destination's is under way, both folder lists are asked
// together, and a failure of either still ends the mailbox with its code.
import * as assert from 'node:assert/strict';
import { ConnectorError } from '../../../src/connectors/types';
import { harness, simplePlan } from './engineTestUtil';
import type { Op } from './memoryConnector';

const SOURCE = 'ann@contoso.example';
const DESTINATION = 'ann@fabrikam.example';

/**
 * Runs a full pass of one message holding `held`'s `op` for a turn; whether `other`'s `op` had
 * started meanwhile (one after the other, it would not have).
 */
async function startedMeanwhile(op: Op, held: string, other: string): Promise<boolean | undefined> {
  const h = harness(simplePlan(['ann']));
  h.world.add(SOURCE, ['INBOX'], 'm1');
  let meanwhile: boolean | undefined;
  h.world.delay = async (o, mailbox) => {
    if (o !== op || mailbox !== held) return;
    await Promise.resolve();
    meanwhile = h.world.calls.some((c) => c.op === op && c.mailbox === other);
  };
  const summary = await h.run('full');
  assert.deepEqual([summary.items[0].status, summary.totals.copied], ['Completed', 1]);
  return meanwhile;
}

describe('engine: both sides of a mailbox at once', () => {
  it("the source's login starts before the destination's has ended", async () => {
    assert.equal(await startedMeanwhile('open', DESTINATION, SOURCE), true, 'the source logged in while the destination did');
  });

  it("the destination's folders are listed while the source's are", async () => {
    assert.equal(await startedMeanwhile('listFolders', SOURCE, DESTINATION), true, 'the destination was listed while the source was');
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
