// Mail folders: `/users/{id}/mailFolders` (the top of the folder tree), `/mailFolders/{id|well-known
// name}` and `/childFolders`, listed with `$top` paging and created with POST { displayName }.
import { newId, type FolderRecord } from './data';
import { page, mayUseMail, type MailboxCall } from './graphContext';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';

/** PidTagMessageSizeExtended: on a folder, the total size of the messages in it (MS-OXCFOLD), computed by the store. */
const FOLDER_SIZE = 'Long 0xe08';

/** The folder's computed properties an `$expand=singleValueExtendedProperties($filter=id eq '...')` asks for. */
function folderProperties(size: number, expand: string | null): { singleValueExtendedProperties?: { id: string; value: string }[] } {
  if (!expand || !/^singleValueExtendedProperties/i.test(expand)) return {};
  // Graph sends the id back normalised ('Long 0xe08' for 'Long 0x0E08'): compare the tags as numbers.
  const tag = (id: string) => /^(\w+)\s+0x([0-9a-f]+)$/i.exec(id.trim());
  const asked = [...expand.matchAll(/id eq '([^']+)'/gi)].map((m) => tag(m[1]));
  const wanted = asked.length === 0 || asked.some((t) => t !== null && t[1].toLowerCase() === 'long' && parseInt(t[2], 16) === 0x0e08);
  return { singleValueExtendedProperties: wanted ? [{ id: FOLDER_SIZE, value: String(size) }] : [] };
}

/**
 * The resource Graph returns for a folder. `sizeInBytes` is beta only: v1.0 has no such property
 * (its size is PidTagMessageSizeExtended, expanded as an extended property).
 */
export function folderJson(call: MailboxCall, f: FolderRecord, query?: URLSearchParams): object {
  const messages = call.box.messages.filter((m) => m.folderId === f.id);
  const size = messages.reduce((s, m) => s + m.size, 0);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    childFolderCount: call.box.folders.filter((c) => c.parentFolderId === f.id).length,
    unreadItemCount: messages.filter((m) => !m.isRead).length,
    totalItemCount: messages.length,
    ...(call.version === 'beta' ? { sizeInBytes: size } : {}),
    isHidden: false,
    ...folderProperties(size, query?.get('$expand') ?? null),
  };
}

const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** `segments`: the path after `/users/{id}`, starting with 'mailFolders'. */
export function handleFolders(call: MailboxCall, req: FakeRequest, segments: string[], link: string): FakeResponse | undefined {
  const box = call.box;
  const write = req.method !== 'GET';
  // `/mailFolders` itself lists the children of the root (msgfolderroot).
  const parentId = segments.length === 1 ? box.rootId : segments.length === 3 && segments[2] === 'childFolders' ? call.data.folder(box, decodeURIComponent(segments[1]))?.id : undefined;
  if (segments.length === 1 || (segments.length === 3 && segments[2] === 'childFolders')) {
    if (!mayUseMail(call, write)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    if (!parentId) return notFound();
    if (req.method === 'GET') return json(200, { '@odata.context': `${call.base}/$metadata#users('${call.user.id}')/mailFolders`, ...page(box.folders.filter((f) => f.parentFolderId === parentId).map((f) => folderJson(call, f, req.query)), req.query, link) });
    if (req.method === 'POST') return createFolder(call, req, parentId);
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }
  if (segments.length === 2 && req.method === 'GET') {
    if (!mayUseMail(call, false)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const folder = call.data.folder(box, decodeURIComponent(segments[1]));
    return folder ? json(200, folderJson(call, folder, req.query)) : notFound();
  }
  return undefined;
}

function createFolder(call: MailboxCall, req: FakeRequest, parentFolderId: string): FakeResponse {
  const body = jsonOf(req);
  const displayName = typeof body?.displayName === 'string' ? body.displayName : '';
  if (!displayName.trim()) return graphError(400, 'ErrorInvalidRequest', "The request is invalid: 'displayName' is required.");
  if (call.box.folders.some((f) => f.parentFolderId === parentFolderId && f.displayName.toLowerCase() === displayName.toLowerCase())) {
    return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  const folder: FolderRecord = { id: newId('AQMk'), displayName, parentFolderId };
  call.box.folders.push(folder);
  call.data.saveMailbox(call.user.id);
  return json(201, folderJson(call, folder));
}
