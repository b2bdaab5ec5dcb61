// Messages: list with `$filter` (internetMessageId, or an extended property value), get, `$value`
// (the MIME), create from MIME (`Content-Type: text/plain`, base64: always a draft, as Exchange
// Online does) or from JSON, PATCH (isRead, flag, singleValueExtendedProperties) and DELETE.
import * as fs from 'node:fs';
import { newId, type MessageRecord } from './data';
import { applyExtendedProperties, expandedProperties, propKey } from './extendedProperties';
import { mayUseMail, page, type MailboxCall } from './graphContext';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';
import { generatedMessageId, headerOf } from './mime';

const denied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export function messageJson(call: MailboxCall, m: MessageRecord, query?: URLSearchParams): object {
  const props = expandedProperties(m, query?.get('$expand') ?? null);
  return {
    '@odata.etag': `W/"CQAAABYAAAA${m.changeSeq}"`,
    id: m.id,
    changeKey: `CQAAABYAAAA${m.changeSeq}`,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.receivedDateTime,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    parentFolderId: m.folderId,
    isRead: m.isRead,
    isDraft: m.isDraft,
    flag: { flagStatus: m.flagStatus },
    ...(props ? { singleValueExtendedProperties: props } : {}),
  };
}

/** `$filter` forms the fake understands; undefined for any other (Graph: ErrorInvalidUrlQueryFilter). */
function filterOf(filter: string | null): ((m: MessageRecord) => boolean) | undefined {
  if (!filter) return () => true;
  const byId = /^internetMessageId eq '((?:[^']|'')*)'$/i.exec(filter.trim());
  if (byId) return (m) => m.internetMessageId === byId[1].replace(/''/g, "'");
  const byDraft = /^isDraft eq (true|false)$/i.exec(filter.trim());
  if (byDraft) return (m) => m.isDraft === (byDraft[1].toLowerCase() === 'true');
  const byProp = /^singleValueExtendedProperties\/any\((\w+):\s*\1\/id eq '([^']+)' and \1\/value eq '((?:[^']|'')*)'\)$/i.exec(filter.trim());
  if (byProp) return (m) => m.props[propKey(byProp[2])] === byProp[3].replace(/''/g, "'");
  return undefined;
}

/** `segments`: the path after `/users/{id}`: mailFolders/{f}/messages or messages/{m}[/$value]. */
export function handleMessages(call: MailboxCall, req: FakeRequest, segments: string[], link: string): FakeResponse | undefined {
  const write = req.method !== 'GET';
  if (segments[0] === 'mailFolders' && segments[2] === 'messages' && segments.length === 3) {
    if (!mayUseMail(call, write)) return denied();
    const folder = call.data.folder(call.box, decodeURIComponent(segments[1]));
    if (!folder) return notFound();
    if (req.method === 'POST') return createMessage(call, req, folder.id);
    if (req.method !== 'GET') return undefined;
    const filter = filterOf(req.query.get('$filter'));
    if (!filter) return graphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
    const found = call.box.messages.filter((m) => m.folderId === folder.id && filter(m)).map((m) => messageJson(call, m, req.query));
    return json(200, page(found, req.query, link));
  }
  if (segments[0] !== 'messages' || segments.length < 2 || segments.length > 3) return undefined;
  if (!mayUseMail(call, write)) return denied();
  const message = call.box.messages.find((m) => m.id === decodeURIComponent(segments[1]));
  if (!message) return notFound();
  if (segments.length === 3) {
    if (segments[2] !== '$value' || req.method !== 'GET') return undefined;
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: fs.readFileSync(call.data.emlPath(call.user.id, message.id)) };
  }
  if (req.method === 'GET') return json(200, messageJson(call, message, req.query));
  if (req.method === 'DELETE') {
    call.box.messages.splice(call.box.messages.indexOf(message), 1);
    fs.rmSync(call.data.emlPath(call.user.id, message.id), { force: true });
    call.data.saveMailbox(call.user.id);
    return { status: 204 };
  }
  if (req.method === 'PATCH') return patchMessage(call, req, message);
  return undefined;
}

function applyJson(message: MessageRecord, body: Record<string, unknown>, flagsReadOnly = false): string | undefined {
  if (typeof body.isRead === 'boolean') message.isRead = body.isRead;
  const flag = body.flag as { flagStatus?: unknown } | undefined;
  if (flag && (flag.flagStatus === 'flagged' || flag.flagStatus === 'notFlagged' || flag.flagStatus === 'complete')) message.flagStatus = flag.flagStatus;
  return applyExtendedProperties(message, body.singleValueExtendedProperties, flagsReadOnly);
}

function patchMessage(call: MailboxCall, req: FakeRequest, message: MessageRecord): FakeResponse {
  const body = jsonOf(req);
  if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
  const problem = applyJson(message, body, call.messageFlagsReadOnly);
  if (problem) return graphError(400, 'ErrorInvalidExtendedPropertyValue', problem);
  message.changeSeq = ++call.box.seq;
  call.data.saveMailbox(call.user.id);
  return json(200, messageJson(call, message));
}

function createMessage(call: MailboxCall, req: FakeRequest, folderId: string): FakeResponse {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  let raw: Buffer;
  let body: Record<string, unknown> | undefined;
  if (type.startsWith('text/plain')) {
    const text = req.body.toString('latin1').replace(/\s+/g, '');
    if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    raw = Buffer.from(text, 'base64');
  } else {
    body = jsonOf(req);
    if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
    raw = Buffer.from(`Subject: ${typeof body.subject === 'string' ? body.subject : ''}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`, 'utf8');
  }
  const used = call.box.messages.reduce((s, m) => s + m.size, 0);
  if (call.user.quotaBytes !== undefined && used + raw.length > call.user.quotaBytes) return graphError(507, 'ErrorQuotaExceeded', 'The server cannot service this request right now. Try again later.');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const message: MessageRecord = {
    id: newId(),
    folderId,
    internetMessageId: headerOf(raw, 'message-id') ?? generatedMessageId(),
    subject: headerOf(raw, 'subject') ?? '',
    // A created item is "received" now; PR_MESSAGE_DELIVERY_TIME sets it otherwise.
    receivedDateTime: now,
    // Exchange Online saves every created message as a draft (MSGFLAG_UNSENT) unless PR_MESSAGE_FLAGS says otherwise.
    isRead: true,
    isDraft: true,
    flagStatus: 'notFlagged',
    props: {},
    changeSeq: ++call.box.seq,
    size: raw.length,
  };
  if (body) {
    const problem = applyJson(message, body);
    if (problem) return graphError(400, 'ErrorInvalidExtendedPropertyValue', problem);
  }
  fs.writeFileSync(call.data.emlPath(call.user.id, message.id), raw);
  call.box.messages.push(message);
  call.data.saveMailbox(call.user.id);
  return json(201, messageJson(call, message));
}
