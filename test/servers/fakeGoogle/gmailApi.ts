// The Gmail API v1 methods the fake serves (https://developers.google.com/gmail/api/reference/rest):
// users.getProfile, labels.list/get/create, messages.list/get/insert/import/modify/trash/untrash/
// delete and history.list, over the mailboxes of the domain's users.
import { json, jsonOf, type FakeResponse } from '../fakeM365/http';
import { ApiError, fail, list, num, pageToken, readPageToken, str, type ApiContext, type Handler } from './apiContext';
import type { Domain } from './domain';
import { googleError } from './errors';
import { parseQuery } from './gmailQuery';
import { Mailbox, MailboxError, type HistoryKind, type HistoryRecord, type StoredLabel, type StoredMessage } from './mailbox';
import { messagePart, snippetOf, splitEntity } from './messagePart';

const METADATA_SCOPE = 'https://www.googleapis.com/auth/gmail.metadata';

export class GmailService {
  readonly mailboxes = new Map<string, Mailbox>();

  constructor(private readonly domain: Domain) {}

  /** The mailbox of a user of the domain (made on first use, like a new account's). */
  mailbox(email: string): Mailbox {
    const user = this.domain.user(email);
    if (!user) throw new Error(`fake Google: no user ${email}`);
    let mb = this.mailboxes.get(user.primaryEmail);
    if (!mb) this.mailboxes.set(user.primaryEmail, (mb = new Mailbox(user.primaryEmail)));
    return mb;
  }

  /** The mailbox `userId` names for this token: `me` or the impersonated user's own address. */
  private target(ctx: ApiContext): Mailbox {
    const subject = ctx.grant.subject;
    if (!subject) return fail(400, 'failedPrecondition', 'Precondition check failed.', { status: 'FAILED_PRECONDITION' });
    const userId = str(ctx.params.userId) ?? 'me';
    if (userId !== 'me' && this.domain.user(userId)?.primaryEmail !== subject) return fail(403, 'forbidden', `Delegation denied for ${subject}`);
    return this.mailbox(subject);
  }

  private run(ctx: ApiContext, f: (mb: Mailbox) => FakeResponse): FakeResponse {
    const mb = this.target(ctx);
    try {
      return f(mb);
    } catch (err) {
      if (err instanceof MailboxError) throw new ApiError(googleError(err.status, err.reason, err.message, err.status === 409 ? { status: 'ALREADY_EXISTS' } : {}));
      throw err;
    }
  }

  /** Only gmail.metadata among the token's scopes that this method accepts. */
  private metadataOnly(ctx: ApiContext): boolean {
    return ctx.route.method.scopes.filter((s) => ctx.grant.scopes.has(s)).every((s) => s === METADATA_SCOPE);
  }

