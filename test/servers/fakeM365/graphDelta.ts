// Per-folder delta of messages: `/mailFolders/{id}/messages/delta`. Pages of `Prefer:
// odata.maxpagesize` (default 10, as Graph does) linked by `@odata.nextLink` ($skiptoken), then an
// `@odata.deltaLink` ($deltatoken) that returns only what changed after it. A token the fake did
// not make answers 410 SyncStateNotFound, as an expired sync state does. After a deltaLink, a
// message that left the folder (deleted, or moved out: it has a new id elsewhere) comes as
// `{ id, "@removed": { reason: "deleted" } }`, as Graph's delta query reports removed items.
import { messageJson } from './graphMessages';
import { mayUseMail, type MailboxCall } from './graphContext';
import { graphError, json, type FakeRequest, type FakeResponse } from './http';

interface DeltaState {
  /** Changes after this sequence number... */
  since: number;
  /** ...up to this one (the mailbox's when the round started). */
  upto: number;
  /** Items already returned in this round. */
  offset: number;
}

const encode = (s: object) => Buffer.from(JSON.stringify(s)).toString('base64url');

function decode(token: string): DeltaState | undefined {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<DeltaState>;
    return typeof s.since === 'number' && typeof s.upto === 'number' && typeof s.offset === 'number' ? (s as DeltaState) : undefined;
  } catch {
    return undefined;
  }
}

export function handleDelta(call: MailboxCall, req: FakeRequest, folderKey: string, link: string): FakeResponse {
  if (!mayUseMail(call, false)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const folder = call.data.folder(call.box, decodeURIComponent(folderKey));
  if (!folder) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const skip = req.query.get('$skiptoken');
  const delta = req.query.get('$deltatoken');
  let state: DeltaState | undefined = { since: 0, upto: call.box.seq, offset: 0 };
  if (skip) state = decode(skip);
  else if (delta) {
    const from = decode(delta);
    state = from ? { since: from.upto, upto: call.box.seq, offset: 0 } : undefined;
  }
  if (!state) return graphError(410, 'SyncStateNotFound', 'The sync state generation is not found. Please sync again without a state token.');
  const prefer = /odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '');
  const size = Math.max(1, Math.min(1000, prefer ? Number(prefer[1]) : 10));
  const window = (seq: number) => seq > state.since && seq <= state.upto;
  // After a delta link, what left the folder comes as `@removed` (moved out or deleted), by the id the client knew.
  const gone = state.since > 0 ? (call.box.removed ?? []).filter((r) => r.folderId === folder.id && window(r.seq)) : [];
  const changed = [
    ...call.box.messages.filter((m) => m.folderId === folder.id && window(m.changeSeq)).map((m) => ({ seq: m.changeSeq, json: () => messageJson(call, m) })),
    ...gone.map((r) => ({ seq: r.seq, json: () => ({ '@odata.type': '#microsoft.graph.message', id: call.immutableIds ? (r.immutableId ?? r.id) : r.id, '@removed': { reason: 'deleted' } }) })),
  ].sort((a, b) => a.seq - b.seq);
  const value = changed.slice(state.offset, state.offset + size).map((c) => c.json());
  const more = state.offset + size < changed.length;
  const select = req.query.get('$select');
  const keep = select ? `&$select=${encodeURIComponent(select)}` : '';
  const next = more ? { '@odata.nextLink': `${link}?$skiptoken=${encode({ ...state, offset: state.offset + size })}${keep}` } : { '@odata.deltaLink': `${link}?$deltatoken=${encode({ since: state.since, upto: state.upto, offset: 0 })}${keep}` };
  return json(200, { '@odata.context': `${call.base}/$metadata#Collection(message)`, value, ...next }, prefer ? { 'preference-applied': `odata.maxpagesize=${size}` } : {});
}
