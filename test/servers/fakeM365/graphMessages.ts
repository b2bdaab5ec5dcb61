// Messages: list with `$filter` (internetMessageId, or an extended property value), get, `$value`
// (the MIME), create from MIME (`Content-Type: text/plain`, base64: always a draft, as Exchange
// Online does) or from JSON (a draft too unless PR_MESSAGE_FLAGS in the creating request says
// otherwise), PATCH (isRead, flag, singleValueExtendedProperties; PR_MESSAGE_FLAGS is read-only
// once saved: 400 ErrorInvalidPropertySet), move, DELETE, and attachments (graphAttachments.ts).
import * as fs from 'node:fs';
import { RECOVERABLE_DELETIONS, type MessageRecord } from './data';
import { applyExtendedProperties, expandedProperties, propKey, setsMessageFlags } from './extendedProperties';
import { addFileAttachment, handleAttachments, renderStored } from './graphAttachments';
import { findMessage, idOf, isMailboxItemId, moveMessage, newMessageIds, noteRemoved, relocate } from './messageIds';
import type { CreatedMessage } from './messageMime';
import { mayUseMail, page, type MailboxCall } from './graphContext';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';
import { generatedMessageId, headerOf } from './mime';

const denied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export function messageJson(call: MailboxCall, m: MessageRecord, query?: URLSearchParams): object {
  const props = expandedProperties(m, query?.get('$expand') ?? null);
  return {
    '@odata.etag': `W/"CQAAABYAAAA${m.changeSeq}"`,
    id: idOf(call, m),
    changeKey: `CQAAABYAAAA${m.changeSeq}`,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.receivedDateTime,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    parentFolderId: m.folderId,
    isRead: m.isRead,
    isDraft: m.isDraft,
    hasAttachments: (m.attachments ?? []).some((a) => !a.isInline),
    flag: { flagStatus: m.flagStatus },
    ...(m.created ? { importance: m.created.importance ?? 'normal' } : {}),
    categories: m.categories ?? m.created?.categories ?? [],
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
  if (segments[0] !== 'messages' || segments.length < 2) return undefined;
  if (!mayUseMail(call, write)) return denied();
  // An id of the mailbox import/export API is no message id: nothing documents one as the other.
  if (isMailboxItemId(decodeURIComponent(segments[1]))) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  const message = findMessage(call.box, decodeURIComponent(segments[1]));
  if (!message) return notFound();
  if (segments[2] === 'attachments') return handleAttachments(call, req, message, segments);
  if (segments[2] === 'move' && segments.length === 3 && req.method === 'POST') return moveMessage(call, req, message, (m) => messageJson(call, m));
  if (segments[2] === 'permanentDelete' && segments.length === 3 && req.method === 'POST') {
    // Purged: to the dumpster's Purges folder, which no client reaches (gone from the fake).
    call.box.messages.splice(call.box.messages.indexOf(message), 1);
    noteRemoved(call.box, message);
    fs.rmSync(call.data.emlPath(call.user.id, message.id), { force: true });
    for (const a of message.attachments ?? []) fs.rmSync(call.data.attachmentPath(call.user.id, message, a.id), { force: true });
    call.data.saveMailbox(call.user.id);
    return { status: 204 };
  }
  if (segments.length > 3) return undefined;
  if (segments.length === 3) {
    if (segments[2] !== '$value' || req.method !== 'GET') return undefined;
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: fs.readFileSync(call.data.emlPath(call.user.id, message.id)) };
  }
  if (req.method === 'GET') return json(200, messageJson(call, message, req.query));
  if (req.method === 'DELETE') {
    // A soft delete: the message goes to Recoverable Items\Deletions, where the user can recover
    // it; a message already there cannot be deleted this way (ErrorCannotDeleteObject).
    const deletions = call.data.folder(call.box, RECOVERABLE_DELETIONS)!;
    if (message.folderId === deletions.id) return graphError(403, 'ErrorCannotDeleteObject', 'Object cannot be deleted.');
    relocate(call, message, deletions.id);
    return { status: 204 };
  }
  if (req.method === 'PATCH') return patchMessage(call, req, message);
  return undefined;
}

function applyJson(message: MessageRecord, body: Record<string, unknown>): string | undefined {
  if (typeof body.isRead === 'boolean') message.isRead = body.isRead;
  const flag = body.flag as { flagStatus?: unknown } | undefined;
  if (flag && (flag.flagStatus === 'flagged' || flag.flagStatus === 'notFlagged' || flag.flagStatus === 'complete')) message.flagStatus = flag.flagStatus;
  if (body.categories !== undefined) {
    if (!Array.isArray(body.categories) || body.categories.some((c) => typeof c !== 'string')) return "'categories' must be a collection of strings.";
    message.categories = body.categories as string[];
  }
  return applyExtendedProperties(message, body.singleValueExtendedProperties);
}

