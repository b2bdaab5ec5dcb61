// Seeded hostile plans and items files for the plan fuzz harness: mutations of the real plans in
// examples/ and test/fixtures/plans (deletions, duplications, deep nesting, long scalars, anchors,
// aliases and alias bombs, huge flow collections, unicode, tabs, CRLF, NUL bytes, many items and
// keys, catastrophic folder expressions) and of their CSV files (huge fields, many columns, quotes,
// BOMs), plus items files that name what a plan must not read (/etc/passwd, devices, a FIFO, a
// symbolic link out of the project). The same seed gives the same cases.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../unit/helpers/prng';

/** A file of the case's project folder: text, or something that is not a plain file. */
export type FuzzFile = { text: string } | { fifo: true } | { symlinkTo: 'outside' | '/etc/passwd' | '/dev/zero' };

export interface PlanCase {
  index: number;
  seed: number;
  mutations: string[];
  plan: string;
  /** Files beside the plan, by name. */
  files: Record<string, FuzzFile>;
}

/** Text a refused file holds: it must never appear in a finding. */
export const CANARY = 'ferry-fuzz-canary-7f3a';
/** Name of the file outside the project folder (a sibling of it) that holds the canary. */
export const OUTSIDE_FILE = 'outside-secret.csv';

interface Seed {
  plan: string;
  files: Record<string, string>;
}

const seedCache = new Map<string, Seed[]>();

function seedsFrom(repo: string): Seed[] {
  const cached = seedCache.get(repo);
  if (cached) return cached;
  const read = (relative: string) => fs.readFileSync(path.join(repo, relative), 'utf8');
  const seeds: Seed[] = [
    { plan: read('examples/demo/demo.migration.yaml'), files: { 'wave2.csv': read('examples/demo/wave2.csv') } },
    { plan: read('test/fixtures/plans/broken/broken.migration.yaml'), files: { 'broken-wave.csv': read('test/fixtures/plans/broken/broken-wave.csv') } },
    { plan: read('test/fixtures/plans/syntax-error.migration.yaml'), files: {} },
  ];
  seedCache.set(repo, seeds);
  return seeds;
}

type Rand = ReturnType<typeof prng>;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const int = (r: Rand, max: number) => Math.floor(r() * max);
let heavy = true;
/** A size from a list in increasing order; the bounded run (heavy off) takes only the two smallest. */
const size = (r: Rand, list: readonly number[]): number => pick(r, heavy ? list : list.slice(0, 2));

const CATASTROPHIC = ['(a+)+$', '^(\\w+\\s?)*$', '(x+x+)+y', '(a|a)*b', '(a|aa)+$', '^(([a-z])+.)+[A-Z]([a-z])+$', '(.*a){12}', '((ab)*)+c', '(?<n>a+)+!', '([a-zA-Z0-9]+)*@'];
const CODE_POINTS = ['\u202e', '\u200b', '\u0301', '\ud83d\ude00', '\ufeff', '\u2028', '\uffff', '\u0000', '\t', '\r', '\u00a0', 'İ', 'ß', '\ud800'];

function lines(text: string): string[] {
  return text.split('\n');
}

