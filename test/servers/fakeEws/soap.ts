// SOAP 1.1 envelopes the way Exchange 2016 writes them: the ServerVersionInfo header, the
// operation response in the body, and faults with an errors-namespace detail.
import { el, esc, NS, tx } from './xml';

export const SERVER_VERSION = { MajorVersion: 15, MinorVersion: 1, MajorBuildNumber: 2507, MinorBuildNumber: 6, Version: 'V2017_07_11' };

export class EwsFault extends Error {
  constructor(readonly code: string, message: string, readonly httpStatus = 500, readonly messageXml?: string, readonly faultCode?: string) {
    super(message);
  }
}

export function envelope(body: string): string {
  const v = SERVER_VERSION;
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<s:Envelope xmlns:s="${NS.soap}">`
    + '<s:Header>'
    + `<h:ServerVersionInfo MajorVersion="${v.MajorVersion}" MinorVersion="${v.MinorVersion}" MajorBuildNumber="${v.MajorBuildNumber}" MinorBuildNumber="${v.MinorBuildNumber}" Version="${v.Version}" xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"/>`
    + '</s:Header>'
    + `<s:Body xmlns:xsi="${NS.xsi}" xmlns:xsd="${NS.xsd}">${body}</s:Body>`
    + '</s:Envelope>';
}

/** `<m:OpResponse>` around response messages. */
export function opResponse(op: string, messages: string[]): string {
  return `<m:${op}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${op}Response>`;
}

export function success(op: string, content = ''): string {
  return `<m:${op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${content}</m:${op}ResponseMessage>`;
}

/**
 * The empty containers an error response message still holds: messages.xsd requires `Items` in
 * ItemInfoResponseMessageType (GetItem, CreateItem, UpdateItem); Exchange also sends `Folders`
 * empty for GetFolder and CreateFolder.
 */
const EMPTY_CONTAINERS: Record<string, string> = { GetItem: '<m:Items/>', CreateItem: '<m:Items/>', UpdateItem: '<m:Items/>', MoveItem: '<m:Items/>', CopyItem: '<m:Items/>', GetFolder: '<m:Folders/>', CreateFolder: '<m:Folders/>' };

/** An error (or warning) response message; `after` holds what follows the code (by default the operation's empty containers). */
export function errorMessage(op: string, code: string, text: string, after = EMPTY_CONTAINERS[op] ?? '', messageXml?: string, responseClass: 'Error' | 'Warning' = 'Error'): string {
  return `<m:${op}ResponseMessage ResponseClass="${responseClass}">`
    + tx('m:MessageText', text)
    + tx('m:ResponseCode', code)
    + '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>'
    + (messageXml ? `<m:MessageXml>${messageXml}</m:MessageXml>` : '')
    + after
    + `</m:${op}ResponseMessage>`;
}

export class ResponseError extends Error {
  constructor(readonly code: string, message: string, readonly messageXml?: string) {
    super(message);
  }
}

export function faultEnvelope(f: EwsFault): string {
  const faultcode = f.faultCode ?? `a:${f.code}`;
  const ns = f.faultCode ? '' : ` xmlns:a="${NS.t}"`;
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>`
    + `<faultcode${ns}>${esc(faultcode)}</faultcode>`
    + `<faultstring xml:lang="en-US">${esc(f.message)}</faultstring>`
    + '<detail>'
    + `<e:ResponseCode xmlns:e="${NS.e}">${esc(f.code)}</e:ResponseCode>`
    + `<e:Message xmlns:e="${NS.e}">${esc(f.message)}</e:Message>`
    + (f.messageXml ? `<t:MessageXml xmlns:t="${NS.t}">${f.messageXml}</t:MessageXml>` : '')
    + '</detail></s:Fault></s:Body></s:Envelope>';
}

export function serverBusy(backOffMs: number): EwsFault {
  return new EwsFault('ErrorServerBusy', 'The server cannot service this request right now. Try again later.', 500, el('t:Value', { Name: 'BackOffMilliseconds' }, String(Math.max(1, Math.ceil(backOffMs)))));
}

export const MESSAGES: Record<string, string> = {
  ErrorItemNotFound: 'The specified object was not found in the store., The process failed to get the correct properties.',
  ErrorFolderNotFound: 'The specified folder could not be found in the store.',
  ErrorAccessDenied: 'Access is denied. Check credentials and try again.',
  ErrorNonExistentMailbox: 'The SMTP address has no mailbox associated with it.',
  ErrorImpersonateUserDenied: 'The account does not have permission to impersonate the requested user.',
  ErrorImpersonationFailed: 'Impersonation failed.',
  ErrorInvalidSyncStateData: 'Synchronization state data is corrupt or otherwise invalid.',
  ErrorFolderExists: 'A folder with the specified name already exists.',
  ErrorMessageSizeExceeded: 'The message exceeds the maximum supported size.',
  ErrorQuotaExceeded: 'The mailbox quota has been exceeded.',
  ErrorMailboxMoveInProgress: 'The mailbox is being moved. Try again later.',
  ErrorInternalServerError: 'An internal server error occurred. The operation failed.',
  ErrorInvalidIdMalformed: 'Id is malformed.',
  ErrorNameResolutionNoResults: 'No results were found.',
  ErrorNameResolutionMultipleResults: 'Multiple results were found.',
  ErrorCorruptData: 'The data is corrupt.',
  ErrorInvalidServerVersion: 'The specified server version is invalid.',
  ErrorMimeContentConversionFailed: 'The MIME content could not be converted for this item type.',
  ErrorSendMeetingInvitationsRequired: 'The SendMeetingInvitations attribute is required for calendar items.',
  ErrorSendMeetingInvitationsOrCancellationsRequired: 'The SendMeetingInvitationsOrCancellations attribute is required for calendar items.',
  ErrorSendMeetingCancellationsRequired: 'The SendMeetingCancellations attribute is required for calendar items.',
  ErrorAffectedTaskOccurrencesRequired: 'The AffectedTaskOccurrences attribute is required for task items.',
  ErrorSchemaValidation: 'The request failed schema validation.',
  ErrorInvalidRestriction: 'The restriction or sort order is too complex for this operation.',
  ErrorCrossMailboxMoveCopy: 'Moving or copying items between mailboxes is not supported.',
};
