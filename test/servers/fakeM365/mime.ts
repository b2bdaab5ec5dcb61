// Just enough RFC 5322 for the fake: the header fields Graph surfaces as message properties.
import { randomBytes } from 'node:crypto';

/** An unfolded header field of a raw message (first occurrence), without decoding. */
export function headerOf(raw: Buffer, name: string): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const escaped = name.replace(/[-]/g, '\\-');
  const m = new RegExp(`^${escaped}[ \\t]*:[ \\t]*(.*?)[ \\t]*\\r?$`, 'im').exec(unfolded);
  return m?.[1] || undefined;
}

/** Exchange names a message without a Message-ID itself. */
export function generatedMessageId(): string {
  return `<${randomBytes(12).toString('hex').toUpperCase()}@FAKE.PROD.OUTLOOK.COM>`;
}

/** The Date header as ISO 8601, or undefined when missing or unreadable. */
export function dateOf(raw: Buffer): string | undefined {
  const value = headerOf(raw, 'date');
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