/** Each mutation takes the case so far and returns a short description of what it did. */
const planMutations: Record<string, (c: PlanCase, r: Rand) => string> = {
  deleteLines(c, r) {
    const l = lines(c.plan);
    const n = 1 + int(r, 8);
    for (let i = 0; i < n && l.length; i++) l.splice(int(r, l.length), 1 + int(r, 3));
    c.plan = l.join('\n');
    return `deleteLines ${n}`;
  },
  duplicateLines(c, r) {
    const l = lines(c.plan);
    const from = int(r, l.length);
    const block = l.slice(from, from + 1 + int(r, 10));
    const times = size(r, [1, 50, 2000, 20_000]);
    const copies = Array.from({ length: times }, () => block.join('\n')).join('\n');
    c.plan = [...l.slice(0, from), copies, ...l.slice(from)].join('\n');
    return `duplicateLines ${block.length}x${times}`;
  },
  deepFlow(c, r) {
    const d = size(r, [10, 65, 1000, 100_000]);
    const [open, close] = pick(r, [['[', ']'], ['{a: ', '}']]);
    c.plan += `\ndeep: ${open.repeat(d)}${close.repeat(d)}\n`;
    return `deepFlow ${open.trim()} ${d}`;
  },
  deepBlock(c, r) {
    const d = size(r, [20, 70, 3000]);
    c.plan += `\n${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    return `deepBlock ${d}`;
  },
  longScalar(c, r) {
    const n = size(r, [10_000, 1_000_000, 5_000_000]);
    const l = lines(c.plan);
    const candidates = l.map((s, i) => (/:\s+\S/.test(s) ? i : -1)).filter((i) => i >= 0);
    const at = candidates.length ? pick(r, candidates) : 0;
    l[at] = `${(l[at] ?? '').replace(/:\s+.*$/, ':')} ${pick(r, ['x', 'é', '@', '\\u00e9'])}`.padEnd(n, 'x');
    c.plan = l.join('\n');
    return `longScalar ${n}`;
  },
  aliases(c, r) {
    const kind = pick(r, ['undefined', 'self', 'forward', 'many', 'project']);
    if (kind === 'undefined') c.plan += '\nextra: *nowhere\n';
    if (kind === 'self') c.plan += '\nloop: &loop [1, *loop]\n';
    if (kind === 'forward') c.plan = `early: *later\n${c.plan}\nlate: &later 1\n`;
    if (kind === 'many') c.plan += `\nbase: &b { source: a@contoso.example }\nmany: [${Array(size(r, [100, 5000, 20_000])).fill('*b').join(', ')}]\n`;
    if (kind === 'project') c.plan = c.plan.replace(/^project:/m, 'project: &p').concat('\nagain: *p\n');
    return `aliases ${kind}`;
  },
  aliasBomb(c, r) {
    const levels = 5 + int(r, 8);
    const width = 5 + int(r, 6);
    const out = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
    for (let i = 1; i < levels; i++) out.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
    c.plan = r() < 0.5 ? `${out.join('\n')}\n${c.plan}` : `${c.plan}\n${out.join('\n')}\n`;
    return `aliasBomb ${width}^${levels}`;
  },
  mergeKeys(c, r) {
    const n = size(r, [3, 2000]);
    c.plan += `\nshared: &shared { type: maildir, path: ./x }\n${Array.from({ length: n }, (_, i) => `m${i}: { <<: *shared, layout: fs }`).join('\n')}\n`;
    return `mergeKeys ${n}`;
  },
  hugeFlow(c, r) {
    const n = size(r, [1000, 10_000, 50_000, 150_000]);
    const items = Array.from({ length: n }, (_, i) => `{source: u${i}@contoso.example}`).join(', ');
    c.plan = c.plan.replace(/^batches:.*$/m, `batches:\n  - name: Flow\n    items: [${items}]`);
    return `hugeFlow ${n}`;
  },
  manyItems(c, r) {
    const n = size(r, [500, 5000, 20_000, 60_000]);
    const items = Array.from({ length: n }, (_, i) => `      - source: user${i % (n - int(r, 3))}@contoso.example\n        destination: user${i}@fabrikam.example`).join('\n');
    c.plan = c.plan.replace(/^batches:.*$/m, `batches:\n  - name: Many\n    items:\n${items}`);
    return `manyItems ${n}`;
  },
  manyKeys(c, r) {
    const n = size(r, [100, 2000, 20_000]);
    const where = pick(r, ['endpoints', 'project', 'batches']);
    if (where === 'endpoints') c.plan = c.plan.replace(/^endpoints:.*$/m, `endpoints:\n${Array.from({ length: n }, (_, i) => `  e${i}: { type: maildir, path: ./e${i} }`).join('\n')}`);
    if (where === 'project') c.plan = c.plan.replace(/^project:.*$/m, `project: {${Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join(', ')}}`);
    if (where === 'batches') c.plan = c.plan.replace(/^batches:.*$/m, `batches:\n${Array.from({ length: n }, (_, i) => `  - { name: B${i % 50}, items: [{ source: b${i}@contoso.example }] }`).join('\n')}`);
    return `manyKeys ${where} ${n}`;
  },
  unicode(c, r) {
    const n = 1 + int(r, 40);
    let text = c.plan;
    for (let i = 0; i < n; i++) {
      const at = int(r, text.length + 1);
      text = text.slice(0, at) + pick(r, CODE_POINTS) + text.slice(at);
    }
    c.plan = text;
    return `unicode ${n}`;
  },
  tabs(c, r) {
    c.plan = c.plan.replace(/^( {2})+/gm, (m) => (r() < 0.3 ? '\t'.repeat(m.length / 2) : m));
    return 'tabs';
  },
  lineEndings(c, r) {
    const ending = pick(r, ['\r\n', '\r', '\n\r']);
    c.plan = c.plan.replace(/\n/g, () => (r() < 0.7 ? ending : '\n'));
    return `lineEndings ${JSON.stringify(ending)}`;
  },
  nulBytes(c, r) {
    const n = 1 + int(r, 10);
    for (let i = 0; i < n; i++) {
      const at = int(r, c.plan.length + 1);
      c.plan = `${c.plan.slice(0, at)}\0${c.plan.slice(at)}`;
    }
    return `nulBytes ${n}`;
  },
  bom(c) {
    c.plan = `\ufeff${c.plan}`;
    return 'bom';
  },
  truncate(c, r) {
    const at = int(r, c.plan.length);
    c.plan = c.plan.slice(0, at);
    return `truncate ${at}`;
  },
  flipChars(c, r) {
    const chars = [...c.plan];
    const n = 1 + int(r, 20);
    for (let i = 0; i < n && chars.length; i++) chars[int(r, chars.length)] = pick(r, [':', '-', '[', '{', '"', "'", '&', '*', '!', '|', '>', '%', '@', '`', '#', ' ', '\n', '?']);
    c.plan = chars.join('');
    return `flipChars ${n}`;
  },
  folderRegex(c, r) {
    const kind = pick(r, ['catastrophic', 'huge', 'invalid', 'many']);
    const pattern = kind === 'catastrophic' ? pick(r, CATASTROPHIC) : kind === 'huge' ? `(${'a|'.repeat(50_000)}b)` : kind === 'invalid' ? pick(r, ['(Inbox', '\\', '[z-a]', '\\-', 'a{2,1}', '(?<x>a)(?<x>b)']) : '^Junk$';
    const count = kind === 'many' ? 5000 : 1;
    const list = Array.from({ length: count }, () => `      - ${JSON.stringify(pattern)}`).join('\n');
    const block = `options:\n  folders:\n    ${pick(r, ['include', 'exclude'])}:\n${list}\n    map:\n      - { from: ${JSON.stringify(pattern)}, to: 'X/$1' }`;
    c.plan = /^options:/m.test(c.plan) ? c.plan.replace(/^options:.*$/m, `${block}\n  ignored:`) : `${c.plan}\n${block}\n`;
    return `folderRegex ${kind} ${pattern.slice(0, 30)}`;
  },
  oversize(c, r) {
    const mb = size(r, [7, 9]);
    c.plan += `\n# ${'x'.repeat(mb * 1024 * 1024)}\n`;
    return `oversize ${mb} MB`;
  },
  itemsFileTarget(c, r) {
    const target = pick(r, ['/etc/passwd', '/dev/zero', '/dev/urandom', `../${OUTSIDE_FILE}`, 'fifo.csv', 'link-out.csv', 'link-passwd.csv', 'link-zero.csv', '.', 'missing.csv', 'C:\\\\x.csv', '~/.ssh/id_rsa', `/proc/self/environ`]);
    if (target === 'fifo.csv') c.files[target] = { fifo: true };
    if (target === 'link-out.csv') c.files[target] = { symlinkTo: 'outside' };
    if (target === 'link-passwd.csv') c.files[target] = { symlinkTo: '/etc/passwd' };
    if (target === 'link-zero.csv') c.files[target] = { symlinkTo: '/dev/zero' };
    const batch = `  - name: Hostile\n    itemsFile: ${JSON.stringify(target)}`;
    c.plan = /^batches:/m.test(c.plan) ? c.plan.replace(/^batches:.*$/m, `batches:\n${batch}`) : `${c.plan}\nbatches:\n${batch}\n`;
    return `itemsFile ${target}`;
  },
};

