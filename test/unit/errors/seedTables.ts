// Reads the tables of seed 004 (the Microsoft 365 orchestrated-migration error article) so the
// tests can hold the catalog against the source it was written from.
import * as fs from 'node:fs';

/** The seed under ../shared (see test/unit/helpers/sharedReference.ts). */
export const SEED = 'seeds/004_2551bf36b4d8a9ec.txt';

export interface SeedRow {
  readonly section: string;
  /** Bold or backticked code of the first column; undefined for sections without a code column. */
  readonly code?: string;
  readonly message: string;
  readonly description?: string;
  readonly action?: string;
  /** The raw cells, for link checks. */
  readonly cells: readonly string[];
}

function splitCells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

function unbold(cell: string): string {
  return cell.replace(/^\*\*(.*)\*\*$/, '$1').replace(/^`(.*)`$/, '$1').trim();
}

/** Rows of every table, grouped by the `## ` heading they sit under, in seed order. */
export function parseSeed(text: string): Map<string, SeedRow[]> {
  const sections = new Map<string, SeedRow[]>();
  let section = '';
  let header: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      header = undefined;
      continue;
    }
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = splitCells(line);
    if (!header) {
      header = cells.map(unbold);
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    if (cells.length !== header.length) throw new Error(`seed row in "${section}" has ${cells.length} cells, header ${header.length}: ${line}`);
    const col = (name: string) => {
      const i = header!.indexOf(name);
      return i < 0 ? undefined : cells[i];
    };
    const codeCell = col('Error code');
    const rows = sections.get(section) ?? [];
    rows.push({
      section,
      code: codeCell === undefined ? undefined : unbold(codeCell),
      message: col('Error message') ?? '',
      description: col('Description'),
      action: col('Action'),
      cells,
    });
    sections.set(section, rows);
  }
  return sections;
}

export function readSeed(file: string): Map<string, SeedRow[]> {
  return parseSeed(fs.readFileSync(file, 'utf8'));
}

/** Typos of the seed that the catalog corrects on purpose: seed text -> catalog text. */
export const SEED_TYPO_FIXES: readonly (readonly [RegExp, string])[] = [
  [/missmatch/g, 'mismatch'],
  [/Retry yjr mapping/g, 'Retry the mapping'],
  [/need to the follow/g, 'need to follow'],
  [/have to the follow/g, 'have to follow'],
  [/No action required required/g, 'No action required'],
  [/documentation retry migration/g, 'documentation and retry migration'],
];

/**
 * Reduces text to lower-case words so that seed Markdown and catalog text compare equal:
 * HTML breaks and lists and link targets go, placeholders (`<X>`, `[X]`, `{0}`) become `{}`.
 */
export function normalize(text: string): string {
  return text
    .replace(/<br>|<\/?ul>|<\/?li>/g, ' ')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1')
    .replace(/\\</g, '<')
    .replace(/<[^<>]*>/g, '{}')
    .replace(/\[[A-Z]\]/g, '{}')
    .replace(/\{\d+\}/g, '{}')
    .toLowerCase()
    .replace(/[^a-z0-9{}]+/g, ' ')
    .trim();
}

export function withTypoFixes(text: string): string {
  return SEED_TYPO_FIXES.reduce((t, [from, to]) => t.replace(from, to), text);
}

/** Link targets of a Markdown cell as absolute addresses (mailto links left out). */
export function linkTargets(cell: string): string[] {
  return [...cell.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((u) => !u.startsWith('mailto:'))
    .map((u) => (u.startsWith('/') ? `https://learn.microsoft.com${u}` : u));
}
