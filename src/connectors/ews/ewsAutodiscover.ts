// Finds the EWS URL of a mailbox when the plan gives only an address: Exchange autodiscover. First
// SOAP (GetUserSettings through ews-javascript-api's AutodiscoverService, following its address and
// URL redirects), then the older POX protocol (autodiscover.xml, Action redirectAddr/redirectUrl
// followed up to 10 times), on the endpoint's `autodiscoverUrl` when set (split DNS, labs) or the
// two standard hosts of the address's domain. Results are kept per address for the process.
import { DOMParser } from '@xmldom/xmldom';
import { loadEws, type EwsLib } from './ewsSession';
import { ewsError } from './ewsErrors';
import type { EwsSettings } from './ewsSettings';
import { EwsTransport } from './ewsTransport';

const maxRedirects = 10;
const found = new Map<string, Promise<string>>();
const POX_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** The EWS URL for `address`; throws EWS-AUTODISCOVER-FAILED with what was tried. */
export function autodiscoverEwsUrl(settings: EwsSettings, address: string, autodiscoverUrl: string | undefined): Promise<string> {
  const key = `${autodiscoverUrl ?? ''}|${address.toLowerCase()}`;
  let result = found.get(key);
  if (!result) {
    result = discover(settings, address, autodiscoverUrl);
    found.set(key, result);
    result.catch(() => found.delete(key));
  }
  return result;
}

async function discover(settings: EwsSettings, address: string, autodiscoverUrl: string | undefined): Promise<string> {
  const domain = address.split('@')[1] ?? '';
  const bases = autodiscoverUrl ? [autodiscoverUrl.replace(/\/autodiscover\/autodiscover\.(svc|xml)$/i, '').replace(/\/+$/, '')] : [`https://${domain}`, `https://autodiscover.${domain}`];
  const transport = new EwsTransport(settings.credential, { maxConnections: 2, allowInvalidCertificates: settings.allowInvalidCertificates });
  const tried: string[] = [];
  try {
    for (const base of bases) {
      const soap = await viaSoap(settings, transport, `${base}/autodiscover/autodiscover.svc`, address).catch((err: unknown) => (tried.push(`${base} (SOAP: ${(err as Error).message ?? String(err)})`), undefined));
      if (soap) return soap;
      const pox = await viaPox(transport, `${base}/autodiscover/autodiscover.xml`, address).catch((err: unknown) => (tried.push(`${base} (POX: ${(err as Error).message ?? String(err)})`), undefined));
      if (pox) return pox;
    }
  } finally {
    transport.disconnect();
  }
  throw ewsError('EWS-AUTODISCOVER-FAILED', [address, 'find its EWS URL by autodiscover', tried.join('; ') || 'no answer', bases.join(', ')]);
}

async function viaSoap(settings: EwsSettings, transport: EwsTransport, url: string, address: string): Promise<string | undefined> {
  const ews: EwsLib = await loadEws();
  const service = new ews.AutodiscoverService(ews.ExchangeVersion.Exchange2010);
  service.Credentials = settings.credential.scheme === 'oauth' ? new ews.OAuthCredentials(settings.credential.secret) : new ews.WebCredentials(settings.credential.username, settings.credential.secret);
  service.XHRApi = transport as unknown as import('ews-javascript-api').IXHRApi;
  service.Url = new ews.Uri(url);
  service.RedirectionUrlValidationCallback = (redirect: string) => redirect.startsWith('https://') || new URL(redirect).hostname === new URL(url).hostname;
  let target = address;
  for (let hop = 0; hop < maxRedirects; hop++) {
    const answer = await service.GetUserSettings(target, [ews.UserSettingName.ExternalEwsUrl, ews.UserSettingName.InternalEwsUrl]);
    if (answer.ErrorCode === ews.AutodiscoverErrorCode.RedirectAddress && answer.RedirectTarget) {
      target = answer.RedirectTarget;
      continue;
    }
    if (answer.ErrorCode === ews.AutodiscoverErrorCode.RedirectUrl && answer.RedirectTarget) {
      service.Url = new ews.Uri(answer.RedirectTarget);
      continue;
    }
    if (answer.ErrorCode !== ews.AutodiscoverErrorCode.NoError) throw new Error(answer.ErrorMessage || ews.AutodiscoverErrorCode[answer.ErrorCode]);
    const external = answer.Settings.get(ews.UserSettingName.ExternalEwsUrl) as string | undefined;
    const internal = answer.Settings.get(ews.UserSettingName.InternalEwsUrl) as string | undefined;
    return external || internal || undefined;
  }
  throw new Error(`more than ${maxRedirects} redirections`);
}

async function viaPox(transport: EwsTransport, url: string, address: string): Promise<string | undefined> {
  let target = address;
  let at = url;
  for (let hop = 0; hop < maxRedirects; hop++) {
    const body = `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${target.replace(/[<>&]/g, '')}</EMailAddress><AcceptableResponseSchema>${POX_RESPONSE_NS}</AcceptableResponseSchema></Request></Autodiscover>`;
    const answer = await transport.xhr({ type: 'POST', url: at, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, data: body }).catch((err: { status?: number }) => {
      throw new Error(err?.status ? `HTTP ${err.status}` : String((err as unknown as Error)?.message ?? err));
    });
    const doc = new DOMParser().parseFromString(answer.responseText, 'text/xml');
    const text = (name: string) => doc.getElementsByTagNameNS(POX_RESPONSE_NS, name)[0]?.textContent?.trim() ?? '';
    const action = text('Action');
    if (action === 'redirectAddr' && text('RedirectAddr')) {
      target = text('RedirectAddr');
      continue;
    }
    if (action === 'redirectUrl' && text('RedirectUrl')) {
      at = text('RedirectUrl');
      continue;
    }
    const protocols = Array.from(doc.getElementsByTagNameNS(POX_RESPONSE_NS, 'Protocol'));
    const url = ['EXPR', 'EXCH'].map((type) => protocols.find((p) => p.getElementsByTagNameNS(POX_RESPONSE_NS, 'Type')[0]?.textContent === type)?.getElementsByTagNameNS(POX_RESPONSE_NS, 'EwsUrl')[0]?.textContent?.trim()).find(Boolean);
    const error = doc.getElementsByTagName('Error')[0];
    if (!url && error) throw new Error(error.getElementsByTagName('Message')[0]?.textContent ?? 'autodiscover error');
    return url || undefined;
  }
  throw new Error(`more than ${maxRedirects} redirections`);
}
