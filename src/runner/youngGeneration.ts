// The memory of a process that runs passes (`ferry run`, `serve`, `worker`, the extension's runner).
// V8 grows its young generation up to 32 MB (two 16 MB semi-spaces on 64-bit); a pass's garbage
// is short-lived (a message, its FETCH response, its APPEND), so beyond its first 2 MB the young
// generation only holds garbage longer: kept at its initial size, peak RSS of a 20,000-message
// IMAP pass drops by about 30 MB (README, issue 17). The flag is read each time V8 considers
// growing it, so setting it at start is enough. An operator's own flag (NODE_OPTIONS or the
// command line) wins. `ferry` (bin/ferry.js) sets it from dist/youngGeneration.js before it loads
// dist/cli.js: V8 refuses a code cache taken under other flags (bin/bundleCache.js), so a flag set
// once the bundle is compiled made every pass compile it from source and write its cache again.
import { setFlagsFromString } from 'node:v8';

/** The `ferry` commands that run passes. */
export const passCommands: readonly string[] = ['run', 'serve', 'worker'];

const OWN_FLAGS = /--(max-semi-space-size|semi-space-growth-factor|min-semi-space-size)\b/;

export function keepYoungGenerationSmall(): void {
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => OWN_FLAGS.test(a))) return;
  setFlagsFromString('--semi-space-growth-factor=1');
}
