// The two delta functions of the mailbox import/export API, as Microsoft documents them
// (api-reference mailboxitem-delta.md and mailboxfolder-delta.md; mailboxApi.md says what the fake
// assumes where the pages are silent):
//   GET .../folders/{id}/items/delta   mailboxItems added, updated or deleted in one folder
//   GET .../folders/delta              mailboxFolders added, updated or deleted in the mailbox
//   GET .../folders/{id}/childFolders/delta   the same below one folder
// A round is pages linked by `@odata.nextLink` ($skiptoken) and ends with an `@odata.deltaLink`
// ($deltatoken) that returns only what changed after it. Query parameters are given once, on the
// first request, and carried in the tokens. Items: `$select` and `$top`; `$filter` only
// `receivedDateTime ge|gt {value}`; `$orderby` only `receivedDateTime desc`; no `$search` (the
// rest is refused with Graph's 400). Folders: `$select` only. After a delta link, an item that left
// the folder (deleted, or moved out) and a folder that is gone come as `{ id, "@removed" }`. A
// token the fake did not make is 410 SyncStateNotFound, as an expired sync state is. Permissions
// (checked by mailboxApi.ts before these run, as the pages name them): items/delta MailboxItem.Read.All,
// folders/delta MailboxFolder.Read.All (delegated: MailboxItem.Read, MailboxFolder.Read).
import type { FolderRecord, MailboxRecord, MessageRecord } from './data';
import { RECOVERABLE_DELETIONS } from './data';
import { graphError, json, type FakeRequest, type FakeResponse } from './http';
import { mailboxItemId } from './messageIds';

const encode = (s: object) => Buffer.from(JSON.stringify(s)).toString('base64url');
function decode<T extends object>(token: string, valid: (s: Partial<T>) => boolean): T | undefined {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<T>;
    return typeof s === 'object' && s !== null && valid(s) ? (s as T) : undefined;
  } catch {
    return undefined;
  }
}

const expired = () => graphError(410, 'SyncStateNotFound', 'The sync state generation is not found. Please sync again without a state token.');
const notSupported = (name: string, what: string) => graphError(400, 'ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the '${what}' resource: '${name}'.`);
const ITEM_FILTER = /^receivedDateTime\s+(ge|gt)\s+(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z)$/i;
const ITEM_ORDER = /^receivedDateTime\s+desc$/i;
const TOKENS = new Set(['$deltatoken', '$skiptoken']);

/** The parameters a round was started with (carried in its tokens). */
interface Params {
  select?: string;
  top?: number;
  filter?: { op: 'ge' | 'gt'; at: number };
  orderDesc?: boolean;
}

/** Graph's 400 for a parameter these delta functions do not take, or the parameters of a first request. */
function paramsOf(req: FakeRequest, items: boolean): Params | FakeResponse {
  const what = items ? 'MailboxItems' : 'MailboxFolders';
  const out: Params = {};
  for (const [key, value] of req.query) {
    const k = key.toLowerCase();
    if (TOKENS.has(k)) continue;
    if (k === '$select') out.select = value;
    else if (k === '$top' && items) {
      const top = Number(value);
      if (!Number.isInteger(top) || top < 1) return graphError(400, 'BadRequest', `Invalid value '${value}' for the query option '$top'.`);
      out.top = top;
    } else if (k === '$filter' && items) {
      const m = ITEM_FILTER.exec(value.trim());
      if (!m) return graphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
      out.filter = { op: m[1].toLowerCase() as 'ge' | 'gt', at: Date.parse(m[2]) };
    } else if (k === '$orderby' && items) {
      if (!ITEM_ORDER.test(value.trim())) return notSupported('$orderby', what);
      out.orderDesc = true;
    } else return notSupported(key, what);
  }
  return out;
}

/** An entity cut to the round's `$select` (id and annotations always stay). */
function selected(entity: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (!select) return entity;
  const keep = new Set([...select.split(',').map((s) => s.trim()), 'id', 'parentMailboxUrl']);
  return Object.fromEntries(Object.entries(entity).filter(([k]) => keep.has(k) || k.startsWith('@')));
}

/** Page size: `Prefer: odata.maxpagesize`, else `$top`, else 10 (at most 1,000). */
function pageSize(req: FakeRequest, p: Params): number {
  const prefer = /odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '');
  return Math.max(1, Math.min(1000, prefer ? Number(prefer[1]) : (p.top ?? 10)));
}

const removed = (id: string) => ({ id, '@removed': { reason: 'deleted' } });

interface ItemState extends Params {
  since: number;
  upto: number;
  offset: number;
}

