// The Exchange mailbox import/export API of Microsoft Graph (v1.0 and beta) as the fake serves it:
//   GET  /v1.0/users/{id}/settings/exchange                        (exchangeSettings: primaryMailboxId; Graph handler)
//   GET  /v1.0/admin/exchange/mailboxes/{id}                       (id: the primaryMailboxId, 'MBX:<user id>@<tenant id>')
//   GET  .../folders[/{id}[/childFolders]]                         (mailboxFolder, `$top` paging)
//   GET  .../folders/{id}/items/delta                               (mailboxItem changes, mailboxDelta.ts)
//   GET  .../folders[/{id}/childFolders]/delta                      (mailboxFolder changes, mailboxDelta.ts)
//   POST .../exportItems { itemIds }                                (at most 20, else 400; opaque base64 `data`)
//   POST .../createImportSession                                    ({ importUrl, expirationDateTime })
//   POST <importUrl> { FolderId, Mode: 'create', Data }             (pre-authenticated: no bearer; expired: 401)
// Folder and item ids are this API's own (Microsoft: use the ids its folder listing returns, not
// those of the mail, calendar or contact APIs; its examples show item ids of another form than
// message ids): the fake gives both a form of their own, so a client that passes a mailFolder id
// here gets ErrorInvalidIdMalformed, and one that passes an item id to Graph's /messages too (see
// mailboxApi.md: what is documented, what the fake assumes). Hidden folders are listed here.
// Each route needs the permission its page documents (mailboxPermissions.ts): folders
// MailboxFolder.Read.All, items (delta) MailboxItem.Read.All, export MailboxItem.Export.All, import
// sessions MailboxItem.ImportExport.All; else 403 ErrorAccessDenied. Every request counts against
// the per-app-per-mailbox throttle like any Graph call.
// The exported `data` is the fake's own record (properties + MIME) as JSON, base64: opaque to clients.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { FolderRecord, MessageRecord, TenantRecord, UserRecord } from './data';
import { afterVersion, page, versionOf } from './graphContext';
import { faultResponse } from './faults';
import type { GraphOptions } from './graph';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';
import { foldersDelta, itemsDelta } from './mailboxDelta';
import { findMailboxItem, mailboxItemId, newMessageIds } from './messageIds';
import { allows, allowsAny, grantOf, MAILBOX_API_PERMISSIONS as NEEDS, type Grant } from './mailboxPermissions';

export const MAX_EXPORT = 20;
const ADMIN = /^\/(v1\.0|beta)\/admin\/exchange\/mailboxes\//;
const IMPORT = '/v1.0/_outlook/importItem';

/** This API's folder ids: the store's folder id in a form of its own (never a mailFolder id). */
export const mailboxFolderId = (folderId: string) => `AAMkMBXF${Buffer.from(folderId, 'utf8').toString('base64url')}`;
/** The folder behind one of this API's folder ids; undefined for an id of another form. */
function recordId(id: string): string | undefined {
  const prefix = 'AAMkMBXF';
  return id.startsWith(prefix) ? Buffer.from(id.slice(prefix.length), 'base64url').toString('utf8') : undefined;
}
const malformed = () => graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');

/** Tunables a test sets per fake: `mailboxApiSettings(fake.graph).importUrlLifetimeMs = 200`. */
export interface MailboxApiSettings {
  /** Lifetime of an import session's URL (Exchange: about an hour). */
  importUrlLifetimeMs: number;
  /**
   * Whether the folder listing shows hidden folders (the fake's assumption, true: Microsoft says
   * "all the mailboxFolder objects"); false plays the other reading, which Ferry must survive.
   */
  listsHiddenFolders: boolean;
  /** The clock import URLs expire by (tests move it instead of waiting). */
  now: () => number;
  /** Import sessions created and items imported so far; tests read them. */
  sessionsCreated: number;
  imported: number;
  exportCalls: number;
}

interface ImportSession {
  tenantId: string;
  userId: string;
  appId: string;
  expiresAt: number;
}

const settingsOf = new WeakMap<object, MailboxApiSettings>();
const sessionsOf = new WeakMap<object, Map<string, ImportSession>>();

export function mailboxApiSettings(graph: object): MailboxApiSettings {
  let s = settingsOf.get(graph);
  if (!s) settingsOf.set(graph, (s = { importUrlLifetimeMs: 60 * 60 * 1000, listsHiddenFolders: true, now: () => Date.now(), sessionsCreated: 0, imported: 0, exportCalls: 0 }));
  return s;
}

