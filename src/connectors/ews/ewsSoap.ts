// EWS requests Ferry builds itself (ExportItems, UploadItems, and the UpdateItem / GetItem of the
// in-place update, whose exact SetItemField / DeleteItemField list the library does not let it
// choose): the SOAP envelope with the session's version and impersonation headers, sent through the
// session's transport (same connections, authentication, impersonation and back-off) inside
// EwsSession.call, and the response messages read back in request order.
import { DOMParser } from '@xmldom/xmldom';
import type { ConnectorError } from '../types';
import { ewsFailureError } from './ewsErrors';
import type { EwsSession } from './ewsSession';

const NS_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NS_T = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const NS_M = 'http://schemas.microsoft.com/exchange/services/2006/messages';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A SOAP envelope with the session's version and impersonation headers around `body`. */
function envelope(session: EwsSession, body: string): string {
  const version = session.settings.version && session.settings.version < 'Exchange2010_SP1' ? 'Exchange2010_SP1' : (session.settings.version ?? 'Exchange2013_SP1');
  const impersonation = session.settings.access === 'impersonation' ? `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${esc(session.mailbox)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${NS_SOAP}" xmlns:t="${NS_T}" xmlns:m="${NS_M}"><soap:Header><t:RequestServerVersion Version="${version}"/>${impersonation}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export interface ResponseMessage {
  ok: boolean;
  responseCode: string;
  message: string;
  element: Element;
}

/** Sends one request and returns its ResponseMessages, in request order. */
export async function post(session: EwsSession, what: string, body: string, responseName: string, signal: AbortSignal): Promise<ResponseMessage[]> {
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

export function failure(session: EwsSession, what: string, m: ResponseMessage): ConnectorError {
  return ewsFailureError({ responseCode: m.responseCode, message: m.message }, { mailbox: session.mailbox, what, where: new URL(session.url).host });
}
