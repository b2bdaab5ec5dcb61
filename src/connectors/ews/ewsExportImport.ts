// Full fidelity between Exchange mailboxes: ExportItems returns each item as Exchange's opaque
// stream (every property, attachment and recurrence intact) and UploadItems writes it into another
// mailbox; an UpdateItem then sets Ferry's watermark on the new item (the stream cannot carry it).
// ews-javascript-api has neither ExportItems nor UploadItems, and its UpdateItem needs the item
// bound first (one more round trip per item), so the SOAP is built here and sent through the same
// transport (same connections, authentication, impersonation and back-off) inside EwsSession.call.
// ExportItems and UploadItems need Exchange 2010 SP1 or later.
import { DOMParser } from '@xmldom/xmldom';
import { ConnectorError, type FolderInfo } from '../types';
import { ewsFailureError } from './ewsErrors';
import { watermarkName, watermarkPropertySet } from './ewsProperties';
import type { EwsSession } from './ewsSession';

const NS_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS_T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const NS_M = 'http://schemas.microsoft.com/exchange/services/2006/messages';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A SOAP envelope with the session's version and impersonation headers around `body`. */
function envelope(session: EwsSession, body: string): string {
  const version = session.settings.version && session.settings.version < 'Exchange2010_SP1' ? 'Exchange2010_SP1' : (session.settings.version ?? 'Exchange2013_SP1');
  const impersonation = session.settings.access === 'impersonation' ? `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${esc(session.mailbox)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${NS_SOAP}" xmlns:t="${NS_T}" xmlns:m="${NS_M}"><soap:Header><t:RequestServerVersion Version="${version}"/>${impersonation}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

interface ResponseMessage {
  ok: boolean;
  responseCode: string;
  message: string;
  element: Element;
}

/** Sends one request and returns its ResponseMessages, in request order. */
async function post(session: EwsSession, what: string, body: string, responseName: string, signal: AbortSignal): Promise<ResponseMessage[]> {
  return session.call(
    what,
    async () => {
      const answer = await session.transport.xhr({ type: 'POST', url: session.url, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, data: envelope(session, body) });
      const doc = new DOMParser().parseFromString(answer.responseText, 'text/xml');
      const messages = Array.from(doc.getElementsByTagNameNS(NS_M, responseName));
      return messages.map((element) => {
        const text = (name: string) => element.getElementsByTagNameNS(NS_M, name)[0]?.textContent?.trim() ?? '';
        return { ok: element.getAttribute('ResponseClass') !== 'Error', responseCode: text('ResponseCode') || 'NoError', message: text('MessageText'), element };
      });
    },
    { signal },
  );
}

function failure(session: EwsSession, what: string, m: ResponseMessage): ConnectorError {
  return ewsFailureError({ responseCode: m.responseCode, message: m.message }, { mailbox: session.mailbox, what, where: new URL(session.url).host });
}

/** ExportItems: per id, in order, its opaque stream or the error that item got. */
export async function exportItems(session: EwsSession, ids: readonly string[], signal: AbortSignal): Promise<(Buffer | ConnectorError)[]> {
  const what = `export ${ids.length} item(s)`;
  const body = `<m:ExportItems><m:ItemIds>${ids.map((id) => `<t:ItemId Id="${esc(id)}"/>`).join('')}</m:ItemIds></m:ExportItems>`;
  const messages = await post(session, what, body, 'ExportItemsResponseMessage', signal);
  if (messages.length !== ids.length) throw new ConnectorError('EWS-INTERNAL', `ExportItems answered ${messages.length} messages for ${ids.length} items`, 'transient', [session.mailbox, what, 'short answer', new URL(session.url).host]);
  return messages.map((m) => (m.ok ? Buffer.from(m.element.getElementsByTagNameNS(NS_M, 'Data')[0]?.textContent ?? '', 'base64') : failure(session, what, m)));
}

/** UploadItems: writes one opaque item into a folder as a new item; returns its id. */
export async function uploadItem(session: EwsSession, folder: FolderInfo, data: Buffer, signal: AbortSignal): Promise<string> {
  const what = `upload an item into ${folder.path.join('/')}`;
  const body = `<m:UploadItems><m:Items><t:Item CreateAction="CreateNew"><t:ParentFolderId Id="${esc(folder.id)}"/><t:Data>${data.toString('base64')}</t:Data></t:Item></m:Items></m:UploadItems>`;
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
  const uri = `<t:ExtendedFieldURI PropertySetId="${watermarkPropertySet}" PropertyName="${watermarkName}" PropertyType="String"/>`;
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