/** Makes every import URL issued so far invalid (the server refuses it before its expirationDateTime). */
export function expireImportSessions(graph: object): void {
  sessionsOf.get(graph)?.clear();
}

export function isMailboxApi(path: string): boolean {
  return ADMIN.test(path) || path === IMPORT;
}

/** What export puts in `data` (and import takes back): everything that makes the item itself. */
interface OpaqueItem {
  v: 1;
  subject: string;
  internetMessageId: string;
  receivedDateTime: string;
  isRead: boolean;
  isDraft: boolean;
  flagStatus: MessageRecord['flagStatus'];
  props: Record<string, string>;
  mime: string;
}

const denied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export function mailboxIdOf(user: UserRecord, tenant: TenantRecord): string {
  return `MBX:${user.id}@${tenant.id}`;
}

function findUser(o: GraphOptions, tenant: TenantRecord, key: string): UserRecord | undefined {
  // Only the mailbox's own id (exchangeSettings.primaryMailboxId): a UPN or user id is no mailbox id.
  const mbx = /^MBX:([^@]+)@(.+)$/i.exec(decodeURIComponent(key));
  return mbx && mbx[2] === tenant.id ? o.data.findUser(tenant, mbx[1]) : undefined;
}

/** A mailboxFolder; under /beta with `parentMailboxUrl` (the beta page's, not in v1.0's metadata). */
function folderJson(box: ReturnType<GraphOptions['data']['mailbox']>, f: FolderRecord, mailboxUrl?: string): Record<string, unknown> {
  const items = box.messages.filter((m) => m.folderId === f.id);
  return {
    id: mailboxFolderId(f.id),
    ...(mailboxUrl ? { parentMailboxUrl: mailboxUrl } : {}),
    displayName: f.displayName,
    parentFolderId: mailboxFolderId(f.parentFolderId),
    childFolderCount: box.folders.filter((c) => c.parentFolderId === f.id).length,
    totalItemCount: items.length,
    type: 'IPF.Note',
  };
}

/** A mailboxItem: its properties as documented (no read or flag state: the type has none). */
function itemJson(m: MessageRecord): Record<string, unknown> {
  return { id: mailboxItemId(m), type: 'IPM.Note', size: m.size, createdDateTime: m.receivedDateTime, lastModifiedDateTime: m.receivedDateTime, changeKey: `CQAAABYAAAA${m.changeSeq}`, categories: m.categories ?? [] };
}

/** Serves a request `isMailboxApi` accepted. `graph` counts requests and keys the settings. */
export async function handleMailboxApi(graph: { requests: number; latencyMs: number }, o: GraphOptions, req: FakeRequest): Promise<FakeResponse> {
  graph.requests++;
  const settings = mailboxApiSettings(graph);
  let sessions = sessionsOf.get(graph);
  if (!sessions) sessionsOf.set(graph, (sessions = new Map()));
  let tenant: TenantRecord | undefined;
  let user: UserRecord | undefined;
  let appId: string;
  let rest: string[] = [];
  let grant: Grant = { permissions: [], delegated: false };
  if (req.path === IMPORT) {
    // Pre-authenticated: the token is in the URL; no bearer needed.
    const session = sessions.get(req.query.get('authtoken') ?? '');
    if (!session || session.expiresAt <= settings.now()) {
      if (session) sessions.delete(req.query.get('authtoken') ?? '');
      return graphError(401, 'InvalidAuthenticationToken', 'The import URL has expired or is not valid. Create a new import session.');
    }
    tenant = o.data.tenant(session.tenantId);
    user = tenant ? o.data.findUser(tenant, session.userId) : undefined;
    appId = session.appId;
  } else {
    const auth = o.tokens.check(req.headers.authorization);
    if ('problem' in auth) return graphError(401, 'InvalidAuthenticationToken', auth.problem);
    tenant = o.data.tenant(String(auth.claims.tid));
    if (!tenant) return graphError(401, 'InvalidAuthenticationToken', 'The tenant of the token does not exist.');
    grant = grantOf(auth.claims);
    appId = String(auth.claims.appid);
    const segments = req.path.replace(ADMIN, '').split('/').filter(Boolean);
    user = segments[0] ? findUser(o, tenant, segments[0]) : undefined;
    rest = segments.slice(1);
  }
  if (!tenant || !user) return graphError(404, 'ErrorInvalidUser', 'The requested mailbox is invalid.');
  if (!user.licensed) return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  const fault = o.faults.take(req);
  if (fault) return faultResponse(fault);
  if (req.body.length > o.maxRequestBytes) return graphError(413, 'RequestEntityTooLarge', `The request is larger than ${o.maxRequestBytes} bytes.`);
  if (await o.faults.hold(req.method, afterVersion(req.path))) return graphError(503, 'ServiceUnavailable', 'The request was held and never served.');
  const key = `${appId}|${user.id}`;
  const tenantKey = `${appId}|${tenant.id}`;
  const refused = o.throttle.admit(key, req.method === 'GET' ? 0 : req.body.length, tenantKey);
  if (refused) return graphError(429, 'ApplicationThrottled', refused.reason, { 'retry-after': String(refused.retryAfterSeconds) });
  try {
    if (graph.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, graph.latencyMs));
    const version = versionOf(req.path);
    const base = `${o.origin()}/${version}/admin/exchange/mailboxes/${encodeURIComponent(mailboxIdOf(user, tenant))}`;
    if (req.path === IMPORT) {
      const answer = importItem(o, user, req, settings);
      // The item is made; a test may keep its answer from the client (cut once it lets go), or cut it at once.
      if (await o.faults.holdAnswer(req.method, afterVersion(req.path))) return { ...answer, cut: true };
      return o.faults.takeCut(req) ? { ...answer, cut: true } : answer;
    }
    return route(o, tenant, user, grant, appId, rest, req, base, settings, sessions);
  } finally {
    o.throttle.release(key, tenantKey);
  }
}

