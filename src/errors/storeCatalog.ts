// Ferry's state-store codes: what opening or writing the state folder (`.ferry/`) can report: a
// full disk, a damaged or foreign database, a database another program holds, the backup.
import { bash, runEntries } from './engineCatalog';
import type { CatalogEntry } from './types';

const RESTORE = bash('Restore the backup Ferry keeps', 'npx ferry restore <plan>');

const code = runEntries('Ferry state store');

export const storeEntries: readonly CatalogEntry[] = [
  code('STORE-001', {
    title: 'The state folder is out of space',
    severity: 'error',
    message: 'Cannot write the state of this run: the disk holding {0} is full ({1}).',
    description:
      'Ferry records every item it copies in the state database before it moves on. The write failed for lack of space, so the run stopped there; what was recorded before stays, and the item in flight is settled against the destination on the next run.',
    action: 'Free space at {0} (or move the state folder with --state), then run the pass again: it continues where it stopped.',
    fixes: [bash('Show the free space', 'df -h <stateDir>')],
  }),
  code('STORE-010', {
    title: 'The state database is damaged',
    severity: 'error',
    message: 'The state database {0} is damaged ({1}); nothing ran on it.',
    description:
      'Ferry checks the state database when it opens it (SQLite integrity check, schema version, expected tables) and never works from a damaged one: wrong state could copy items twice or skip them. After every pass Ferry keeps a checked copy in the backup folder of the state folder.',
    action:
      'Either run `ferry restore <plan>`: it sets the damaged file aside and puts back the copy made when the last pass ended (items copied after that may be copied again); or rebuild from the destination: move the state folder aside and run a full pass: knowing nothing of the folders, Ferry looks each item up at the destination and records what is there instead of copying it again (slower; statuses, approvals and error history start over).',
    fixes: [RESTORE, bash('Rebuild from the destination', 'mv <stateDir> <stateDir>.damaged && npx ferry run <plan> --pass full')],
  }),
  code('STORE-011', {
    title: 'The state database is from a newer Ferry',
    severity: 'error',
    message: 'The state database {0} has schema version {1}; this Ferry knows up to {2}.',
    description: 'A newer Ferry wrote this state folder. This one does not know its tables and refuses to guess.',
    action: 'Use the Ferry that wrote it, or a newer one.',
    fixes: [bash('Show the installed Ferry version', 'npx ferry version')],
  }),
  code('STORE-012', {
    title: 'Another program holds the state database',
    severity: 'error',
    message: 'The state database {0} is locked by another program ({1}).',
    description: 'A program that is not this state folder\'s runner (a sqlite3 shell, a backup or sync tool) holds a lock on the database, so Ferry cannot read or write it. Ferry waited 5 seconds for it.',
    action: 'Close the program that holds {0}, then run the command again.',
    fixes: [bash('Find who holds it', 'fuser -v <stateDir>/state.db')],
  }),
  code('STORE-013', {
    title: 'The state database cannot be opened',
    severity: 'error',
    message: 'The state database {0} cannot be opened ({1}).',
    description: 'The path of the state database is not a file Ferry may read and write: a folder, a file without permission, or a missing disk.',
    action: 'Check {0}; if something replaced the database, restore the backup with `ferry restore <plan>`.',
    fixes: [RESTORE],
  }),
  code('STORE-020', {
    title: 'No usable backup of the state database',
    severity: 'error',
    message: 'No usable backup at {0} ({1}).',
    description: 'Ferry writes the backup after each pass that ends; there is none yet, or it does not pass the integrity check. Nothing was changed.',
    action: 'Rebuild from the destination: move the state folder aside and run a full pass: Ferry looks each item up at the destination and records what is there instead of copying it again.',
    fixes: [bash('Rebuild from the destination', 'mv <stateDir> <stateDir>.damaged && npx ferry run <plan> --pass full')],
  }),
  // Distributed mode: the state in a PostgreSQL database every worker shares (FERRY_DATABASE_URL).
  code('STORE-030', {
    title: 'The shared state database cannot be reached',
    severity: 'error',
    message: 'The PostgreSQL state database {0} cannot be reached ({1}).',
    description:
      'In distributed mode every worker records its progress in one PostgreSQL database. A statement waited for the server and it did not come back (stopped, restarting, unreachable from this machine). Nothing is lost: what was committed stays, and a mailbox whose transaction was cut is taken again (its job is retried) and settled against the destination.',
    action: 'Start PostgreSQL or check the network to {0} from this machine (FERRY_DATABASE_URL), then run the pass or the worker again: it continues where it stopped.',
    fixes: [bash('Check the server answers', 'pg_isready -d "$FERRY_DATABASE_URL"')],
  }),
  code('STORE-031', {
    title: 'The shared state database refused Ferry',
    severity: 'error',
    message: 'The PostgreSQL state database {0} refused the login or has no such database ({1}).',
    description:
      'PostgreSQL answered but refused the user, the password or the database named in FERRY_DATABASE_URL. The password comes from FERRY_DATABASE_PASSWORD_FILE or the secret FERRY_DATABASE_PASSWORD_SECRET names, never from the URL given on a command line.',
    action: 'Check the user and database in FERRY_DATABASE_URL and the password Ferry reads for it, and that pg_hba.conf lets this machine in.',
    fixes: [bash('Try the same login', 'psql "$FERRY_DATABASE_URL" -c "select 1"')],
  }),
];
