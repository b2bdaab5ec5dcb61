// File attachments of a message written through Graph, as "Attach large files to Outlook messages
// or events" says: one POST .../attachments (a fileAttachment with contentBytes) while the request
// stays within Graph's 4 MB limit (attachments under 3 MB), else an upload session
// (attachments/createUploadSession, 3 MB to 150 MB) and sequential PUTs of at most 4 MB with
// Content-Range to its pre-authenticated uploadUrl, sent without the bearer token. After a failed
// range the session's nextExpectedRanges says where to go on; an expired session starts anew.
import type { AttachmentItem, FileAttachment, UploadSession } from '@microsoft/microsoft-graph-types';
import { ConnectorError } from '../types';
import { graphError } from './graphErrors';
import { soon } from './graphRetry';
import type { GraphSession } from './graphSession';
import type { AttachmentToWrite } from './mimeToGraph';
import { preauthError } from './preauthHttp';

/** Graph's largest request body. */
export const GRAPH_REQUEST_LIMIT = 4 * 1024 * 1024;
/** Bytes per upload PUT: within the 4 MB a range may hold, a multiple of 320 KiB. */
export const UPLOAD_CHUNK = 12 * 320 * 1024;

/** Bytes of a request body as sent (JSON). */
export const jsonBytes = (body: unknown) => Buffer.byteLength(JSON.stringify(body), 'utf8');

export function fileAttachmentJson(a: AttachmentToWrite): FileAttachment {
  return { '@odata.type': '#microsoft.graph.fileAttachment', name: a.name, contentType: a.contentType, contentBytes: a.bytes.toString('base64'), isInline: a.isInline, ...(a.contentId ? { contentId: a.contentId } : {}) } as FileAttachment;
}

/** Adds one attachment to the message `id`. */
export async function writeAttachment(session: GraphSession, id: string, a: AttachmentToWrite, where: string, signal: AbortSignal): Promise<void> {
  const base = `${session.userPath}/messages/${encodeURIComponent(id)}/attachments`;
  const body = fileAttachmentJson(a);
  const size = { sizeBytes: a.bytes.length };
  if (jsonBytes(body) <= GRAPH_REQUEST_LIMIT) {
    await soon(() => session.call(`add the attachment ${a.name} to a message in ${where}`, (c) => c.api(base).post(body) as Promise<unknown>, size));
    return;
  }
  const item: AttachmentItem = { attachmentType: 'file', name: a.name, size: a.bytes.length, contentType: a.contentType, isInline: a.isInline, ...(a.contentId ? { contentId: a.contentId } : {}) };
  const start = async (): Promise<string> => {
    const upload: UploadSession = await soon(() => session.call(`start uploading ${a.name} to a message in ${where}`, (c) => c.api(`${base}/createUploadSession`).post({ AttachmentItem: item }) as Promise<UploadSession>, size));
    if (!upload.uploadUrl) throw graphError('GRAPH-REQUEST', ['201', `start uploading ${a.name}`, 'no uploadUrl in the answer']);
    return upload.uploadUrl;
  };
  let url = await start();
  let at = 0;
  let failures = 0;
  while (at < a.bytes.length) {
    signal.throwIfAborted();
    const range = a.bytes.subarray(at, at + UPLOAD_CHUNK);
    const contentRange = `bytes ${at}-${at + range.length - 1}/${a.bytes.length}`;
    const sent = url;
    try {
      await soon(() =>
        session.call(`upload ${a.name} (${contentRange}) to a message in ${where}`, async () => {
          // The uploadUrl is pre-authenticated: an Authorization header would be refused.
          const res = await fetch(sent, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-range': contentRange }, body: new Uint8Array(range), signal });
          const text = await res.text();
          if (!res.ok) throw preauthError(res, text);
        }),
      );
      at += range.length;
      failures = 0;
    } catch (err) {
      // A range that failed (or whose answer was lost) may have landed: the session says where to go on.
      if (signal.aborted || !(err instanceof ConnectorError) || ++failures > RESUME_TRIES) throw err;
      const next = await nextExpected(session, sent, a.name, where, signal);
      if (next === 'expired') {
        url = await start();
        at = 0;
      } else at = next;
    }
  }
}

/** Tries to go on with an upload after failed ranges before its error is the item's. */
const RESUME_TRIES = 3;

/**
 * Where an upload session goes on ("Resume a file upload": GET the uploadUrl, the first of its
 * nextExpectedRanges), or 'expired' when the session is gone (404: a new one starts from byte 0).
 */
async function nextExpected(session: GraphSession, url: string, name: string, where: string, signal: AbortSignal): Promise<number | 'expired'> {
  return soon(() =>
    session.call(`read the upload status of ${name} to a message in ${where}`, async () => {
      const res = await fetch(url, { method: 'GET', signal });
      const text = await res.text();
      if (res.status === 404) return 'expired' as const;
      if (!res.ok) throw preauthError(res, text);
      const ranges = (JSON.parse(text) as { nextExpectedRanges?: string[] }).nextExpectedRanges ?? [];
      const first = Number((ranges[0] ?? '').split('-')[0]);
      if (!Number.isInteger(first) || first < 0) throw graphError('GRAPH-REQUEST', ['200', `read the upload status of ${name}`, `no usable nextExpectedRanges (${ranges.join(', ')})`]);
      return first;
    }),
  );
}
