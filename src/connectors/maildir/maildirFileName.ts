// Maildir file names: `<unique>:2,<flags>` in cur/, `<unique>` in new/. The standard flag letters
// map to IMAP system flags; lower-case letters are keywords numbered in the folder's
// `dovecot-keywords` file (the convention Dovecot uses, so its Maildirs read the same).
import * as os from 'node:os';

/** Standard Maildir info letters and the IMAP system flags they stand for, both ways. */
const SYSTEM_LETTERS: Readonly<Record<string, string>> = {
  D: '\\Draft',
  F: '\\Flagged',
  R: '\\Answered',
  S: '\\Seen',
  T: '\\Deleted',
};

/**
 * Letters read but never written: `P` (passed) is $Forwarded to mutt and Courier, but Dovecot 2.3
 * ignores it, so $Forwarded is written as a keyword (a dovecot-keywords letter), as Dovecot does.
 */
const LETTER_TO_FLAG: Readonly<Record<string, string>> = { ...SYSTEM_LETTERS, P: '$Forwarded' };

const FLAG_TO_LETTER: ReadonlyMap<string, string> = new Map(Object.entries(SYSTEM_LETTERS).map(([letter, flag]) => [flag.toLowerCase(), letter]));

/** The parts of a Maildir file name. */
export interface ParsedName {
  /** The unique part: the item id. */
  id: string;
  /** The letters after `:2,` (empty in new/). */
  info: string;
}

/** Splits a file name into its unique part and its flag letters. */
export function parseFileName(name: string): ParsedName {
  const colon = name.indexOf(':');
  if (colon === -1) return { id: name, info: '' };
  const rest = name.slice(colon + 1);
  return { id: name.slice(0, colon), info: rest.startsWith('2,') ? rest.slice(2) : '' };
}

/** IMAP flags from the info letters; `keyword` resolves lower-case letters (undefined drops it). */
export function flagsFromInfo(info: string, keyword: (letter: string) => string | undefined): string[] {
  const flags = new Set<string>();
  for (const letter of info) {
    const flag = LETTER_TO_FLAG[letter] ?? (letter >= 'a' && letter <= 'z' ? keyword(letter) : undefined);
    if (flag) flags.add(flag);
  }
  return [...flags];
}

/** The info letters (sorted, as the spec asks) for IMAP flags; `letterFor` assigns keyword letters. */
export function infoFromFlags(flags: readonly string[], letterFor: (keyword: string) => string | undefined): string {
  const letters = new Set<string>();
  for (const flag of flags) {
    if (flag.toLowerCase() === '\\recent') continue;
    const letter = FLAG_TO_LETTER.get(flag.toLowerCase()) ?? (flag.startsWith('\\') ? undefined : letterFor(flag));
    if (letter) letters.add(letter);
  }
  return [...letters].sort().join('');
}

// Process-wide on purpose: two destinations in one process must never make the same name.
let counter = 0;
// The spec asks for "/" and ":" in the host name to be escaped so the name stays one path segment.
const host = os.hostname().replace(/\//g, '\\057').replace(/:/g, '\\072') || 'localhost';

/** A new unique part: `<seconds>.<pid>_<counter>.<host>,S=<size>` (size lets readers skip a stat). */
export function newUniqueName(size: number, now = Date.now()): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Math.floor(now / 1000)}.${process.pid}_${counter}.${host},S=${size}`;
}