  readonly handlers: Record<string, Handler> = {
    'gmail.users.getProfile': (ctx) =>
      this.run(ctx, (mb) => json(200, { emailAddress: mb.emailAddress, messagesTotal: mb.messages.size, threadsTotal: mb.threadCount(() => true), historyId: String(mb.historyId) })),

    'gmail.users.labels.list': (ctx) => this.run(ctx, (mb) => json(200, { labels: [...mb.labels.values()].map((l) => labelResource(l)) })),

    'gmail.users.labels.get': (ctx) =>
      this.run(ctx, (mb) => {
        const l = mb.labels.get(str(ctx.params.id) ?? '');
        if (!l) return fail(404, 'notFound', 'Requested entity was not found.');
        return json(200, labelResource(l, mb));
      }),

    'gmail.users.labels.create': (ctx) =>
      this.run(ctx, (mb) => {
        const body = jsonOf(ctx.req) ?? {};
        const l = mb.createLabel(String(body.name ?? ''), {
          ...(body.messageListVisibility === 'show' || body.messageListVisibility === 'hide' ? { messageListVisibility: body.messageListVisibility } : {}),
          ...(body.labelListVisibility === 'labelShow' || body.labelListVisibility === 'labelShowIfUnread' || body.labelListVisibility === 'labelHide' ? { labelListVisibility: body.labelListVisibility } : {}),
        });
        return json(200, labelResource(l));
      }),

    'gmail.users.messages.list': (ctx) =>
      this.run(ctx, (mb) => {
        const q = str(ctx.params.q);
        if (q && this.metadataOnly(ctx)) return fail(403, 'forbidden', "Metadata scope does not support 'q' parameter");
        const labelIds = list(ctx.params.labelIds);
        const query = q ? parseQuery(q, mb) : undefined;
        const spamTrash = ctx.params.includeSpamTrash === true || labelIds.includes('SPAM') || labelIds.includes('TRASH') || query?.reachesSpamTrash === true;
        const matched = mb.ordered().filter((m) => (spamTrash || (!m.labelIds.has('SPAM') && !m.labelIds.has('TRASH'))) && labelIds.every((l) => m.labelIds.has(l)) && (!query || query.test(m)));
        const scope = JSON.stringify([q ?? '', labelIds, spamTrash]);
        const after = readPageToken<[number, string]>(str(ctx.params.pageToken), scope, () => fail(400, 'invalidArgument', 'Invalid pageToken'));
        const start = after ? matched.findIndex((m) => m.internalDate < after[0] || (m.internalDate === after[0] && m.id < after[1])) : 0;
        const size = Math.min(num(ctx.params.maxResults) ?? 100, 500) || 100;
        const page = start === -1 ? [] : matched.slice(start, start + size);
        const last = page[page.length - 1];
        const more = start !== -1 && start + size < matched.length;
        return json(200, { ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}), ...(more && last ? { nextPageToken: pageToken([last.internalDate, last.id], scope) } : {}), resultSizeEstimate: matched.length });
      }),

    'gmail.users.messages.get': (ctx) =>
      this.run(ctx, (mb) => {
        const format = str(ctx.params.format) ?? 'full';
        if ((format === 'raw' || format === 'full') && this.metadataOnly(ctx)) return fail(403, 'forbidden', `Metadata scope doesn't allow format ${format.toUpperCase()}`);
        return json(200, messageResource(mb.get(str(ctx.params.id) ?? ''), format, list(ctx.params.metadataHeaders)));
      }),

    'gmail.users.messages.insert': (ctx) => this.run(ctx, (mb) => json(200, messageResource(this.add(ctx, mb), 'minimal'))),
    'gmail.users.messages.import': (ctx) => this.run(ctx, (mb) => json(200, messageResource(this.add(ctx, mb), 'minimal'))),

    'gmail.users.messages.modify': (ctx) =>
      this.run(ctx, (mb) => {
        const body = jsonOf(ctx.req) ?? {};
        return json(200, messageResource(mb.modify(str(ctx.params.id) ?? '', list(body.addLabelIds), list(body.removeLabelIds)), 'minimal'));
      }),
    'gmail.users.messages.trash': (ctx) => this.run(ctx, (mb) => json(200, messageResource(mb.trash(str(ctx.params.id) ?? ''), 'minimal'))),
    'gmail.users.messages.untrash': (ctx) => this.run(ctx, (mb) => json(200, messageResource(mb.untrash(str(ctx.params.id) ?? ''), 'minimal'))),
    'gmail.users.messages.delete': (ctx) =>
      this.run(ctx, (mb) => {
        mb.delete(str(ctx.params.id) ?? '');
        return { status: 204 };
      }),

    'gmail.users.history.list': (ctx) =>
      this.run(ctx, (mb) => {
        const startText = str(ctx.params.startHistoryId);
        if (startText === undefined) return fail(400, 'invalidArgument', 'Missing required field startHistoryId');
        const start = Number(startText);
        if (start < mb.historyFloor) return fail(404, 'notFound', 'Requested entity was not found.');
        const types = new Set(list(ctx.params.historyTypes) as HistoryKind[]);
        const labelId = str(ctx.params.labelId);
        const scope = JSON.stringify([startText, [...types], labelId ?? '']);
        const after = readPageToken<number>(str(ctx.params.pageToken), scope, () => fail(400, 'invalidArgument', 'Invalid pageToken'));
        const records = mb.history.filter((r) => r.id > (after ?? start) && (types.size === 0 || types.has(r.kind)) && (!labelId || r.labelIdsAfter.includes(labelId) || r.labelIds?.includes(labelId)));
        const size = Math.min(num(ctx.params.maxResults) ?? 100, 500) || 100;
        const page = records.slice(0, size);
        const more = records.length > size;
        return json(200, { ...(page.length ? { history: page.map(historyResource) } : {}), ...(more ? { nextPageToken: pageToken(page[page.length - 1].id, scope) } : {}), historyId: String(mb.historyId) });
      }),
  };

  /** insert/import: JSON `{ raw, labelIds, threadId }`, or the message itself on the upload path. */
  private add(ctx: ApiContext, mb: Mailbox): StoredMessage {
    const { meta, raw } = uploadedMessage(ctx);
    const dateSource = str(ctx.params.internalDateSource) ?? (ctx.route.id === 'gmail.users.messages.import' ? 'dateHeader' : 'receivedTime');
    const m = mb.insert({ raw, labelIds: list(meta.labelIds), ...(typeof meta.threadId === 'string' ? { threadId: meta.threadId } : {}), ...(dateSource === 'receivedTime' ? { internalDate: Date.now() } : {}) });
    if (ctx.params.deleted === true) mb.messages.delete(m.id);
    return m;
  }
}

