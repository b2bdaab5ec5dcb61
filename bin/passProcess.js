// The native memory of a process that runs passes (`ferry run`, `serve`, `worker`; issue 17).
// Two settings only apply before a process starts, so bin/ferry.js starts such a command again in
// the same process (execve: same pid, same start time, as the runner lock records it) with:
// - glibc's malloc arenas capped at 2 (GLIBC_TUNABLES): glibc gives every thread that allocates an
//   arena of its own (V8's workers, libuv's pool), each keeping what it once held;
// - one V8 worker thread instead of four (--v8-pool-size=1): on the 2 cores a pass gets, more
//   workers only add arenas and stacks.
// Measured on 20,000 messages IMAP -> IMAP: peak RSS 104-114 -> 96-98 MiB, CPU not more; the
// restart costs one Node start (about 20-30 ms). Linux only (GLIBC_TUNABLES; execve is not on
// Windows). An operator's own arena or pool setting wins, and then nothing is restarted.
'use strict';

const PASS_COMMANDS = new Set(['run', 'serve', 'worker']);
const ARENAS = 'glibc.malloc.arena_max=2';

/** Starts `command` again with the pass settings, when it runs passes and they are not set yet; returns otherwise. */
function restartForPasses(command) {
  if (!PASS_COMMANDS.has(command) || process.platform !== 'linux' || typeof process.execve !== 'function') return;
  const tunables = process.env.GLIBC_TUNABLES ?? '';
  const ownPool = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /--v8-pool-size\b/.test(a));
  if (/\bglibc\.malloc\.arena_max=/.test(tunables) || ownPool) return;
  const env = { ...process.env, GLIBC_TUNABLES: tunables ? `${tunables}:${ARENAS}` : ARENAS };
  process.execve(process.execPath, [process.execPath, '--v8-pool-size=1', ...process.execArgv, ...process.argv.slice(1)], env);
}

module.exports = { restartForPasses };
