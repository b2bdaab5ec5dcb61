// Tests run from out/test/...; fixtures and sources are found from the repository root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ferry-${prefix}-`));
}