function uploadedMessage(ctx: ApiContext): { meta: Record<string, unknown>; raw: Buffer } {
  const type = ctx.req.headers['content-type'] ?? '';
  const uploadType = ctx.req.query.get('uploadType');
  if (!ctx.route.upload) {
    const meta = jsonOf(ctx.req) ?? {};
    return { meta, raw: typeof meta.raw === 'string' ? Buffer.from(meta.raw, 'base64url') : Buffer.alloc(0) };
  }
  if (uploadType === 'multipart') {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) return fail(400, 'badRequest', 'Invalid multipart request with 0 mime parts.');
    const parts = ctx.req.body
      .toString('latin1')
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((p) => splitEntity(Buffer.from(p.replace(/^\r?\n/, '').replace(/\r?\n$/, ''), 'latin1')));
    if (parts.length !== 2) return fail(400, 'badRequest', `Invalid multipart request with ${parts.length} mime parts.`);
    const meta = JSON.parse(parts[0].body.toString('utf8') || '{}') as Record<string, unknown>;
    return { meta, raw: parts[1].body };
  }
  if (uploadType === 'media' || uploadType === null) return { meta: {}, raw: ctx.req.body };
  return fail(400, 'badRequest', `Invalid upload type: ${uploadType}`);
}

function labelResource(l: StoredLabel, counts?: Mailbox): Record<string, unknown> {
  const out: Record<string, unknown> = { id: l.id, name: l.name, ...(l.messageListVisibility ? { messageListVisibility: l.messageListVisibility } : {}), ...(l.labelListVisibility ? { labelListVisibility: l.labelListVisibility } : {}), type: l.type, ...(l.color ? { color: l.color } : {}) };
  if (counts) {
    const has = (m: StoredMessage) => m.labelIds.has(l.id);
    const unread = (m: StoredMessage) => has(m) && m.labelIds.has('UNREAD');
    Object.assign(out, { messagesTotal: [...counts.messages.values()].filter(has).length, messagesUnread: [...counts.messages.values()].filter(unread).length, threadsTotal: counts.threadCount(has), threadsUnread: counts.threadCount(unread) });
  }
  return out;
}

/** Gmail's padded URL-safe base64 for `raw`. */
const base64Url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

export function messageResource(m: StoredMessage, format: string, metadataHeaders: string[] = []): Record<string, unknown> {
  const part = format === 'minimal' ? undefined : messagePart(m.raw);
  const base: Record<string, unknown> = { id: m.id, threadId: m.threadId, ...(m.labelIds.size ? { labelIds: [...m.labelIds] } : {}), snippet: snippetOf(part ?? messagePart(m.raw)), sizeEstimate: m.raw.length, historyId: String(m.historyId), internalDate: String(m.internalDate) };
  if (format === 'raw') return { ...base, raw: base64Url(m.raw) };
  if (format === 'metadata' && part) {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    return { ...base, payload: { partId: '', mimeType: part.mimeType, filename: part.filename, headers: part.headers.filter((h) => wanted.length === 0 || wanted.includes(h.name.toLowerCase())), body: { size: 0 } } };
  }
  if (format === 'full' && part) return { ...base, payload: part };
  return base;
}

function historyResource(r: HistoryRecord): Record<string, unknown> {
  const message = { id: r.message.id, threadId: r.message.threadId, ...(r.labelIdsAfter.length ? { labelIds: r.labelIdsAfter } : {}) };
  const out: Record<string, unknown> = { id: String(r.id), messages: [{ id: r.message.id, threadId: r.message.threadId }] };
  if (r.kind === 'messageAdded') out.messagesAdded = [{ message }];
  if (r.kind === 'messageDeleted') out.messagesDeleted = [{ message: { id: r.message.id, threadId: r.message.threadId } }];
  if (r.kind === 'labelAdded') out.labelsAdded = [{ message, labelIds: r.labelIds }];
  if (r.kind === 'labelRemoved') out.labelsRemoved = [{ message, labelIds: r.labelIds }];
  return out;
}
