// A test server is ready when its log says so: resolves once `pattern` appears on the stream (every
// chunk copied to `logFile`, and so afterwards), rejects when the process exits first.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';

export function readyWhenLogged(child: ChildProcess, stream: Readable | null, pattern: RegExp, logFile: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      fs.appendFileSync(logFile, chunk);
      if (pattern.test(seen)) {
        stream?.off('data', onData);
        child.off('exit', onExit);
        // keep draining the stream into the log
        stream?.on('data', (c: Buffer) => fs.appendFileSync(logFile, c));
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before it was ready:\n${seen}`));
    stream?.on('data', onData);
    child.once('exit', onExit);
  });
}
