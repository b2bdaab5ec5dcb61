// `ferry restore [file] [--state DIR]`: puts back the backup Ferry keeps of the state database
// (written after each pass that ends) when the database is damaged (STORE-010). Takes the runner
// lock, checks the backup, sets the current files aside (nothing is deleted) and says what the
// next run will do. Without a backup, the rebuild is from the destination: a full pass on an empty
// state folder looks each item up there (engine/folderCopy.ts) instead of copying it twice.
import { restoreBackup } from '../../store/backup';
import { acquireLock, LockHeldError } from '../../store/lock';
import { when } from '../format';
import type { CliIo } from '../io';
import { reportLockHeld, stateDirOf } from '../planState';
import { ExitCode } from '../usage';

export function restoreCommand(args: { file?: string; state?: string }, io: CliIo): number {
  const stateDir = stateDirOf(io, args.file, args.state);
  let release: () => void;
  try {
    release = acquireLock(stateDir, 'cli');
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    reportLockHeld(io, err, stateDir);
    return ExitCode.failed;
  }
  try {
    const restored = restoreBackup(stateDir);
    io.out(`Restored the state of ${stateDir} from the backup written ${when(restored.backupAt.toISOString())}.`);
    if (restored.setAside) io.out(`The files it replaced are kept in ${restored.setAside}.`);
    io.out('Run the pass again: it continues from the backup. Items copied after the backup was written may be copied again.');
    return ExitCode.ok;
  } finally {
    release();
  }
}
