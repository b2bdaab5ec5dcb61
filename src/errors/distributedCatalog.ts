// Ferry's distributed-mode codes: the machine's configuration (where PostgreSQL and Redis are,
// their passwords), the queue, workers and the jobs they take.
import { bash, runEntries } from './engineCatalog';
import type { CatalogEntry } from './types';

const code = runEntries('Ferry distributed mode');

export const distributedEntries: readonly CatalogEntry[] = [
  code('DIST-001', {
    title: 'The distributed configuration is not usable',
    severity: 'error',
    message: '{0} is not usable: {1}.',
    description:
      'Distributed mode is configured on each machine by environment variables: FERRY_DATABASE_URL (postgres://user@host:5432/database: the state; enough for status, report, stop and approve) and FERRY_REDIS_URL (redis://user@host:6379/0: the queue, needed by ferry run and ferry worker). Nothing ran.',
    action: 'Set {0} as the README\'s "Running a project on several machines" shows, then run the command again.',
    fixes: [bash('Show the configuration', 'env | grep ^FERRY_')],
  }),
  code('DIST-002', {
    title: 'A password in a distributed URL',
    severity: 'error',
    message: '{0} holds a password; Ferry reads it from {1} or from the secret {2} names instead.',
    description:
      'A URL is shown in process listings, shell histories and logs. Ferry takes the password of PostgreSQL or Redis only from a file or from a secret by name (the same secret references as endpoints: FERRY_SECRET_<NAME> on the command line), and refuses a URL that carries one. Nothing ran.',
    action: 'Remove the password from {0} and put it in a file readable only by the service account ({1}=/path) or in a secret ({2}=NAME with FERRY_SECRET_NAME set).',
    fixes: [bash('Keep the password in a file', 'install -m 600 /dev/null ~/.ferry-db-password && $EDITOR ~/.ferry-db-password')],
  }),
  code('DIST-003', {
    title: 'The password of a distributed service cannot be read',
    severity: 'error',
    message: '{0} names {1}, which cannot be read: {2}.',
    description: 'The password file or the secret named for PostgreSQL or Redis is missing or unreadable. Nothing ran.',
    action: 'Create the file (readable by this account) or set the secret, then run the command again.',
    fixes: [bash('Check the file', 'ls -l <file>')],
  }),
  code('DIST-010', {
    title: 'The queue cannot be reached',
    severity: 'error',
    message: 'The job queue at {0} does not answer: {1}.',
    description:
      'Distributed passes are BullMQ jobs on the Redis that FERRY_REDIS_URL names. Before it enqueues or takes jobs, Ferry asks Redis for a PING; Redis was not there, refused the password (FERRY_REDIS_PASSWORD_FILE or FERRY_REDIS_PASSWORD_SECRET) or the connection timed out. Nothing was enqueued, and jobs already enqueued wait in Redis. (Once running, a Redis that goes away only pauses the workers and ferry run: they reconnect and go on.)',
    action: 'Start Redis or check the network, the URL and the password from this machine, then run the command again.',
    fixes: [bash('Check Redis answers', 'REDISCLI_AUTH="$(cat "$FERRY_REDIS_PASSWORD_FILE")" redis-cli -u "$FERRY_REDIS_URL" ping')],
  }),
  code('DIST-011', {
    title: 'The plan changed since its pass was enqueued',
    severity: 'error',
    message: 'The job of {0} was enqueued for revision {1} of {2}; this worker reads revision {3}.',
    description:
      'A job carries the revision (content hash) of the plan it was enqueued from. A worker whose copy of the plan differs would migrate with other settings than the operator approved, so it leaves the mailbox as it is.',
    action: 'Bring every worker to the same revision of the plan (git pull), then run the pass again: it continues where it stopped.',
    fixes: [bash('Run the pass again', 'npx ferry run <plan> --pass <pass>')],
  }),
  code('DIST-012', {
    title: 'An orchestrated batch needs the plan on the worker',
    severity: 'error',
    message: 'Orchestrated batch {0}: this worker has no copy of the plan at {1}.',
    description:
      'An orchestrated batch is one queue job: the worker that takes it creates Microsoft\'s cross-tenant migration job from the batch\'s settings in the plan (completeAfter, the users), polls it and records each user\'s result. This worker could not read the plan at the path the job names, so it did not create or touch Microsoft\'s job; the batch\'s mailboxes are marked failed with this code.',
    action: 'Give the worker its copy of the plan (ferry worker --project <plan>, the same revision as the machine that ran the pass), then run the pass again: the batch continues where it stopped.',
    fixes: [bash('Run the worker with its copy of the plan', 'npx ferry worker --project <plan>')],
  }),
  code('DIST-013', {
    title: 'The end of a pass finds its batch missing from the state',
    severity: 'error',
    message: 'The end of pass {0} found no batch {1} of project {2} in the state database {3}.',
    description:
      'When every mailbox job of a distributed pass has ended, one worker closes the pass: each batch\'s status and statistics, from the state database. That worker\'s database has no such batch: it points at another database than the one the pass was enqueued into (FERRY_DATABASE_URL differs between machines), or the state was reset meanwhile. Retrying cannot make the batch appear, so the end job fails at once instead of retrying; the pass is marked failed with this code. The mailboxes\' own results are in the store, as each job left them.',
    action: 'Give every worker and the machine that runs ferry run the same FERRY_DATABASE_URL, check with ferry status that the project and its batches are there, then run the pass again: it continues where it stopped and copies nothing twice.',
    fixes: [bash('Check the state every machine reads', 'env | grep ^FERRY_DATABASE_URL && npx ferry status <plan>')],
  }),
  code('DIST-014', {
    title: 'The end of a distributed pass failed',
    severity: 'error',
    message: 'The end of pass {0} on {1} failed: {2}.',
    description:
      'ferry run follows a distributed pass until one worker has closed it (the pass\'s end job). That job failed for good, so the pass will not end by itself and ferry run stops following it instead of waiting. The mailboxes\' results are in the store as the workers left them.',
    action: 'Read the reason (and the workers\' logs), fix it, then run the pass again: it continues where it stopped and copies nothing twice. ferry status shows where each mailbox stands.',
    fixes: [bash('See where the mailboxes stand', 'npx ferry status <plan>')],
  }),
  code('DIST-015', {
    title: 'The end of a pass failed for a reason retrying cannot change',
    severity: 'error',
    message: 'Closing pass {0} failed: {1}.',
    description:
      'When every mailbox job of a distributed pass has ended, one worker closes the pass (each batch\'s status and statistics) in one transaction. That failed for a reason other than the state database being away: PostgreSQL refused a statement (a constraint, trigger or permission set on the database, a full disk), or Ferry met a fault. Trying again would fail the same way, so the end job is not retried: the transaction was rolled back (no batch is half closed) and the pass is marked failed with this code. The mailboxes\' own results are in the store, as each job left them. (A state database that does not answer is retried instead, at most a minute apart.)',
    action: 'Read the reason (and the worker\'s log), fix what it names (or report it with the log when it is a fault of Ferry), then run the pass again: it continues where it stopped and copies nothing twice. ferry status shows where each mailbox stands.',
    fixes: [bash('See where the mailboxes stand', 'npx ferry status <plan>')],
  }),
  code('DIST-016', {
    title: 'A worker lost its mailbox to another worker',
    severity: 'warning',
    message: 'Mailbox {0}: job {1} (owner generation {2}) lost the mailbox to another worker and stopped before writing to the destination again.',
    description:
      'Each worker that takes a mailbox job becomes the mailbox\'s owner in the state database (a generation number it bumps), and every write intent it records checks that it still is. This worker stalled past its job\'s lease (its machine starved of CPU, the process suspended), BullMQ gave the job to another worker, and when this one woke up its next intent was refused: it stopped there, so nothing was written twice. The other worker goes on with the mailbox where it stood.',
    action: 'Nothing to do for the mailbox: the worker that took the job finishes it (ferry status shows it). If this happens often, the workers\' machines are overloaded for their lease: give them more CPU, lower ferry worker --concurrency, or lengthen the lease.',
    fixes: [bash('See where the mailboxes stand', 'npx ferry status <plan>')],
  }),
];
