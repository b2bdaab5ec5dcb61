// A child process for lock tests: takes the runner lock of argv[2], says `held <pid>` on stdout and
// keeps it until its stdin closes (or it is killed). Hold points (FERRY_HOLD_AT) pause it inside.
import { acquireLock, LockHeldError } from '../../../src/store/lock';

if (require.main === module) {
  try {
    const release = acquireLock(process.argv[2], 'runner');
    process.stdout.write(`held ${process.pid}\n`);
    process.stdin.resume();
    process.stdin.on('end', () => {
      release();
      process.exit(0);
    });
  } catch (err) {
    process.stdout.write(err instanceof LockHeldError ? `refused ${err.holder?.pid ?? 'unknown'}\n` : `error ${(err as Error).message}\n`);
    process.exit(1);
  }
}
