// The validated plan of a `ferry` command, kept in the user's cache folder (the one bin/ferry.js
// gives the process, beside the bundles' code cache) so that the next command on an unchanged plan
// skips the YAML parser, the schema and the rules (issue 17: ~10 ms of a 100 ms no-op delta).
// A kept result is used only when everything it came from is as it was: the plan's exact text, the
// result of reading every file the validation read (items files, templates: read again and
// compared), and Ferry's code (the running bundle's size and time, Node's version). A result that
// read the clock (a schedule compared with now) or has errors is never kept. Anything unreadable,
// stale or of another shape is ignored and overwritten; a cache that cannot be written only costs
// the speed-up. The folder and its files are the user's alone (0700/0600: a plan's items files name
// a tenant's mailboxes), and an entry whose plan file is gone is dropped when the folder grows
// (each plan path has its own entry: test runs and throwaway copies would pile up).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import type { PlanDiagnostic } from '../plan/diagnostic';
import type { Plan } from '../plan/model';
import { readProjectFile } from '../plan/projectFiles';
import type { NamedFileRead, ValidationObserver } from '../plan/validate';

export interface Validated {
  plan: Plan;
  diagnostics: PlanDiagnostic[];
}

interface Entry {
  code: string;
  planFile: string;
  text: string;
  files: NamedFileRead[];
  validated: Validated;
}

const FOLDER = Symbol.for('ferry.cacheFolder');
/** More entries than this, and those whose plan file is gone are dropped when one is written. */
export const PRUNE_ABOVE = 64;

/** The cache folder bin/ferry.js set for this process (undefined elsewhere: no plan cache). */
export function processCacheFolder(): string | undefined {
  const folder = (globalThis as { [FOLDER]?: unknown })[FOLDER];
  return typeof folder === 'string' && folder !== '' ? folder : undefined;
}

/** Sets (or, undefined, clears) the cache folder of this process. */
export function setProcessCacheFolder(folder: string | undefined): void {
  (globalThis as { [FOLDER]?: string })[FOLDER] = folder;
}

let code: string | undefined;
/** What identifies the validation's code: the running bundle (or compiled file) and Node. */
function codeStamp(): string {
  if (code === undefined) {
    const stat = fs.statSync(__filename);
    code = `${process.version}:${__filename}:${stat.size}:${stat.mtimeMs}`;
  }
  return code;
}

/** One plan file's cached validation: look it up, or observe a validation and keep its result. */
export class PlanCache {
  private readonly files: NamedFileRead[] = [];
  private clockRead = false;
  readonly observer: ValidationObserver = {
    file: (read) => void this.files.push(read),
    clock: () => void (this.clockRead = true),
  };

  private constructor(private readonly file: string, private readonly planFile: string, private readonly text: string) {}

  /** The cache of `planFile` (absolute, links resolved) whose text is `text`; undefined without a cache folder. */
  static of(planFile: string, text: string, folder = processCacheFolder()): PlanCache | undefined {
    if (!folder) return undefined;
    const name = Buffer.from(planFile).toString('base64url');
    // A path too long for a file name is not cached (base64 of 180 bytes is 240 characters).
    if (name.length > 240) return undefined;
    return new PlanCache(path.join(folder, 'plans', name), planFile, text);
  }

  /** The kept result, when the plan's text, every file it read and Ferry's code are unchanged. */
  lookup(): Validated | undefined {
    try {
      const entry = deserialize(fs.readFileSync(this.file)) as Entry;
      if (entry.code !== codeStamp() || entry.planFile !== this.planFile || entry.text !== this.text || !Array.isArray(entry.files)) return undefined;
      const dir = path.dirname(this.planFile);
      for (const f of entry.files) if (!isDeepStrictEqual(readProjectFile(dir, f.written, f.limitBytes), f.read)) return undefined;
      return entry.validated;
    } catch {
      return undefined;
    }
  }

  /** Keeps a result the observer saw made: not one that read the clock, nor one with errors. */
  keep(validated: Validated): void {
    if (this.clockRead || validated.diagnostics.some((d) => d.severity === 'error')) return;
    const temporary = `${this.file}.${process.pid}`;
    try {
      const entry: Entry = { code: codeStamp(), planFile: this.planFile, text: this.text, files: this.files, validated };
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(temporary, serialize(entry), { mode: 0o600 });
      fs.renameSync(temporary, this.file);
      pruneGone(path.dirname(this.file));
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  }
}

/** Drops the entries of `folder` whose plan file no longer exists, once it holds more than PRUNE_ABOVE. */
function pruneGone(folder: string): void {
  const names = fs.readdirSync(folder);
  if (names.length <= PRUNE_ABOVE) return;
  for (const name of names) {
    // An entry's name is its plan's path (base64url); a half-written one (`name.pid`) of a process gone is left to its writer.
    if (name.includes('.')) continue;
    const planFile = Buffer.from(name, 'base64url').toString();
    if (path.isAbsolute(planFile) && !fs.existsSync(planFile)) fs.rmSync(path.join(folder, name), { force: true });
  }
}
