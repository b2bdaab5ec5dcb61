// File attachments of a message as Graph documents them ("Add attachment", "attachment:
// createUploadSession", "Attach large files to Outlook messages or events"):
// - `POST .../messages/{id}/attachments` a `#microsoft.graph.fileAttachment` with `contentBytes`
//   (under 3 MB: the request limit of 4 MB holds it), also inside a JSON create's `attachments`;
// - `POST .../attachments/createUploadSession` { AttachmentItem } for 3 MB to 150 MB: an
//   `uploadUrl` outside Graph, pre-authenticated by its `authtoken` (a PUT that also sends an
//   Authorization header is refused), taking sequential PUTs of at most 4 MB with `Content-Range`;
//   each answers `nextExpectedRanges`, the last 201 with the attachment's URL in `Location`;
// - `GET .../attachments[/{id}[/$value]]`.
// The message's MIME ($value) is rendered again after each attachment (messageMime.ts).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { newId, type AttachmentRecord, type FakeData, type MessageRecord } from './data';
import type { MailboxCall } from './graphContext';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';
import { findMessage } from './messageIds';
import { renderMime } from './messageMime';

const MB = 1024 * 1024;
/** Smallest and largest attachment an upload session takes (the docs: 3 MB to 150 MB). */
export const UPLOAD_MIN = 3 * MB;
export const UPLOAD_MAX = 150 * MB;
/** Largest PUT to an upload URL (the docs: up to 4 MB each time). */
const CHUNK_MAX = 4 * MB;
const SESSION_MS = 15 * 60_000;

interface UploadSession {
  userId: string;
  messageKey: string;
  token: string;
  item: Omit<AttachmentRecord, 'id'>;
  chunks: Buffer[];
  next: number;
  expires: number;
}

const sessions = new Map<string, UploadSession>();

/** The upload sessions' clock (a test moves it past SESSION_MS to expire a session instead of waiting). */
export const uploadSessionClock = { now: (): number => Date.now() };

function attachmentJson(a: AttachmentRecord): object {
  return { '@odata.type': '#microsoft.graph.fileAttachment', id: a.id, name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline, contentId: a.contentId ?? null, lastModifiedDateTime: new Date().toISOString() };
}

/** Stores an attachment on a message and renders the message's MIME again. */
function attach(data: FakeData, userId: string, message: MessageRecord, item: Omit<AttachmentRecord, 'id'>, bytes: Buffer): AttachmentRecord {
  const record: AttachmentRecord = { id: newId('AAMkAtt'), ...item, size: bytes.length };
  fs.writeFileSync(data.attachmentPath(userId, message, record.id), bytes);
  (message.attachments ??= []).push(record);
  // A message created from MIME keeps its MIME as sent; one created from JSON is rendered.
  if (message.created) renderStored(data, userId, message);
  return record;
}

/** Writes the MIME of a message created from JSON (its $value) and its size. */
export function renderStored(data: FakeData, userId: string, message: MessageRecord): void {
  const mime = renderMime(message, (a) => fs.readFileSync(data.attachmentPath(userId, message, a.id)));
  fs.writeFileSync(data.emlPath(userId, message.id), mime);
  message.size = mime.length;
}

/** Validates a fileAttachment as Graph takes it (POST or inside a create); stores it unless `dryRun`. */
export function addFileAttachment(call: MailboxCall, message: MessageRecord, body: Record<string, unknown>, dryRun = false): FakeResponse | AttachmentRecord {
  if (body['@odata.type'] !== '#microsoft.graph.fileAttachment') return graphError(422, 'UnprocessableType', "Cannot process input of abstract type 'Microsoft.OutlookServices.Attachment'");
  if (typeof body.name !== 'string' || !body.name || typeof body.contentBytes !== 'string') return graphError(400, 'ErrorInvalidRequest', "A file attachment needs 'name' and 'contentBytes'.");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.contentBytes)) return graphError(400, 'RequestBodyRead', "The value of 'contentBytes' is not valid base64.");
  const bytes = Buffer.from(body.contentBytes, 'base64');
  const item = { name: body.name, contentType: typeof body.contentType === 'string' ? body.contentType : 'application/octet-stream', size: bytes.length, isInline: body.isInline === true, ...(typeof body.contentId === 'string' ? { contentId: body.contentId } : {}) };
  return dryRun ? { id: '', ...item } : attach(call.data, call.user.id, message, item, bytes);
}

/** `segments` after `/users/{id}`: messages/{m}/attachments[/createUploadSession | /{a}[/$value]]. */
export function handleAttachments(call: MailboxCall, req: FakeRequest, message: MessageRecord, segments: string[]): FakeResponse | undefined {
  const rest = segments.slice(3);
  if (rest.length === 0 && req.method === 'POST') {
    const body = jsonOf(req);
    if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
    const added = addFileAttachment(call, message, body);
    if ('status' in added) return added;
    message.changeSeq = ++call.box.seq;
    call.data.saveMailbox(call.user.id);
    return json(201, attachmentJson(added));
  }
  if (rest.length === 0 && req.method === 'GET') return json(200, { value: (message.attachments ?? []).map(attachmentJson) });
  if (rest[0] === 'createUploadSession' && rest.length === 1 && req.method === 'POST') return createSession(call, req, message);
  const attachment = (message.attachments ?? []).find((a) => a.id === decodeURIComponent(rest[0] ?? ''));
  if (!attachment || req.method !== 'GET' || rest.length > 2 || (rest.length === 2 && rest[1] !== '$value')) return attachment ? undefined : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (rest.length === 2) return { status: 200, headers: { 'content-type': attachment.contentType }, body: fs.readFileSync(call.data.attachmentPath(call.user.id, message, attachment.id)) };
  return json(200, attachmentJson(attachment));
}