/** Mutations of the case's CSV files. */
const csvMutations: Record<string, (text: string, r: Rand) => string> = {
  hugeField: (t, r) => `${t}\n${'h'.repeat(size(r, [100_000, 1_000_000, 5_000_000]))}@contoso.example,\n`,
  manyColumns: (t, r) => `${Array.from({ length: size(r, [100, 2000, 20_000]) }, (_, i) => (i === 0 ? 'source' : `c${i}`)).join(',')}\n${t}`,
  quotes: (t, r) => t.replace(/,/g, () => pick(r, [',', ',"', '","', '"",', ',"""'])),
  bom: (t) => `\ufeff\ufeff${t}`,
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  nul: (t) => t.replace(/@/g, '\0@'),
  manyRows: (t, r) => `source,destination\n${Array.from({ length: size(r, [1000, 10_000, 100_000]) }, (_, i) => `r${i % 500}@contoso.example,`).join('\n')}\n${t}`,
  unclosed: (t) => `${t}\n"never closed,${'x'.repeat(10_000)}\n`,
  empty: () => '',
  blankLines: (t, r) => `${'\n'.repeat(size(r, [10, 200_000]))}${t}`,
};

/** `heavyCases` off keeps sizes small (the unit test run); the long run takes every size. */
export function generatePlanCase(repo: string, seed: number, index: number, heavyCases = true): PlanCase {
  heavy = heavyCases;
  const caseSeed = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  const r = prng(caseSeed);
  const base = pick(r, seedsFrom(repo));
  const c: PlanCase = { index, seed: caseSeed, mutations: [], plan: base.plan, files: {} };
  for (const [name, text] of Object.entries(base.files)) c.files[name] = { text };
  const count = 1 + int(r, 3);
  const names = Object.keys(planMutations);
  for (let i = 0; i < count; i++) {
    const name = pick(r, names);
    c.mutations.push(planMutations[name](c, r));
  }
  const csvNames = Object.keys(c.files).filter((n) => n.endsWith('.csv') && 'text' in c.files[n]);
  if (csvNames.length && r() < 0.4) {
    const file = pick(r, csvNames);
    const mutation = pick(r, Object.keys(csvMutations));
    c.files[file] = { text: csvMutations[mutation]((c.files[file] as { text: string }).text, r) };
    c.mutations.push(`csv ${mutation} ${file}`);
  }
  return c;
}
