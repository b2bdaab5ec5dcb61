// The test's side of src/store/holdPoint.ts: the environment that arms hold points in a child
// process, waiting until processes reach one, and releasing them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reachedFile, releaseFile } from '../../../src/store/holdPoint';
import { tempDir } from './repoRoot';

export class HoldPoints {
  readonly dir = tempDir('hold');

  /** Environment for a child process: hold at these points (`name` or `name#N`). */
  env(points: string[], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return { ...base, FERRY_HOLD_AT: points.join(','), FERRY_HOLD_DIR: this.dir };
  }

  /** The pids of the processes waiting at `name`, once `count` of them are there. */
  async reached(name: string, count = 1, what = `${count} process(es) at ${name}`): Promise<number[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pids = fs.readdirSync(this.dir).flatMap((f) => {
        const m = new RegExp(`^${name.replace(/[.#]/g, '\\$&')}\\.(\\d+)\\.reached$`).exec(f);
        return m ? [Number(m[1])] : [];
      });
      if (pids.length >= count) return pids;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Has process `pid` reached `name`? */
  has(name: string, pid: number): boolean {
    return fs.existsSync(reachedFile(this.dir, name, pid));
  }

  /** Lets every process (or the one `pid`) go on from `name`. */
  release(name: string, pid?: number): void {
    fs.writeFileSync(releaseFile(this.dir, name, pid), '');
  }

  /** Where a hold file of this test goes (for asserting on them). */
  file(name: string): string {
    return path.join(this.dir, name);
  }
}