function createSession(call: MailboxCall, req: FakeRequest, message: MessageRecord): FakeResponse {
  const item = jsonOf(req)?.AttachmentItem as Record<string, unknown> | undefined;
  if (!item || item.attachmentType !== 'file' || typeof item.name !== 'string' || typeof item.size !== 'number') return graphError(400, 'ErrorInvalidRequest', "The request needs an 'AttachmentItem' with attachmentType 'file', 'name' and 'size'.");
  if (item.size < UPLOAD_MIN) return graphError(400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size must be greater than the minimum size.');
  if (item.size > UPLOAD_MAX) return graphError(400, 'ErrorAttachmentSizeLimitExceeded', 'The attachment is larger than the maximum size allowed.');
  const id = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  const session: UploadSession = {
    userId: call.user.id,
    messageKey: message.immutableId ?? message.id,
    token,
    item: { name: item.name, contentType: typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream', size: item.size, isInline: item.isInline === true, ...(typeof item.contentId === 'string' ? { contentId: item.contentId } : {}) },
    chunks: [],
    next: 0,
    expires: uploadSessionClock.now() + SESSION_MS,
  };
  sessions.set(id, session);
  const origin = call.base.replace(/\/v1\.0$/, '');
  return json(201, {
    '@odata.context': `${call.base}/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: `${origin}/api/v2.0/Users('${call.user.id}')/Messages('${session.messageKey}')/AttachmentSessions('${id}')?authtoken=${token}`,
    expirationDateTime: new Date(session.expires).toISOString(),
    nextExpectedRanges: ['0-'],
  });
}

/** Whether a path is an upload URL (served without Graph's bearer token). */
export const isUploadUrl = (path: string) => /^\/api\/v2\.0\/Users\('[^']+'\)\/Messages\('[^']+'\)\/AttachmentSessions\('[^']+'\)$/.test(path);

/** A PUT (or DELETE, to cancel) to an upload URL. */
export function handleUpload(data: FakeData, req: FakeRequest): FakeResponse {
  const id = /AttachmentSessions\('([^']+)'\)/.exec(req.path)?.[1] ?? '';
  const session = sessions.get(id);
  if (!session || req.query.get('authtoken') !== session.token || session.expires < uploadSessionClock.now()) return graphError(404, 'ErrorItemNotFound', 'The upload session was not found or has expired.');
  if (req.headers.authorization) return graphError(401, 'InvalidAudienceForResource', 'The audience claim value is invalid for current resource: the upload URL is pre-authenticated; send no Authorization header.');
  if (req.method === 'DELETE') return (sessions.delete(id), { status: 204 });
  // "Resume a file upload": a GET of the uploadUrl tells what the session holds and where to go on.
  if (req.method === 'GET') return json(200, { expirationDateTime: new Date(session.expires).toISOString(), nextExpectedRanges: [String(session.next)] });
  if (req.method !== 'PUT') return graphError(405, 'ErrorInvalidRequest', 'Upload URLs take PUT.');
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
  if (req.body.length > CHUNK_MAX) return graphError(413, 'RequestEntityTooLarge', `A range of at most ${CHUNK_MAX} bytes is taken at a time.`);
  if (!range || Number(range[3]) !== session.item.size || Number(range[2]) - Number(range[1]) + 1 !== req.body.length) return graphError(400, 'ErrorInvalidContentRange', 'The Content-Range header is missing or does not match the body and the attachment size.');
  if (Number(range[1]) !== session.next) return graphError(416, 'ErrorInvalidRange', `The next expected range starts at ${session.next}.`);
  session.chunks.push(Buffer.from(req.body));
  session.next += req.body.length;
  session.expires = uploadSessionClock.now() + SESSION_MS;
  if (session.next < session.item.size) return json(200, { expirationDateTime: new Date(session.expires).toISOString(), nextExpectedRanges: [String(session.next)] });
  sessions.delete(id);
  const box = data.mailbox(session.userId);
  const message = findMessage(box, session.messageKey);
  if (!message) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const record = attach(data, session.userId, message, session.item, Buffer.concat(session.chunks));
  message.changeSeq = ++box.seq;
  data.saveMailbox(session.userId);
  const origin = req.headers.host ? `https://${req.headers.host}` : '';
  return { status: 201, headers: { location: `${origin}/api/v2.0/Users('${session.userId}')/Messages('${session.messageKey}')/Attachments('${record.id}')` } };
}
