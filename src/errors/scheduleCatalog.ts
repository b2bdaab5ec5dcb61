// Codes of `ferry serve` (the scheduler), its notifications and the confirmations of the command
// line's batch actions: what a long-running project reports about its schedules and messages.
import { bash, runEntries } from './engineCatalog';
import type { CatalogEntry } from './types';

const STATUS = bash('Show what is scheduled', 'npx ferry status <plan>');
const code = runEntries('Ferry scheduler');

export const scheduleEntries: readonly CatalogEntry[] = [
  code('SCHED-001', {
    title: 'A scheduled run was due while the scheduler was not running',
    severity: 'information',
    message: 'The {0} of batch {1} was due at {2}, while no scheduler ran; it runs now, once.',
    description: 'Schedules are kept in the state folder, not in timers: a run that fell due while ferry serve was stopped runs once when it starts again, and the next one is counted from it.',
    action: 'Nothing to do. Run ferry serve as a service (systemd, a container) so runs happen on time.',
    fixes: [STATUS],
  }),
  code('SCHED-002', {
    title: 'The batch cannot complete at its completeAfter',
    severity: 'warning',
    message: 'Batch {0} cannot complete: completeAfter ({1}) has passed and the batch is {2}; it completes at the next opportunity once it is Synced.',
    description: 'Completion runs a final delta and needs a batch whose initial sync finished (Synced or Synced with errors). Other batches are not affected.',
    action: 'Look at why the batch is not Synced (failed mailboxes, a stopped pass), run it again or retry its errors; the scheduler completes it once it is Synced.',
    fixes: [bash('Run the batch again', 'npx ferry run <plan> --pass full --batch <batch>'), STATUS],
  }),
  code('SCHED-003', {
    title: 'The plan has errors: scheduled runs wait',
    severity: 'error',
    message: 'The plan {0} has errors ({1}); scheduled runs wait until it is fixed.',
    description: 'ferry serve reads the plan again whenever it (or a file it names) changes. A plan with errors is not run: the scheduler holds every scheduled run (they are kept, not lost) and goes on sending notifications; the first look after the fix runs what fell due, once.',
    action: 'Fix the findings (ferry validate lists them); the scheduler picks the plan up at its next look.',
    fixes: [bash('Show the findings', 'npx ferry validate <plan>')],
  }),
  code('SCHED-004', {
    title: 'Pulling the plan from git failed',
    severity: 'warning',
    message: 'git pull in {0} failed: {1}; the scheduler keeps the plan it has.',
    description: 'With --git-pull, ferry serve runs git pull --ff-only in the plan\'s repository at that interval and picks up what changed. A pull that fails (no network, a diverged branch, a conflict) changes nothing.',
    action: 'Fix the repository (git status there); the next pull picks the plan up.',
    fixes: [bash('Pull by hand', 'git -C <planDir> pull --ff-only')],
  }),
  code('SCHED-005', {
    title: 'A scheduled run did not complete',
    severity: 'warning',
    message: 'The scheduled {0} of batch {1} ended {2}: {3}',
    description: 'The pass the scheduler started for this run was refused, failed or was stopped. The batch\'s status and its mailboxes say why; other batches are not affected.',
    action: 'Look at the batch (ferry status, ferry report), fix the cause and run it again, or use ferry schedule now <batch>.',
    fixes: [STATUS],
  }),
  code('NOTIFY-001', {
    title: 'A notification was not sent: retrying',
    severity: 'warning',
    message: 'The {0} notification about batch {1} to {2} was not sent: {3}. Next attempt at {4}.',
    description: 'The SMTP relay could not be reached or refused the message. It stays in the outbox in the state folder and is sent again with a growing delay; the migration does not wait for it.',
    action: 'Check the relay settings (FERRY_SMTP_HOST, FERRY_SMTP_PORT, FERRY_SMTP_SECURITY, FERRY_SMTP_USER, FERRY_SMTP_PASSWORD) and that the relay accepts mail from this host for these recipients.',
    fixes: [bash('Test the relay', 'nc -vz "$FERRY_SMTP_HOST" "${FERRY_SMTP_PORT:-587}"')],
    retryable: true,
  }),
  code('NOTIFY-002', {
    title: 'No SMTP relay configured: notifications wait',
    severity: 'warning',
    message: 'The plan asks for notifications but no SMTP relay is configured ({0}); {1} message(s) wait in the outbox.',
    description: 'Ferry sends notifications through a relay set in the environment of ferry serve, never in the plan. Until one is set they are kept, not lost.',
    action: 'Set FERRY_SMTP_HOST (and FERRY_SMTP_PORT, FERRY_SMTP_SECURITY, FERRY_SMTP_USER, FERRY_SMTP_PASSWORD or FERRY_SMTP_PASSWORD_FILE, FERRY_SMTP_FROM) and restart ferry serve.',
    fixes: [bash('Set the relay', 'export FERRY_SMTP_HOST=smtp.example.com FERRY_SMTP_FROM=ferry@example.com')],
  }),
  code('NOTIFY-003', {
    title: 'The SMTP relay settings are incomplete',
    severity: 'error',
    message: 'The SMTP relay settings are not usable: {0}.',
    description: 'The relay is configured by environment variables. A password is read from FERRY_SMTP_PASSWORD or the file FERRY_SMTP_PASSWORD_FILE names (a container secret), never from the plan or the command line.',
    action: 'Fix the variable named in the message and start ferry serve again.',
    fixes: [bash('Show the relay settings', 'env | grep ^FERRY_SMTP_ | grep -v PASSWORD')],
  }),
  code('CLI-001', {
    title: 'Confirmation needed',
    severity: 'error',
    message: '{0} needs a confirmation and no one can answer here (standard input is not a terminal): add --yes to confirm.',
    description: 'Completing a batch (its cut-over) and deleting its run state cannot be undone; like the VS Code commands, the command line asks first. Run from a script, it refuses unless --yes says the answer.',
    action: 'Run the command again with --yes, or from a terminal to be asked.',
    fixes: [bash('Confirm on the command line', 'npx ferry complete <plan> <batch> --yes')],
  }),
];
