// Content fingerprints that find a message an earlier pass wrote although the store never recorded
// it. IMAP servers such as Dovecot store and return messages with CRLF line endings whatever was
// appended, so the fingerprint hashes the message with every bare LF turned into CRLF; Maildir keeps
// bytes as they are, so the exact hash is kept beside it.
import { countBareLineFeeds } from './bareLineFeeds';
import type { ItemContent, WrittenProbe } from './types';

let crypto: typeof import('node:crypto') | undefined;
/** node:crypto, loaded on the first hash: a pass that copies nothing (a quiet delta) need not load it (~5 ms). */
export function nodeCrypto(): typeof import('node:crypto') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto;
}

function hash(algorithm: string, data: Buffer, encoding: 'hex'): string {
  return nodeCrypto().hash(algorithm, data, encoding);
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The bytes with every LF not preceded by CR turned into CRLF; the same Buffer when there is none.
 * `bare`: their countBareLineFeeds, when the caller counted them already (one scan of the bytes less).
 */
export function toCrlf(data: Buffer, bare = countBareLineFeeds(data)): Buffer {
  if (bare === 0) return data;
  const out = Buffer.allocUnsafe(data.length + bare);
  let from = 0;
  let to = 0;
  for (let i = data.indexOf(LF); i !== -1; i = data.indexOf(LF, i + 1)) {
    if (i > 0 && data[i - 1] === CR) continue;
    to += data.copy(out, to, from, i);
    out[to++] = CR;
    from = i;
  }
  data.copy(out, to, from);
  return out;
}

/** Size the message has once its line endings are CRLF (what IMAP RFC822.SIZE reports). */
export function crlfSize(data: Buffer): number {
  return data.length + countBareLineFeeds(data);
}

// One-shot hashing (crypto.hash): no Hash object per message, which cost more than hashing a
// small message.
/** SHA-256 (hex) of the message with line endings normalised to CRLF. */
export function contentFingerprint(data: Buffer, bare?: number): string {
  return hash('sha256', toCrlf(data, bare), 'hex');
}

/** SHA-256 (hex) of the exact bytes. */
export function exactHash(data: Buffer): string {
  return hash('sha256', data, 'hex');
}

/**
 * Where the header block of a raw message ends: the start of its first empty line (`\r?\n\r?\n`),
 * found in the bytes line by line; -1 when there is none.
 */
export function headerEnd(data: Buffer): number {
  for (let i = data.indexOf(LF); i !== -1; i = data.indexOf(LF, i + 1)) {
    const next = data[i + 1] === CR ? i + 2 : i + 1;
    if (data[next] === LF) return i > 0 && data[i - 1] === CR ? i - 1 : i;
  }
  return -1;
}

/** The Message-ID header of a raw message (with its angle brackets), if it has one. */
export function messageIdOf(data: Buffer): string | undefined {
  // Only the header block matters (found in the bytes, so a body is never turned into text); cap
  // the scan so a message without a blank line costs little.
  const capped = data.subarray(0, Math.min(data.length, 256 * 1024));
  const end = headerEnd(capped);
  const head = (end === -1 ? capped : capped.subarray(0, end)).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id[ \t]*:[ \t]*(.*?)[ \t]*\r?$/im.exec(unfolded);
  const value = match?.[1].trim();
  return value ? value : undefined;
}

/** The hashes and size of a probe: SHA-256 of the exact bytes, of the bytes with CRLF line endings, and that size. */
export interface ProbeHashes {
  sizeBytes: number;
  exactHash: string;
  fingerprint: string;
}

/** Hashes computed for a message's Buffer as its bytes arrived (streamingProbe.ts), before anyone asked; and whether it holds a NUL. */
const known = new WeakMap<Buffer, { hashes: ProbeHashes; nul: boolean }>();

/**
 * Remembers the hashes of `data` (its bytes never change afterwards), and whether a NUL byte is
 * among them: probeHashes and holdsNul take them from here.
 */
export function rememberHashes(data: Buffer, hashes: ProbeHashes, nul: boolean): void {
  known.set(data, { hashes, nul });
}

/** The hashes remembered for `data`, if it was hashed as it arrived. */
export function knownHashes(data: Buffer): ProbeHashes | undefined {
  return known.get(data)?.hashes;
}

/**
 * Whether `data` holds a NUL byte (an IMAP APPEND must then send it as literal8): what was seen as
 * its bytes arrived, while each piece was in the CPU's cache; else a scan of the whole message
 * (long out of the cache by the time it is written: ~10 ms of a pass of 50 x 3.6 MB).
 */
export function holdsNul(data: Buffer): boolean {
  return known.get(data)?.nul ?? data.includes(0);
}

export function probeHashes(data: Buffer): ProbeHashes {
  const streamed = knownHashes(data);
  if (streamed) return streamed;
  // Counted once: the size and the CRLF copy both take the count (one scan of the bytes less).
  const bare = countBareLineFeeds(data);
  // Mail from IMAP is CRLF already: then both hashes are the same and one pass over the bytes does
  // (it is the largest cost of a probe; a 5 MB attachment would otherwise be hashed twice).
  const exact = exactHash(data);
  return { sizeBytes: data.length + bare, exactHash: exact, fingerprint: bare === 0 ? exact : contentFingerprint(data, bare) };
}

/** The probe findWritten looks for, from the content the source gave. */
export function probeOf(content: ItemContent, messageId?: string): WrittenProbe {
  return probeFrom(content, messageId, probeHashes(content.data));
}

/** A probe from its content and hashes (probeOf, or probeOfAsync in offThreadHash.ts). */
export function probeFrom(content: ItemContent, messageId: string | undefined, hashes: ProbeHashes): WrittenProbe {
  const id = messageId ?? messageIdOf(content.data);
  return {
    ...(id ? { messageId: id } : {}),
    fingerprint: hashes.fingerprint,
    exactHash: hashes.exactHash,
    date: content.date,
    sizeBytes: hashes.sizeBytes,
    ...(content.flagsUnknown ? {} : { flags: content.flags }),
    ...(content.format === 'opaque' ? { opaque: true as const } : {}),
  };
}
