// The acceptance scenario of delta changes (issue 13), shared by the source kinds: after a full
// pass the source changes (read 10, flag 5, move 7 to another folder, delete 3, add 4); a delta must
// leave the destination equal to the source under the plan's deletion policy. A mailbox's state is
// compared as folder -> sorted "content hash|flags" (line endings and \Recent aside).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { buildReport, type MigrationReport } from '../../../src/engine/report';
import { runPass } from '../../../src/engine/runPass';
import type { PassSummary } from '../../../src/engine/summary';
import type { ItemStatus, PassKind } from '../../../src/engine/statuses';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { tempDir } from '../../unit/helpers/repoRoot';
import { addMessages, ensureBuilt, ferryRun, killAtHold } from './maildirFixture';

/** folder path ('INBOX', 'Archive', ...) -> sorted entries `hash|flags`. */
export type MailboxState = Map<string, string[]>;

/** How a state names a message: by content (the default), or by Message-ID where a destination rebuilds the MIME. */
export type KeyOf = (data: Buffer) => string;

export const byContent: KeyOf = (data) => createHash('sha256').update(data.toString('latin1').replace(/\r\n/g, '\n')).digest('hex').slice(0, 16);

export const byMessageId: KeyOf = (data) => /^message-id:\s*(\S+)/im.exec(data.toString('latin1'))?.[1] ?? '(none)';

/** What one message looks like in a state: its key (content, LF line endings) and its flags, sorted. */
export function entryOf(data: Buffer, flags: readonly string[], keyOf: KeyOf = byContent): string {
  return entry(keyOf(data), flags);
}

/** An entry from a message's key and flags (system flags only, lower case, \Recent aside). */
export function entry(key: string, flags: readonly string[]): string {
  const shown = [...new Set(flags.filter((f) => f.toLowerCase() !== '\\recent' && f.startsWith('\\')).map((f) => f.toLowerCase()))].sort();
  return `${key}|${shown.join(' ')}`;
}

const LETTERS: Record<string, string> = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };

/** The state of a Maildir mailbox; `layout` names folders (Maildir++ `.A.B` or fs `A/B`). */
export function maildirState(box: string, layout: 'maildir++' | 'fs', keyOf: KeyOf = byContent): MailboxState {
  const state: MailboxState = new Map();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      if (e.name === 'cur' || e.name === 'new') {
        const rel = path.relative(box, dir);
        const folder = rel === '' ? 'INBOX' : layout === 'fs' ? rel.split(path.sep).join('/') : rel.replace(/^\./, '').split('.').join('/');
        for (const f of fs.readdirSync(p)) {
          const info = /:2,([A-Za-z]*)$/.exec(f)?.[1] ?? '';
          const flags = [...info].flatMap((l) => (LETTERS[l] ? [LETTERS[l]] : []));
          state.set(folder, [...(state.get(folder) ?? []), entryOf(fs.readFileSync(path.join(p, f)), flags, keyOf)]);
        }
      } else if (e.name !== 'tmp') walk(p);
    }
  };
  walk(box);
  for (const [k, v] of state) {
    if (v.length) v.sort();
    else state.delete(k);
  }
  return state;
}

/** The keywords (dovecot-keywords letters) of the message holding `content` in the Maildir folder `dir`, sorted. */
export function maildirKeywords(dir: string, content: Buffer): string[] {
  const file = path.join(dir, 'dovecot-keywords');
  const names = new Map(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => [String.fromCharCode(97 + Number(l.split(' ')[0])), l.slice(l.indexOf(' ') + 1)] as const) : []);
  const name = fs.readdirSync(path.join(dir, 'cur')).find((f) => fs.readFileSync(path.join(dir, 'cur', f)).equals(content));
  assert.ok(name, 'the message is in the folder');
  return [.../:2,([A-Za-z]*)$/.exec(name)![1]].filter((l) => l >= 'a' && l <= 'z').map((l) => names.get(l) ?? `?${l}`).sort();
}

/** `base` with `extra` entries added to `folder` (the kept or binned items of a deletion policy). */
export function withEntries(base: MailboxState, folder: string, extra: readonly string[]): MailboxState {
  const out: MailboxState = new Map([...base].map(([k, v]) => [k, [...v]]));
  if (extra.length) out.set(folder, [...(out.get(folder) ?? []), ...extra].sort());
  return out;
}

/** Compares two states folder by folder (empty folders do not count). */
export function assertSameState(actual: MailboxState, expected: MailboxState, what: string): void {
  const tidy = (s: MailboxState) => Object.fromEntries([...s].filter(([, v]) => v.length).sort(([a], [b]) => a.localeCompare(b)));
  assert.deepEqual(tidy(actual), tidy(expected), what);
}

/** The counts `ferry report --format json` gives for each kind of change. */
export interface ChangeCounts {
  flags: number;
  moved: number;
  deleted: number;
  'kept-deleted': number;
  'conflict-left': number;
  updated: number;
}

export type DeletionPolicy = 'keep' | 'delete' | 'move';

/** The report's counts the scenario must produce under a policy (read 10 + flag 5 = 15 flag changes). */
export function expectedCounts(policy: DeletionPolicy): ChangeCounts {
  return { flags: 15, moved: 7, deleted: policy === 'keep' ? 0 : 3, 'kept-deleted': policy === 'keep' ? 3 : 0, 'conflict-left': 0, updated: 0 };
}

/** Where the destination has the 3 deleted items under each policy (undefined: nowhere). */
export function expectedDestination(source: MailboxState, deleted: readonly string[], policy: DeletionPolicy, deletedItems: string): MailboxState {
  if (policy === 'keep') return withEntries(source, 'INBOX', deleted);
  if (policy === 'move') return withEntries(source, deletedItems, deleted);
  return source;
}