/** `GET .../folders/{id}/items/delta`: the folder's items changed in the round's window of change numbers. */
export function itemsDelta(req: FakeRequest, box: MailboxRecord, folder: FolderRecord, link: string, itemJson: (m: MessageRecord) => Record<string, unknown>): FakeResponse {
  const skip = req.query.get('$skiptoken');
  const from = req.query.get('$deltatoken');
  const valid = (s: Partial<ItemState>) => typeof s.since === 'number' && typeof s.upto === 'number' && typeof s.offset === 'number';
  let state: ItemState | undefined;
  if (skip) state = decode<ItemState>(skip, valid);
  else if (from) {
    const last = decode<ItemState>(from, valid);
    state = last && { ...last, since: last.upto, upto: box.seq, offset: 0 };
  } else {
    const params = paramsOf(req, true);
    if ('status' in params) return params;
    state = { ...params, since: 0, upto: box.seq, offset: 0 };
  }
  if (!state) return expired();
  const s = state;
  const window = (seq: number) => seq > s.since && seq <= s.upto;
  const received = (m: MessageRecord) => {
    if (!s.filter) return true;
    const at = Date.parse(m.receivedDateTime);
    return s.filter.op === 'ge' ? at >= s.filter.at : at > s.filter.at;
  };
  const present = box.messages.filter((m) => m.folderId === folder.id && window(m.changeSeq) && received(m));
  if (s.orderDesc) present.sort((a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime));
  else present.sort((a, b) => a.changeSeq - b.changeSeq);
  // After a delta link, what left the folder comes `@removed` (an item moved back since is present instead).
  const here = new Set(present.map((m) => mailboxItemId(m)));
  const gone = s.since > 0 ? (box.removed ?? []).filter((r) => r.folderId === folder.id && window(r.seq)).map((r) => mailboxItemId(r)).filter((id, i, all) => !here.has(id) && all.indexOf(id) === i) : [];
  const changed: Record<string, unknown>[] = [...present.map((m) => selected(itemJson(m), s.select)), ...gone.map(removed)];
  const size = pageSize(req, s);
  const value = changed.slice(s.offset, s.offset + size);
  const next = s.offset + size < changed.length ? { '@odata.nextLink': `${link}?$skiptoken=${encode({ ...s, offset: s.offset + size })}` } : { '@odata.deltaLink': `${link}?$deltatoken=${encode({ ...s, offset: 0 })}` };
  return json(200, { '@odata.context': `${link.replace(/\/admin\/.*$/, '')}/$metadata#Collection(mailboxItem)`, value, ...next }, /odata\.maxpagesize/.test(req.headers.prefer ?? '') ? { 'preference-applied': `odata.maxpagesize=${size}` } : {});
}

interface FolderState {
  select?: string;
  /** The folders the client knows, by id: `displayName|parent` as it last saw them. */
  known: Record<string, string>;
  offset: number;
}

/**
 * `GET .../folders/delta` (every folder below the root, parents first) or
 * `.../folders/{id}/childFolders/delta` (the folders below `under`): those added or changed (renamed,
 * moved) since the client's last round, then those gone as `@removed`.
 */
export function foldersDelta(req: FakeRequest, box: MailboxRecord, under: string, link: string, shown: (f: FolderRecord) => boolean, folderJson: (f: FolderRecord) => Record<string, unknown>): FakeResponse {
  const skip = req.query.get('$skiptoken');
  const from = req.query.get('$deltatoken');
  const valid = (s: Partial<FolderState>) => typeof s.known === 'object' && s.known !== null && typeof s.offset === 'number';
  let state: FolderState | undefined;
  if (skip) state = decode<FolderState>(skip, valid);
  else if (from) {
    const last = decode<FolderState>(from, valid);
    state = last && { ...last, offset: 0 };
  } else {
    const params = paramsOf(req, false);
    if ('status' in params) return params;
    state = { ...(params.select ? { select: params.select } : {}), known: {}, offset: 0 };
  }
  if (!state) return expired();
  const s = state;
  const below: FolderRecord[] = [];
  const visit = (parent: string) => {
    for (const f of box.folders.filter((x) => x.parentFolderId === parent && x.wellKnownName !== RECOVERABLE_DELETIONS && shown(x))) {
      below.push(f);
      visit(f.id);
    }
  };
  visit(under);
  const signature = (f: FolderRecord) => `${f.displayName}|${f.parentFolderId}`;
  const now = Object.fromEntries(below.map((f) => [String(folderJson(f).id), signature(f)]));
  const changed: Record<string, unknown>[] = [
    ...below.filter((f) => s.known[String(folderJson(f).id)] !== signature(f)).map((f) => selected(folderJson(f), s.select)),
    ...Object.keys(s.known).filter((id) => !(id in now)).map(removed),
  ];
  const size = pageSize(req, {});
  const value = changed.slice(s.offset, s.offset + size);
  const next = s.offset + size < changed.length ? { '@odata.nextLink': `${link}?$skiptoken=${encode({ ...s, offset: s.offset + size })}` } : { '@odata.deltaLink': `${link}?$deltatoken=${encode({ ...(s.select ? { select: s.select } : {}), known: now, offset: 0 })}` };
  return json(200, { '@odata.context': `${link.replace(/\/admin\/.*$/, '')}/$metadata#Collection(mailboxFolder)`, value, ...next });
}