function route(o: GraphOptions, tenant: TenantRecord, user: UserRecord, grant: Grant, appId: string, rest: string[], req: FakeRequest, base: string, settings: MailboxApiSettings, sessions: Map<string, ImportSession>): FakeResponse {
  const box = o.data.mailbox(user.id);
  if (rest.length === 0 && req.method === 'GET' && !allowsAny(grant)) return denied();
  if (rest.length === 0 && req.method === 'GET') return json(200, { '@odata.context': `${o.origin()}/v1.0/$metadata#admin/exchange/mailboxes/$entity`, id: mailboxIdOf(user, tenant), deletedDateTime: null });
  if (rest[0] === 'folders' && req.method === 'GET') {
    // Permissions come before ids: items (delta) need MailboxItem.Read.All, every folder route MailboxFolder.Read.All.
    if (!allows(grant, rest[2] === 'items' ? NEEDS.items : NEEDS.folders)) return denied();
    const shown = (f: FolderRecord) => settings.listsHiddenFolders || !f.isHidden;
    const beta = versionOf(req.path) === 'beta' ? base : undefined;
    if (rest.length === 1) return json(200, { ...page(box.folders.filter((f) => f.parentFolderId === box.rootId && shown(f)).map((f) => folderJson(box, f, beta)), req.query, `${base}/folders`) });
    if (rest.length === 2 && rest[1] === 'delta') return foldersDelta(req, box, box.rootId, `${base}/folders/delta`, shown, (f) => folderJson(box, f, beta));
    const wanted = recordId(decodeURIComponent(rest[1]));
    if (wanted === undefined) return malformed();
    const folder = box.folders.find((f) => f.id === wanted);
    if (!folder) return notFound();
    if (rest.length === 2) return json(200, folderJson(box, folder, beta));
    if (rest.length === 3 && rest[2] === 'childFolders') return json(200, { ...page(box.folders.filter((f) => f.parentFolderId === folder.id && shown(f)).map((f) => folderJson(box, f, beta)), req.query, `${base}/folders/${rest[1]}/childFolders`) });
    if (rest.length === 4 && rest[2] === 'childFolders' && rest[3] === 'delta') return foldersDelta(req, box, folder.id, `${base}/folders/${rest[1]}/childFolders/delta`, shown, (f) => folderJson(box, f, beta));
    if (rest.length === 4 && rest[2] === 'items' && rest[3] === 'delta') return itemsDelta(req, box, folder, `${base}/folders/${rest[1]}/items/delta`, itemJson);
    return graphError(400, 'BadRequest', `Unsupported request: GET /${rest.join('/')}`);
  }
  if (rest.length === 1 && rest[0] === 'exportItems' && req.method === 'POST') {
    if (!allows(grant, NEEDS.export)) return denied();
    const ids = jsonOf(req)?.itemIds;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) return graphError(400, 'ErrorInvalidRequest', "The request is invalid: 'itemIds' must be a non-empty array of strings.");
    if (ids.length > MAX_EXPORT) return graphError(400, 'ErrorExceededMaxItemCount', `The number of items requested exceeds the maximum of ${MAX_EXPORT}.`);
    settings.exportCalls++;
    const value = (ids as string[]).map((itemId) => {
      const m = findMailboxItem(box, itemId);
      if (!m) return { itemId, error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } };
      const opaque: OpaqueItem = { v: 1, subject: m.subject, internetMessageId: m.internetMessageId, receivedDateTime: m.receivedDateTime, isRead: m.isRead, isDraft: m.isDraft, flagStatus: m.flagStatus, props: m.props, mime: fs.readFileSync(o.data.emlPath(user.id, m.id)).toString('base64') };
      return { itemId, changeKey: `CQAAABYAAAA${m.changeSeq}`, data: Buffer.from(JSON.stringify(opaque), 'utf8').toString('base64') };
    });
    return json(200, { '@odata.context': `${o.origin()}/v1.0/$metadata#Collection(microsoft.graph.exportItemResponse)`, value });
  }
  if (rest.length === 1 && rest[0] === 'createImportSession' && req.method === 'POST') {
    if (!allows(grant, NEEDS.importSession)) return denied();
    const token = randomBytes(24).toString('base64url');
    const expiresAt = settings.now() + settings.importUrlLifetimeMs;
    sessions.set(token, { tenantId: tenant.id, userId: user.id, appId, expiresAt });
    settings.sessionsCreated++;
    return json(200, { '@odata.context': `${o.origin()}/v1.0/$metadata#microsoft.graph.mailboxItemImportSession`, importUrl: `${o.origin()}${IMPORT}?authtoken=${token}`, expirationDateTime: new Date(expiresAt).toISOString() });
  }
  return graphError(400, 'BadRequest', `Unsupported request: ${req.method} /${rest.join('/')}`);
}

