// When a Maildir message was received. File times alone lie once a Maildir is copied or restored
// (every file looks new, and a pre-stage moves nothing); the name alone lies for files an IMAP
// server wrote on APPEND (Dovecot names them with the time of the APPEND and keeps the received
// date as the mtime). So: the mtime when the name's delivery time (`<seconds>.<unique>`, which
// Ferry writes with the item's received date) says the same second; else the earlier of the two
// (a copy only ever makes files newer). A name without a time: the earlier of the mtime and the
// message's own date (its top Received header, else its Date header).
import { closeSync, openSync, readSync } from 'node:fs';

/** The header block is read up to this many bytes (headers longer than that are rare and cut). */
const HEADER_BYTES = 64 * 1024;

/** Reads the header block of a message file (synchronously: a small read, cheaper than awaiting it). */
function readHeaderBlock(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const bytesRead = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/** A header field's unfolded value (the first occurrence, the top-most). */
function field(headers: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(headers);
  return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}

function parsed(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  // RFC 5322 dates, with a trailing comment such as "(UTC)" left out.
  const t = Date.parse(text.replace(/\([^)]*\)\s*$/, '').trim());
  return Number.isFinite(t) && t > 0 ? new Date(t) : undefined;
}

/** The date of the top-most Received header (after its last ';'). */
export function receivedDate(headers: string): Date | undefined {
  const received = field(headers, 'Received');
  const at = received?.lastIndexOf(';') ?? -1;
  return received && at >= 0 ? parsed(received.slice(at + 1)) : undefined;
}

/** The Date header's date. */
export function sentDate(headers: string): Date | undefined {
  return parsed(field(headers, 'Date'));
}

/** The delivery time a Maildir file name starts with (seconds since the epoch), if it has one. */
export function fileNameDate(name: string): Date | undefined {
  const m = /^(\d{9,11})\./.exec(name);
  return m ? new Date(Number(m[1]) * 1000) : undefined;
}

/** The received date of a message file from its name, its mtime and, when the name has no time, its headers. */
export function deliveryDate(file: string, name: string, mtimeMs: number): Date {
  const named = fileNameDate(name)?.getTime();
  if (named !== undefined) return new Date(Math.floor(mtimeMs / 1000) * 1000 === named ? mtimeMs : Math.min(mtimeMs, named));
  let headers = '';
  try {
    headers = readHeaderBlock(file);
  } catch {
    // Gone meanwhile (a client moved it), or unreadable: the mtime still says when it came, and an
    // unreadable file is that item's error when it is read (MAILDIR-ITEM-UNREADABLE), not the listing's.
  }
  const own = (receivedDate(headers) ?? sentDate(headers))?.getTime();
  return new Date(own === undefined ? mtimeMs : Math.min(mtimeMs, own));
}