function patchMessage(call: MailboxCall, req: FakeRequest, message: MessageRecord): FakeResponse {
  const body = jsonOf(req);
  if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
  // PidTagMessageFlags is read/write only until the message is first saved (MS-OXCMSG 2.2.1.6).
  if (setsMessageFlags(body.singleValueExtendedProperties)) return graphError(400, 'ErrorInvalidPropertySet', 'Set action is invalid for property.');
  const problem = applyJson(message, body);
  if (problem) return graphError(400, 'ErrorInvalidExtendedPropertyValue', problem);
  message.changeSeq = ++call.box.seq;
  call.data.saveMailbox(call.user.id);
  return json(200, messageJson(call, message));
}

/** The JSON create's message properties the fake keeps (recipients, body, importance, categories). */
function createdOf(body: Record<string, unknown>): CreatedMessage | string {
  const recipients = ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'] as const;
  for (const key of recipients) if (body[key] !== undefined && !Array.isArray(body[key])) return `'${key}' must be a collection of recipients.`;
  const b = body.body as { contentType?: unknown; content?: unknown } | undefined;
  if (b !== undefined && (typeof b !== 'object' || (b.contentType !== undefined && !/^(text|html)$/i.test(String(b.contentType))))) return "'body' must be an itemBody with contentType text or html.";
  if (body.importance !== undefined && !['low', 'normal', 'high'].includes(String(body.importance))) return `The value '${String(body.importance)}' is not valid for 'importance'.`;
  const picked = Object.fromEntries(['body', 'from', 'sender', ...recipients, 'importance', 'categories'].filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
  return picked as CreatedMessage;
}

function createMessage(call: MailboxCall, req: FakeRequest, folderId: string): FakeResponse {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  let raw: Buffer | undefined;
  let body: Record<string, unknown> | undefined;
  let created: CreatedMessage | undefined;
  if (type.startsWith('text/plain')) {
    const text = req.body.toString('latin1').replace(/\s+/g, '');
    if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    raw = Buffer.from(text, 'base64');
  } else {
    body = jsonOf(req);
    if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
    const picked = createdOf(body);
    if (typeof picked === 'string') return graphError(400, 'ErrorInvalidRequest', picked);
    created = picked;
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const message: MessageRecord = {
    ...newMessageIds(),
    folderId,
    internetMessageId: (raw ? headerOf(raw, 'message-id') : typeof body?.internetMessageId === 'string' ? body.internetMessageId : undefined) ?? generatedMessageId(),
    subject: (raw ? headerOf(raw, 'subject') : typeof body?.subject === 'string' ? body.subject : undefined) ?? '',
    // A created item is "received" now; PR_MESSAGE_DELIVERY_TIME sets it otherwise.
    receivedDateTime: now,
    // Exchange Online saves every created message as a draft (MSGFLAG_UNSENT) unless PR_MESSAGE_FLAGS says otherwise.
    isRead: true,
    isDraft: true,
    flagStatus: 'notFlagged',
    props: {},
    changeSeq: ++call.box.seq,
    size: raw?.length ?? 0,
    ...(created ? { created } : {}),
  };
  if (body) {
    const problem = applyJson(message, body);
    if (problem) return graphError(400, 'ErrorInvalidExtendedPropertyValue', problem);
    if (body.attachments !== undefined && !Array.isArray(body.attachments)) return graphError(400, 'ErrorInvalidRequest', "'attachments' must be a collection.");
    const attachments = (body.attachments ?? []) as Record<string, unknown>[];
    // Checked before anything is stored: a refused create leaves nothing behind.
    for (const a of attachments) {
      const refused = addFileAttachment(call, message, a, true);
      if ('status' in refused) return refused;
    }
    renderStored(call.data, call.user.id, message);
    for (const a of attachments) addFileAttachment(call, message, a);
  }
  const used = call.box.messages.reduce((s, m) => s + m.size, 0);
  if (call.user.quotaBytes !== undefined && used + message.size > call.user.quotaBytes) {
    for (const a of message.attachments ?? []) fs.rmSync(call.data.attachmentPath(call.user.id, message, a.id), { force: true });
    fs.rmSync(call.data.emlPath(call.user.id, message.id), { force: true });
    return graphError(507, 'ErrorQuotaExceeded', 'The server cannot service this request right now. Try again later.');
  }
  if (raw) fs.writeFileSync(call.data.emlPath(call.user.id, message.id), raw);
  call.box.messages.push(message);
  call.data.saveMailbox(call.user.id);
  return json(201, messageJson(call, message));
}
