import * as assert from 'node:assert/strict';
import { planOutline, withCsvItems } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { newLiveState, applyEvent } from '../../../src/views/liveState';
import { runFindings } from '../../../src/views/runFindings';
import { blockPlan, item, planFile, snapshot } from './outlineFixtures';

const outline = withCsvItems(planOutline(planFile, blockPlan), new Map([['/work/plans/wave2.csv', 'source\ndave@contoso.example\n']]));
const summary = (planItems: Parameters<typeof snapshot>[0], errors: Parameters<typeof snapshot>[1] = []) =>
  runFindings(projectView(planFile, outline, snapshot(planItems, errors), undefined)).map((f) => `${f.target.kind}:${f.target.item ?? f.target.batch ?? f.target.endpoint} ${f.severity} ${f.code} @${f.range.start.line} ${f.message}`);

describe('extension: run findings', () => {
  const cases: [string, Parameters<typeof snapshot>[0], string[]][] = [
    ['a completed mailbox has none', [item('ann@contoso.example', 'Completed')], []],
    ['a failed mailbox on its source line', [item('ann@contoso.example', 'NotValid', { lastErrorCode: 'MAILDIR-NOT-FOUND', lastErrorMessage: 'The Maildir of ann does not exist' })], ['item:ann@contoso.example error MAILDIR-NOT-FOUND @27 Not valid: The Maildir of ann does not exist']],
    ['confirmation required is a warning', [item('bob@contoso.example', 'ConfirmationRequired', { lastErrorCode: 'ENG-030', lastErrorMessage: 'Mailbox bob holds 60 GB' })], ['item:bob@contoso.example warning ENG-030 @29 Confirmation required: Mailbox bob holds 60 GB']],
    ['a stop by the operator is no finding', [item('ann@contoso.example', 'Stopped', { lastErrorCode: 'ENG-061', lastErrorMessage: 'Stopped: stop requested' })], []],
    ['an interrupted pass once on the batch', [item('ann@contoso.example', 'Interrupted', { lastErrorCode: 'ENG-060', lastErrorMessage: 'The full pass was interrupted' }), item('bob@contoso.example', 'Interrupted', { lastErrorCode: 'ENG-060', lastErrorMessage: 'The full pass was interrupted' })], ['batch:Pilot warning ENG-060 @23 The full pass was interrupted (2 mailboxes: ann@contoso.example, bob@contoso.example)']],
    ['a server nobody reaches once on its endpoint', [item('ann@contoso.example', 'Failed', { lastErrorCode: 'IMAP-CONNECT', lastErrorMessage: 'Cannot connect to imap.fabrikam.example:993: refused' })], ['endpoint:dst error IMAP-CONNECT @11 Cannot connect to imap.fabrikam.example:993: refused (ann@contoso.example)']],
    ['a mailbox no longer in the plan is not the plan\'s problem', [item('zoe@contoso.example', 'Failed', { lastErrorCode: 'ENG-012', lastErrorMessage: 'boom' })], []],
  ];
  for (const [name, items, expected] of cases) it(name, () => assert.deepEqual(summary(items), expected));

  it('item errors of a mailbox that finished with errors, grouped by code with their folders', () => {
    const found = summary([item('ann@contoso.example', 'FinishedWithErrors', { errors: 2 })], [{ code: 'ENG-020', title: 'Item larger than the maximum size', action: '', count: 2, mailboxes: ['ann@contoso.example'], examples: [{ mailbox: 'ann@contoso.example', folder: 'Inbox', message: 'Item of 200 MB', at: '' }, { mailbox: 'ann@contoso.example', folder: 'Sent', message: 'Item of 300 MB', at: '' }] }]);
    assert.deepEqual(found, ['item:ann@contoso.example warning ENG-020 @27 2 items not copied (Inbox, Sent): Item of 200 MB']);
  });

  it('a CSV mailbox on its CSV line', () => {
    const view = projectView(planFile, outline, { readAt: 0, errors: [], status: { ...snapshot([]).status!, batches: [{ batch: { ...snapshot([]).status!.batches[0].batch, name: 'Wave 2' }, items: [{ ...item('dave@contoso.example', 'NotValid', { lastErrorCode: 'MAILDIR-NOT-FOUND', lastErrorMessage: 'gone' }), batch: 'Wave 2' }] }] } }, undefined);
    const [f] = runFindings(view);
    assert.equal(f.file, '/work/plans/wave2.csv');
    assert.equal(f.range.start.line, 1);
    assert.equal(f.data.csv, true);
  });

  it('follows a running pass: a live error appears, a mailbox that succeeds again loses its finding', () => {
    const stored = snapshot([item('ann@contoso.example', 'NotValid', { lastErrorCode: 'MAILDIR-NOT-FOUND', lastErrorMessage: 'gone' }), item('bob@contoso.example', 'Completed')]);
    const live = newLiveState(0);
    applyEvent(live, { type: 'passStarted', passId: 2, kind: 'full', batches: ['Pilot'], items: 2 }, 1);
    applyEvent(live, { type: 'itemStatus', batch: 'Pilot', item: 'ann@contoso.example', destination: 'ann@fabrikam.example', status: 'InProgress' }, 2);
    applyEvent(live, { type: 'itemStatus', batch: 'Pilot', item: 'bob@contoso.example', destination: 'robert@fabrikam.example', status: 'Failed', code: 'IMAP-NO', message: 'NO [SERVERBUG]' }, 3);
    const codes = runFindings(projectView(planFile, outline, stored, live)).map((f) => `${f.target.item} ${f.code}`);
    assert.deepEqual(codes, ['bob@contoso.example IMAP-NO']);
  });
});
