// Mail folders: `/users/{id}/mailFolders` (the top of the folder tree), `/mailFolders/{id|well-known
// name}` and `/childFolders`, listed with `$top` paging and created with POST { displayName,
// isHidden }. A hidden folder (isHidden can only be set at creation) is listed only with
// `includeHiddenFolders=true`; `POST .../permanentDelete` removes a folder with everything in it.
import * as fs from 'node:fs';
import { newId, type FolderRecord, type MailboxRecord } from './data';
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
    isHidden: f.isHidden ?? false,
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
    const hidden = req.query.get('includeHiddenFolders')?.toLowerCase() === 'true';
    if (req.method === 'GET') return json(200, { '@odata.context': `${call.base}/$metadata#users('${call.user.id}')/mailFolders`, ...page(box.folders.filter((f) => f.parentFolderId === parentId && (hidden || !f.isHidden)).map((f) => folderJson(call, f, req.query)), req.query, link) });
    if (req.method === 'POST') return createFolder(call, req, parentId);
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }
  if (segments.length === 2 && req.method === 'GET') {
    if (!mayUseMail(call, false)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const folder = call.data.folder(box, decodeURIComponent(segments[1]));
    return folder ? json(200, folderJson(call, folder, req.query)) : notFound();
  }
  if (segments.length === 3 && segments[2] === 'permanentDelete' && req.method === 'POST') {
    if (!mayUseMail(call, true)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const folder = call.data.folder(box, decodeURIComponent(segments[1]));
    if (!folder) return notFound();
    if (folder.wellKnownName) return graphError(403, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
    removeTree(call, box, folder);
    call.data.saveMailbox(call.user.id);
    return { status: 204 };
  }
  return undefined;
}

/** Removes a folder, its subfolders and their messages (a permanent delete: nothing goes to Deleted Items). */
function removeTree(call: MailboxCall, box: MailboxRecord, folder: FolderRecord): void {
  for (const child of box.folders.filter((f) => f.parentFolderId === folder.id)) removeTree(call, box, child);
  for (const m of box.messages.filter((x) => x.folderId === folder.id)) {
    fs.rmSync(call.data.emlPath(call.user.id, m.id), { force: true });
    for (const a of m.attachments ?? []) fs.rmSync(call.data.attachmentPath(call.user.id, m, a.id), { force: true });
  }
  box.messages = box.messages.filter((m) => m.folderId !== folder.id);
  box.folders = box.folders.filter((f) => f.id !== folder.id);
}

function createFolder(call: MailboxCall, req: FakeRequest, parentFolderId: string): FakeResponse {
  const body = jsonOf(req);
  const displayName = typeof body?.displayName === 'string' ? body.displayName : '';
  if (!displayName.trim()) return graphError(400, 'ErrorInvalidRequest', "The request is invalid: 'displayName' is required.");
  if (call.box.folders.some((f) => f.parentFolderId === parentFolderId && f.displayName.toLowerCase() === displayName.toLowerCase())) {
    return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  if (body?.isHidden !== undefined && typeof body.isHidden !== 'boolean') return graphError(400, 'ErrorInvalidRequest', "The request is invalid: 'isHidden' must be a boolean.");
  const folder: FolderRecord = { id: newId('AQMk'), displayName, parentFolderId, ...(body?.isHidden === true ? { isHidden: true } : {}) };
  call.box.folders.push(folder);
  call.data.saveMailbox(call.user.id);
  return json(201, folderJson(call, folder));
}