/** A Maildir source mailbox for the scenario: 30 unread messages in INBOX, 5 read ones in Archive. */
export interface MaildirSource {
  /** The folder holding the mailboxes (the plan's `./source`). */
  root: string;
  address: string;
  /** The mailbox's Maildir. */
  box: string;
  /** INBOX's files, in order. */
  inbox: string[];
}

export function maildirSource(dir: string, address: string): MaildirSource {
  const root = path.join(dir, 'source');
  const inbox = addMessages(root, address, ['INBOX'], 30).map((f) => renameInfo(f, ''));
  addMessages(root, address, ['Archive'], 5);
  return { root, address, box: path.join(root, address), inbox };
}

/** Gives a message file other flag letters; returns its new name. */
export function renameInfo(file: string, info: string): string {
  const next = file.replace(/:2,[A-Za-z]*$/, `:2,${info}`);
  fs.renameSync(file, next);
  return next;
}

/** Read 10, flag 5, move 7 to Archive, delete 3, add 4 (as a mail client would); returns the deleted items' entries. */
export function changeMaildirSource(s: MaildirSource, keyOf: KeyOf = byContent): string[] {
  s.inbox.slice(0, 10).forEach((f) => renameInfo(f, 'S'));
  s.inbox.slice(10, 15).forEach((f) => renameInfo(f, 'F'));
  for (const f of s.inbox.slice(15, 22)) fs.renameSync(f, path.join(s.box, '.Archive', 'cur', path.basename(f)));
  const deleted = s.inbox.slice(22, 25).map((f) => entryOf(fs.readFileSync(f), [], keyOf));
  s.inbox.slice(22, 25).forEach((f) => fs.rmSync(f));
  addMessages(s.root, s.address, ['INBOX'], 4);
  return deleted;
}

/** A one-mailbox project run in this process (the fakes answer from here): its store, passes and report counts. */
export interface InProcessProject {
  dir: string;
  store: Store;
  /** Runs a pass and checks the mailbox ended Completed (Resynced for a delta), or as `expect` says. */
  run(pass: PassKind, expect?: ItemStatus): Promise<PassSummary>;
  /** The report's changes by kind. */
  counts(): ChangeCounts;
  /** The report of the project. */
  report(): MigrationReport;
}

/** The one-mailbox plan of a scenario project: endpoints `src` and `dst`, the deletion policy. */
export interface ScenarioItem {
  source: string;
  destination: string;
  /** The item's destinationAuth, as YAML. */
  destinationAuth?: string;
}

function planText(endpoints: { src: string; dst: string }, item: ScenarioItem, policy: DeletionPolicy): string {
  return `version: 1
project: { name: Delta }
endpoints:
  src: ${endpoints.src}
  dst: ${endpoints.dst}
source: src
destination: dst
options:
  delta: { deletions: ${policy} }
batches:
  - name: Main
    items:
      - { source: ${item.source}, destination: ${item.destination}${item.destinationAuth ? `, destinationAuth: ${item.destinationAuth}` : ''} }
`;
}

export function inProcessProject(endpoints: { src: string; dst: string }, item: ScenarioItem, policy: DeletionPolicy, secrets: Record<string, string>): InProcessProject {
  const dir = tempDir('ferry-delta-project');
  const file = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(file, planText(endpoints, item, policy));
  const { plan } = loadPlan(file);
  const store = Store.open(path.join(dir, '.ferry'));
  const retry = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
  return {
    dir,
    store,
    run: async (pass, expect) => {
      const summary = await runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry });
      assert.equal(summary.items[0].status, expect ?? (pass === 'delta' ? 'Resynced' : 'Completed'), JSON.stringify(summary.items));
      return summary;
    },
    counts: () => buildReport(store, file)!.changes.byKind as ChangeCounts,
    report: () => buildReport(store, file)!,
  };
}

/** `ferry` children on a plan (for kill -9): its passes, report counts and a delta killed at a hold point. */
export interface FerryChildren {
  run(pass: string): Promise<PassSummary>;
  counts(): Promise<ChangeCounts>;
  byItemType(): Promise<unknown>;
  /** Runs a delta and kills it with SIGKILL at `hold`. */
  killDeltaAt(hold: string): Promise<void>;
}

export function ferryChild(plan: string, env: NodeJS.ProcessEnv): FerryChildren {
  const ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
  const dir = path.dirname(plan);
  const report = async () => {
    const r = await ferryRun(ferry, ['report', plan, '--format', 'json'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { changes: { byKind: ChangeCounts; byItemType: unknown } }).changes;
  };
  return {
    run: async (pass) => {
      const r = await ferryRun(ferry, ['run', plan, '--pass', pass, '--json'], dir, env);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      return JSON.parse(r.stdout) as PassSummary;
    },
    counts: async () => (await report()).byKind,
    byItemType: async () => (await report()).byItemType,
    killDeltaAt: (hold) => killAtHold(ferry, ['run', plan, '--pass', 'delta'], dir, env, hold),
  };
}

/** A one-mailbox scenario project run by `ferry` children, in its own folder. */
export function childProject(endpoints: { src: string; dst: string }, item: ScenarioItem, policy: DeletionPolicy, env: NodeJS.ProcessEnv): FerryChildren & { dir: string } {
  const dir = tempDir('ferry-delta-child');
  const plan = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(plan, planText(endpoints, item, policy));
  return { dir, ...ferryChild(plan, env) };
}
