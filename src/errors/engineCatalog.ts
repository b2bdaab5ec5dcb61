// Ferry's engine codes: what running a pass can report (refusals, schedules, limits, retries,
// skipped items). Category 'connector': they come from the run, not from the plan text.
import type { CatalogEntry, FixAction, Severity } from './types';

export function bash(title: string, template: string): FixAction {
  return { kind: 'adminCommand', shell: 'bash', title, template };
}

const RETRY: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };
const STOP: FixAction = { kind: 'command', command: 'ferry.stopBatch', title: 'Stop the batch' };

export interface RunEntry {
  title: string;
  severity: Severity;
  message: string;
  description: string;
  action: string;
  fixes: readonly FixAction[];
  retryable?: boolean;
}

/** The entry maker of one section of codes a run reports (engine, state store). */
export function runEntries(section: string): (code: string, e: RunEntry) => CatalogEntry {
  return (c, e) => ({ code: c, category: 'connector', source: 'ferry', section, ...e });
}

const code = runEntries('Ferry engine');

export const engineEntries: readonly CatalogEntry[] = [
  code('ENG-001', {
    title: 'Retry refused: the last pass did not complete',
    severity: 'error',
    message: "Retry errors refused for {0}: its last pass ended as '{1}', not completed.",
    description: 'A retry pass only moves the failed items of a mailbox whose last pass ran to the end. Otherwise the mailbox still has work a retry would not do.',
    action: 'Run the pass that was interrupted again (full or delta); then retry the errors it leaves.',
    fixes: [bash('Run a full pass again', 'npx ferry run <plan> --pass full')],
  }),
  code('ENG-002', {
    title: 'Retry refused: nothing failed',
    severity: 'information',
    message: 'Retry errors refused for {0}: it has no failed items.',
    description: 'A retry pass only moves items that failed in an earlier pass; this mailbox has none.',
    action: 'Nothing to do. Use a delta pass to move what is new.',
    fixes: [bash('Run a delta pass', 'npx ferry run <plan> --pass delta')],
  }),
  code('ENG-003', {
    title: 'Nothing to run',
    severity: 'error',
    message: 'The {0} pass has no mailbox to run: {1}.',
    description: 'Every mailbox the pass selected was refused (see the reasons), so the pass did not start.',
    action: 'Check the batch and item names, and the statuses of the mailboxes.',
    fixes: [bash('Show what the next pass would do', 'npx ferry plan <plan>')],
  }),
  code('ENG-010', {
    title: 'Retries exhausted',
    severity: 'error',
    message: 'Gave up on {0} after {1} attempts: {2}',
    description: 'The server kept refusing or dropping the connection (throttling, disconnects). Ferry backed off and retried, honouring the delays the server asked for, and stopped after the attempts allowed.',
    action: 'Wait for the server to recover, lower maxConcurrentMigrations or the endpoint maxConnections, then run the pass again: it resumes where it stopped.',
    fixes: [RETRY],
    retryable: true,
  }),
  code('ENG-011', {
    title: 'Bad item limit exceeded',
    severity: 'error',
    message: 'Mailbox {0} failed: {1} items failed, more than the bad item limit of {2}.',
    description: 'More items failed than options.badItemLimit allows, so Ferry stopped the mailbox instead of carrying on with a systematic problem.',
    action: 'Read the errors of the mailbox, fix their cause, then retry the errors (or raise badItemLimit).',
    fixes: [RETRY],
  }),
  code('ENG-012', {
    title: 'Unexpected failure',
    severity: 'error',
    message: 'Unexpected failure in {0}: {1}',
    description: 'Something failed that Ferry has no code for. The mailbox stopped; what was copied before stays recorded.',
    action: 'Read the message, then run the pass again. Report it if it repeats.',
    fixes: [RETRY],
    retryable: true,
  }),
  code('ENG-013', {
    title: 'Waiting for the server',
    severity: 'information',
    message: 'Waiting {0} s, then trying again to {1} (attempt {2} of {3}: {4})',
    description: 'The server dropped the connection, did not answer, or asked Ferry to slow down. Ferry reconnects and goes on where it was; nothing is counted as an item error while it waits. After the last attempt the mailbox stops with ENG-010 and a rerun resumes it.',
    action: 'Nothing to do if the server is restarting or busy. If the waits go on, check that the server is up and reachable, or stop the pass.',
    fixes: [STOP],
  }),
  code('ENG-014', {
    title: 'Throttled: will go on at the next pass',
    severity: 'warning',
    message: 'The server kept throttling {0} ({1} attempts, last: {2}); the mailbox waits and the next pass goes on where this one stopped.',
    description: 'The server asked Ferry to slow down (EWS ErrorServerBusy, Graph 429, an IMAP limit) for longer than the retries last. Nothing is wrong with the credentials or the mailbox: everything copied so far is recorded, and the next pass continues without copying anything twice.',
    action: 'Run the pass again later, or lower maxConcurrentMigrations and the endpoint maxConnections; on Exchange, a throttling policy for the migration account lifts the limits.',
    fixes: [RETRY],
    retryable: true,
  }),
  code('ENG-020', {
    title: 'Item larger than the maximum size',
    severity: 'warning',
    message: 'Skipped an item of {0} MB in {1}: larger than maxItemSizeMB ({2} MB).',
    description: 'Items above options.maxItemSizeMB are not copied; the destination would refuse them (Microsoft 365 accepts at most 150 MB).',
    action: 'Raise maxItemSizeMB if the destination accepts larger items, or move the item by hand.',
    fixes: [bash('Show the skipped items', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-021', {
    title: 'Item outside the date range',
    severity: 'information',
    message: 'Skipped an item dated {0} in {1}: outside options.dateRange.',
    description: 'The plan copies only items whose date lies in options.dateRange.',
    action: 'Widen the date range if the item should move.',
    fixes: [bash('Show the skipped items', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-022', {
    title: 'Folder holds an item type the plan leaves out',
    severity: 'information',
    message: "Skipped folder {0}: its items are {1}, not in options.itemTypes.",
    description: 'The plan copies only the item types in options.itemTypes.',
    action: 'Add the type to itemTypes if the folder should move.',
    fixes: [bash('Show the skipped items', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-023', {
    title: 'Folder holds items the destination cannot take',
    severity: 'information',
    message: 'Skipped folder {0}: its items are {1}, which a {2} destination cannot hold.',
    description: 'IMAP and Maildir hold mail only: contacts, calendars and tasks of an Exchange or Microsoft 365 source are left out rather than written as messages.',
    action: 'Move contacts, calendars and tasks to an Exchange or Microsoft 365 destination, or export them separately (vCard, iCalendar).',
    fixes: [bash('Show the skipped items', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-024', {
    title: 'Folder left out by the plan',
    severity: 'information',
    message: 'Left out folder {0}: {1}.',
    description: "The plan's folder rules (options.folders.include and exclude) leave this folder out, so none of its items is copied. Ferry lists it in the report and the mailbox's detail with the rule, so nothing is left behind without a word.",
    action: 'Change options.folders.include or exclude if the folder should move.',
    fixes: [bash('Show the folders left out', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-025', {
    title: 'Item larger than the destination takes',
    severity: 'warning',
    message: 'Skipped an item of {0} MB in {1}: the destination takes at most {2} MB a message.',
    description: 'The destination service documents a largest message (Exchange Online: 150 MB). Ferry checks the item before sending anything, so it is recorded as not copied instead of failing half-way through its upload.',
    action: 'Move the item by hand in a smaller form (attachments saved elsewhere), or leave it at the source.',
    fixes: [bash('Show the skipped items', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-030', {
    title: 'Mailbox above the size quota',
    severity: 'warning',
    message: 'Mailbox {0} holds {1} GB, above mailboxQuotaGB ({2} GB): confirmation required.',
    description: 'A mailbox above the quota may consume more than one licence. Ferry waits at Confirmation required until someone approves it.',
    action: 'Approve it with approveOversize: true on the item (or its CSV column), or with the approve command, then start the pass again.',
    fixes: [bash('Approve the mailbox', 'npx ferry approve <plan> --item <address>')],
  }),
  code('ENG-031', {
    title: 'Waiting for the batch start time',
    severity: 'information',
    message: 'Batch {0} starts after {1}; its mailboxes are Waiting.',
    description: 'The batch has a startAfter time in the future. The runner starts it then; a one-shot command-line pass leaves it Waiting.',
    action: 'Run the pass after the start time, or remove startAfter from the batch.',
    fixes: [bash('Show the schedule', 'npx ferry status <plan>')],
  }),
  code('ENG-032', {
    title: 'Too early to complete the batch',
    severity: 'error',
    message: 'Batch {0} cannot be completed before {1} (completeAfter).',
    description: 'The plan says the batch completes after a given time; completing it earlier is refused.',
    action: 'Complete the batch after that time, or change completeAfter.',
    fixes: [bash('Show the schedule', 'npx ferry status <plan>')],
  }),
  code('ENG-040', {
    title: 'Action not allowed in this batch state',
    severity: 'error',
    message: "Cannot {0} batch {1} while it is {2}.",
    description: 'What an operator may do depends on the batch state: start, edit or delete when Stopped; stop when Syncing; complete when Synced; delete only in a final state.',
    action: 'Wait for the batch to reach a state that allows the action, or stop it first.',
    fixes: [STOP],
  }),
  code('ENG-050', {
    title: 'Endpoint kind not available',
    severity: 'error',
    message: "Endpoint '{0}' is of type '{1}', which this Ferry cannot run yet.",
    description: 'The plan names an endpoint kind for which no connector is installed.',
    action: 'Use an endpoint kind this Ferry supports (maildir, imap, exchange, m365), or update Ferry.',
    fixes: [{ kind: 'planEdit', id: 'pickExistingEndpoint', title: 'Use another endpoint' }],
  }),
  code('ENG-051', {
    title: 'Secret not available',
    severity: 'error',
    message: "Secret '{0}' is not set: define the environment variable {1} (command line) or set it with Ferry: Set Secret (VS Code).",
    description: 'The plan names a secret whose value Ferry cannot find, so it cannot log in.',
    action: 'Provide the secret, then verify the mailbox again.',
    fixes: [{ kind: 'command', command: 'ferry.newProject', title: 'Create a project with secret references' }, bash('Set the secret for the command line', 'export FERRY_SECRET_<NAME>=...')],
  }),
  code('ENG-052', {
    title: 'Unknown batch or mailbox',
    severity: 'error',
    message: "{0} '{1}' is not in the plan.",
    description: 'The command names a batch or mailbox that the plan does not have.',
    action: 'Check the spelling against the plan (ferry status lists them).',
    fixes: [bash('List batches and mailboxes', 'npx ferry status <plan>')],
  }),
  code('ENG-053', {
    title: 'Endpoint cannot list its mailboxes',
    severity: 'error',
    message: "Endpoint '{0}' is of type '{1}', which cannot list its mailboxes ({2} can).",
    description: 'Discovery asks the source system for its mailboxes: a Maildir folder, the Exchange address book (ResolveNames) or the Microsoft 365 directory (Graph users). IMAP has no way to list the accounts of a server.',
    action: 'Add the mailboxes one by one or from a CSV file (an export of the source system\'s users).',
    fixes: [{ kind: 'command', command: 'ferry.bulkAddItems', title: 'Add mailboxes from a CSV file' }],
  }),
  code('ENG-060', {
    title: 'Pass interrupted',
    severity: 'warning',
    message: 'The {0} pass started at {1} was interrupted (its runner, pid {2}, is gone).',
    description: 'The runner stopped without ending the pass (a crash, a closed window, kill -9). Nothing copied before is lost or repeated.',
    action: 'Run the pass again: it resumes from the store.',
    fixes: [RETRY],
    retryable: true,
  }),
  code('ENG-061', {
    title: 'Stopped by the operator',
    severity: 'information',
    message: 'Stopped: {0}.',
    description: 'A stop request ended the pass cleanly; the next pass resumes from where it stopped.',
    action: 'Start the pass again when you are ready.',
    fixes: [bash('Run the pass again', 'npx ferry run <plan> --pass full')],
  }),
  code('ENG-070', {
    title: 'Another runner owns the state folder',
    severity: 'error',
    message: 'Another Ferry runner (pid {0}, since {1}) owns the state folder {2}.',
    description: 'Only one runner may write a state folder at a time, so that no item is copied twice.',
    action: 'Wait for it to finish, or stop it with ferry stop.',
    fixes: [bash('Stop the running pass', 'npx ferry stop <plan>')],
  }),
  code('ENG-071', {
    title: 'The runner owning the state folder cannot be identified',
    severity: 'error',
    message: 'A Ferry runner holds the state folder {0}, but no process could be proven to be it (pid {1} claimed); nothing was signalled.',
    description:
      'The state folder is locked by a live process, but runner.lock does not (yet) name it: a runner that is starting writes who it is a moment after taking the lock, and a pid alone may belong to another program after a crash. Ferry signals only a process whose pid and start time match the lock it took.',
    action: 'Run the command again in a moment. If this persists, find the runner of this state folder (ps) and stop it yourself.',
    fixes: [bash('Ask again', 'npx ferry stop <plan>')],
  }),
  // Delta passes that carry changes (issue 13).
  code('ENG-080', {
    title: 'Changes of copied items not carried',
    severity: 'information',
    message: 'The delta of {0} copies new items only: {1}.',
    description: 'A delta carries read state, flags, moves and deletions of items already copied when the source can tell what changed (IMAP, Maildir, ...) and the destination can read and set flags, move and delete items. When one side cannot, the delta copies only what is new and says so.',
    action: 'Nothing to do for new items. Changes made at the source after the copy stay to be made by hand, or choose endpoint kinds that carry them.',
    fixes: [bash('See what the deltas carried so far', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-081', {
    title: 'Changed at the destination: left as it is',
    severity: 'warning',
    message: 'An item of {0} ({1}) was changed at the destination after Ferry wrote it; the source\'s change ({2}) was not carried.',
    description: 'A delta never overwrites what a user changed at the destination after cut-over: Ferry records the state it last wrote to each item, and an item whose state differs from it is left alone and reported (conflict-left in ferry report).',
    action: 'Look at the item in both mailboxes and make the change by hand if it is wanted.',
    fixes: [bash('List the changes of the last delta', 'npx ferry report <plan> --format md')],
  }),
  code('ENG-082', {
    title: 'A change of a copied item was refused by the destination',
    severity: 'error',
    message: 'The {0} change of an item of {1} ({2}) was refused by the destination: {3} {4}',
    description: 'A delta carries each change of a copied item on its own: when the destination refuses one (the item is locked or gone, the mailbox is over its quota), that change is recorded with the destination\'s code and the delta goes on with the others. The change stays to be made: nothing else of the item is touched, and it is never made twice.',
    action: 'Fix what the destination\'s code says (free space, unlock the item), then Retry errors: it makes just the refused changes again.',
    fixes: [bash('Make the refused changes again', 'npx ferry run <plan> --pass retry')],
  }),
  code('ENG-083', {
    title: 'Copies of a renumbered folder not found again: kept',
    severity: 'warning',
    message: 'The source renumbered {0} since the last pass; {1} of its earlier copies were not found again at the source (in it or in another folder) and stay at the destination.',
    description:
      'A server that renumbers a folder (IMAP: a new UIDVALIDITY, after a restore, an index rebuild, or the folder deleted and made again) gives every item a new id. A delta finds each earlier copy again by its content, in the folder or in the folder a message was moved to; a copy found nowhere stands for a message deleted at the source meanwhile, or changed beyond recognition. It is never deleted because of a renumber: it is kept (kept-deleted in ferry report) and Ferry does not look at it again.',
    action: 'Look at the folder at the destination: delete by hand what was deleted at the source, if it is not wanted.',
    fixes: [bash('List the copies kept by the last delta', 'npx ferry report <plan> --format md')],
  }),
];
