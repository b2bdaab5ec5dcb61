// Full fidelity between Exchange mailboxes: ExportItems returns each item as Exchange's opaque
// stream (every property, attachment and recurrence intact) and UploadItems writes it into another
// mailbox; an UpdateItem then sets Ferry's watermark on the new item (the stream cannot carry it).
// ews-javascript-api has neither ExportItems nor UploadItems, and its UpdateItem needs the item
// bound first (one more round trip per item), so the SOAP is built here and sent through the same
// transport (same connections, authentication, impersonation and back-off) inside EwsSession.call.
// ExportItems and UploadItems need Exchange 2010 SP1 or later.
import { ConnectorError, type FolderInfo } from '../types';
import { residueName, watermarkName, watermarkPropertySet } from './ewsProperties';
import type { EwsSession } from './ewsSession';
import { esc, failure, NS_M, NS_T, post } from './ewsSoap';

/** Ferry's watermark property as an ExtendedFieldURI. */
export const watermarkUri = `<t:ExtendedFieldURI PropertySetId="${watermarkPropertySet}" PropertyName="${watermarkName}" PropertyType="String"/>`;
/** The in-place residue's hash (inPlaceResidue.ts) as an ExtendedFieldURI. */
export const residueUri = `<t:ExtendedFieldURI PropertySetId="${watermarkPropertySet}" PropertyName="${residueName}" PropertyType="String"/>`;

/** ExportItems: per id, in order, its opaque stream or the error that item got. */
export async function exportItems(session: EwsSession, ids: readonly string[], signal: AbortSignal): Promise<(Buffer | ConnectorError)[]> {
  const what = `export ${ids.length} item(s)`;
  const body = `<m:ExportItems><m:ItemIds>${ids.map((id) => `<t:ItemId Id="${esc(id)}"/>`).join('')}</m:ItemIds></m:ExportItems>`;
  const messages = await post(session, what, body, 'ExportItemsResponseMessage', signal);
  if (messages.length !== ids.length) throw new ConnectorError('EWS-INTERNAL', `ExportItems answered ${messages.length} messages for ${ids.length} items`, 'transient', [session.mailbox, what, 'short answer', new URL(session.url).host]);
  return messages.map((m) => (m.ok ? Buffer.from(m.element.getElementsByTagNameNS(NS_M, 'Data')[0]?.textContent ?? '', 'base64') : failure(session, what, m)));
}

/**
 * UploadItems: writes one opaque item into a folder as a new item, or over the item `update` names
 * (CreateAction Update: the item keeps its id, its properties become the stream's); returns its id.
 */
export async function uploadItem(session: EwsSession, folder: FolderInfo, data: Buffer, signal: AbortSignal, update?: string): Promise<string> {
  const what = `${update ? 'upload an item over its copy' : 'upload an item'} into ${folder.path.join('/')}`;
  const action = update ? `CreateAction="Update"><t:ParentFolderId Id="${esc(folder.id)}"/><t:ItemId Id="${esc(update)}"/>` : `CreateAction="CreateNew"><t:ParentFolderId Id="${esc(folder.id)}"/>`;
  const body = `<m:UploadItems><m:Items><t:Item ${action}<t:Data>${data.toString('base64')}</t:Data></t:Item></m:Items></m:UploadItems>`;
  const [m] = await post(session, what, body, 'UploadItemsResponseMessage', signal);
  if (!m) throw new ConnectorError('EWS-INTERNAL', `UploadItems gave no answer for an item of ${folder.path.join('/')}`, 'transient', [session.mailbox, what, 'empty answer', new URL(session.url).host]);
  if (!m.ok) throw failure(session, what, m);
  const id = m.element.getElementsByTagNameNS(NS_M, 'ItemId')[0]?.getAttribute('Id');
  if (!id) throw new ConnectorError('EWS-INTERNAL', `UploadItems returned no item id in ${folder.path.join('/')}`, 'item', [session.mailbox, what, 'no ItemId', new URL(session.url).host]);
  return id;
}

/**
 * UpdateItem: sets Ferry's watermark (the content fingerprint) on an item, whatever its ChangeKey.
 * SendMeetingInvitationsOrCancellations is required for calendar items (Exchange refuses the update
 * without it, ErrorSendMeetingInvitationsOrCancellationsRequired) and ignored for others: SendToNone,
 * a migration never mails attendees.
 */
export async function setWatermark(session: EwsSession, folder: FolderInfo, id: string, fingerprint: string, signal: AbortSignal): Promise<string | undefined> {
  const what = `mark an uploaded item in ${folder.path.join('/')}`;
  const uri = watermarkUri;
  const body = `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly" SendMeetingInvitationsOrCancellations="SendToNone"><m:ItemChanges><t:ItemChange><t:ItemId Id="${esc(id)}"/><t:Updates><t:SetItemField>${uri}<t:Item><t:ExtendedProperty>${uri}<t:Value>${esc(fingerprint)}</t:Value></t:ExtendedProperty></t:Item></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`;
  const [m] = await post(session, what, body, 'UpdateItemResponseMessage', signal);
  if (m && !m.ok) throw failure(session, what, m);
  // The item's ChangeKey after this update: its change stamp as Ferry wrote it (WrittenItem.version).
  return m?.element.getElementsByTagNameNS(NS_T, 'ItemId')[0]?.getAttribute('ChangeKey') ?? undefined;
}

/** Sets a found message's read state (UpdateItem, SetItemField message:IsRead). */
export async function setRead(session: EwsSession, folder: FolderInfo, id: string, read: boolean, signal: AbortSignal): Promise<void> {
  const what = `set the read state of a found message in ${folder.path.join('/')}`;
  const body = `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange><t:ItemId Id="${esc(id)}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="message:IsRead"/><t:Message><t:IsRead>${read}</t:IsRead></t:Message></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`;
  const [m] = await post(session, what, body, 'UpdateItemResponseMessage', signal);
  if (m && !m.ok) throw failure(session, what, m);
}