function importItem(o: GraphOptions, user: UserRecord, req: FakeRequest, settings: MailboxApiSettings): FakeResponse {
  const body = jsonOf(req);
  const folderId = typeof body?.FolderId === 'string' ? body.FolderId : '';
  const mode = typeof body?.Mode === 'string' ? body.Mode.toLowerCase() : 'create';
  if (mode !== 'create') return graphError(400, 'ErrorInvalidRequest', "Only Mode 'create' is supported.");
  const box = o.data.mailbox(user.id);
  const wanted = recordId(folderId);
  if (wanted === undefined) return malformed();
  const folder = box.folders.find((f) => f.id === wanted);
  if (!folder) return graphError(404, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.');
  let item: OpaqueItem;
  try {
    item = JSON.parse(Buffer.from(typeof body?.Data === 'string' ? body.Data : '', 'base64').toString('utf8')) as OpaqueItem;
    if (item.v !== 1 || typeof item.mime !== 'string') throw new Error('bad');
  } catch {
    return graphError(400, 'ErrorInvalidRequest', 'The Data is not a valid exported item.');
  }
  const raw = Buffer.from(item.mime, 'base64');
  const used = box.messages.reduce((s, m) => s + m.size, 0);
  if (user.quotaBytes !== undefined && used + raw.length > user.quotaBytes) return graphError(507, 'ErrorQuotaExceeded', 'The server cannot service this request right now. Try again later.');
  const message: MessageRecord = {
    ...newMessageIds(),
    folderId: folder.id,
    internetMessageId: item.internetMessageId,
    subject: item.subject,
    receivedDateTime: item.receivedDateTime,
    isRead: item.isRead,
    isDraft: item.isDraft,
    flagStatus: item.flagStatus,
    props: { ...item.props },
    changeSeq: ++box.seq,
    size: raw.length,
  };
  fs.writeFileSync(o.data.emlPath(user.id, message.id), raw);
  box.messages.push(message);
  o.data.saveMailbox(user.id);
  settings.imported++;
  return json(200, { itemId: mailboxItemId(message), changeKey: `CQAAABYAAAA${message.changeSeq}` });
}
