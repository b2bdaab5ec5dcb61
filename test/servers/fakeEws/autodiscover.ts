// Autodiscover: the SOAP service (GetUserSettings at /autodiscover/autodiscover.svc) and the
// POX one (/autodiscover/autodiscover.xml), with redirects for domains configured as elsewhere.
import * as crypto from 'node:crypto';
import type { EwsStore, FakeEwsUser } from './data';
import { SERVER_VERSION } from './soap';
import { child, children, el, NS, parseXml, path, text, tx, type XElement } from './xml';

const A = NS.ad;
const SCHEMAS = 'Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1, Exchange2015, Exchange2016';

type Lookup = { user: FakeEwsUser } | { redirectAddress: string } | { redirectUrl: string } | { invalid: true };

function lookup(store: EwsStore, address: string): Lookup {
  const domain = (address.split('@')[1] ?? '').toLowerCase();
  const redirect = store.config.autodiscover.redirects[domain];
  if (redirect?.addressDomain) return { redirectAddress: `${address.split('@')[0]}@${redirect.addressDomain}` };
  if (redirect?.url) return { redirectUrl: redirect.url };
  const user = store.user(address);
  if (!user || user.hasMailbox === false || !store.config.autodiscover.domains.map((d) => d.toLowerCase()).includes(domain)) return { invalid: true };
  return { user };
}

function guid(seed: string): string {
  const h = crypto.createHash('md5').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function legacyDn(store: EwsStore, user: FakeEwsUser): string {
  const alias = user.address.split('@')[0];
  return `/o=${store.config.organization.netbiosDomain}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${guid(user.address).replace(/-/g, '')}-${alias}`;
}

function settingValues(store: EwsStore, user: FakeEwsUser, ewsUrl: string): Record<string, string> {
  const v = SERVER_VERSION;
  const server = `${store.config.organization.serverName}.${store.config.organization.dnsDomain}`.toLowerCase();
  return {
    UserDisplayName: user.displayName ?? user.address,
    UserDN: legacyDn(store, user),
    UserDeploymentId: guid(`deployment:${store.config.organization.dnsDomain}`),
    InternalMailboxServer: server,
    InternalEwsUrl: ewsUrl,
    ExternalEwsUrl: ewsUrl,
    CasVersion: `${v.MajorVersion}.${String(v.MinorVersion).padStart(2, '0')}.${String(v.MajorBuildNumber).padStart(4, '0')}.${String(v.MinorBuildNumber).padStart(3, '0')}`,
    EwsSupportedSchemas: SCHEMAS,
    ActiveDirectoryServer: `dc01.${store.config.organization.dnsDomain}`,
    MailboxDN: `${legacyDn(store, user)}/cn=Microsoft Private MDB`,
  };
}

function soapEnvelope(action: string, body: string): string {
  const v = SERVER_VERSION;
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}"><s:Header>`
    + `<a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/${action}</a:Action>`
    + `<h:ServerVersionInfo xmlns:h="${A}" xmlns:i="${NS.xsi}">`
    + tx('h:MajorVersion', v.MajorVersion) + tx('h:MinorVersion', v.MinorVersion) + tx('h:MajorBuildNumber', v.MajorBuildNumber) + tx('h:MinorBuildNumber', v.MinorBuildNumber) + tx('h:Version', 'Exchange2015')
    + '</h:ServerVersionInfo></s:Header>'
    + `<s:Body>${body}</s:Body></s:Envelope>`;
}

/** Answers a GetUserSettings SOAP request; returns [status, xml]. */
export function getUserSettings(store: EwsStore, xml: string, ewsUrl: string): [number, string] {
  let root: XElement;
  try {
    root = parseXml(xml);
  } catch {
    return [400, ''];
  }
  const msg = path(root, [NS.soap, 'Body'], [A, 'GetUserSettingsRequestMessage']);
  if (!msg) return [400, ''];
  const request = child(msg, A, 'Request');
  const mailboxes = children(child(request, A, 'Users'), A, 'User').map((u) => (text(child(u, A, 'Mailbox')) ?? '').trim());
  const requested = children(child(request, A, 'RequestedSettings'), A, 'Setting').map((s) => (text(s) ?? '').trim());
  const responses = mailboxes.map((address) => {
    const found = lookup(store, address);
    const nil = '<RedirectTarget i:nil="true"/>';
    if ('redirectAddress' in found) return el('UserResponse', null, tx('ErrorCode', 'RedirectAddress'), tx('ErrorMessage', 'Redirection address.'), tx('RedirectTarget', found.redirectAddress), '<UserSettingErrors/>', '<UserSettings/>');
    if ('redirectUrl' in found) return el('UserResponse', null, tx('ErrorCode', 'RedirectUrl'), tx('ErrorMessage', 'Redirection URL.'), tx('RedirectTarget', found.redirectUrl), '<UserSettingErrors/>', '<UserSettings/>');
    if ('invalid' in found) return el('UserResponse', null, tx('ErrorCode', 'InvalidUser'), tx('ErrorMessage', `Invalid user: '${address}'`), nil, '<UserSettingErrors/>', '<UserSettings/>');
    const values = settingValues(store, found.user, ewsUrl);
    const ok = requested.filter((s) => values[s] !== undefined);
    const bad = requested.filter((s) => values[s] === undefined);
    return el('UserResponse', null, tx('ErrorCode', 'NoError'), tx('ErrorMessage', 'No error.'), nil,
      `<UserSettingErrors>${bad.map((s) => el('UserSettingError', null, tx('ErrorCode', 'InvalidSetting'), tx('ErrorMessage', `The requested setting, ${s}, is invalid.`), tx('SettingName', s))).join('')}</UserSettingErrors>`,
      `<UserSettings>${ok.map((s) => el('UserSetting', { 'i:type': 'StringSetting' }, tx('Name', s), tx('Value', values[s]))).join('')}</UserSettings>`);
  });
  const body = `<GetUserSettingsResponseMessage xmlns="${A}"><Response xmlns:i="${NS.xsi}">`
    + tx('ErrorCode', 'NoError') + '<ErrorMessage/>'
    + `<UserResponses>${responses.join('')}</UserResponses>`
    + '</Response></GetUserSettingsResponseMessage>';
  return [200, soapEnvelope('GetUserSettingsResponse', body)];
}

/** Answers a POX autodiscover request. */
export function poxAutodiscover(store: EwsStore, xml: string, ewsUrl: string): [number, string] {
  let address = '';
  try {
    const root = parseXml(xml);
    address = (text(path(root, [NS.poxReq, 'Request'], [NS.poxReq, 'EMailAddress'])) ?? '').trim();
  } catch {
    address = '';
  }
  const head = '<?xml version="1.0" encoding="utf-8"?>';
  const wrap = (inner: string) => `${head}<Autodiscover xmlns="${NS.poxResp}">${inner}</Autodiscover>`;
  const found = address ? lookup(store, address) : { invalid: true as const };
  if ('invalid' in found) {
    const now = new Date();
    return [200, wrap(`<Response><Error Time="${now.toISOString().slice(11, 23)}" Id="${crypto.randomInt(1e9)}"><ErrorCode>500</ErrorCode><Message>The email address can't be found.</Message><DebugData/></Error></Response>`)];
  }
  const outlook = (inner: string) => wrap(`<Response xmlns="${NS.poxOutlook}">${inner}</Response>`);
  if ('redirectAddress' in found) return [200, outlook(el('Account', null, tx('AccountType', 'email'), tx('Action', 'redirectAddr'), tx('RedirectAddr', found.redirectAddress)))];
  if ('redirectUrl' in found) return [200, outlook(el('Account', null, tx('AccountType', 'email'), tx('Action', 'redirectUrl'), tx('RedirectUrl', found.redirectUrl)))];
  const u = found.user;
  const values = settingValues(store, u, ewsUrl);
  const server = values.InternalMailboxServer;
  const protocol = (type: string) => el('Protocol', null, tx('Type', type), tx('Server', type === 'EXCH' ? `${guid(u.address)}@${store.config.organization.dnsDomain}` : server), tx('ServerVersion', '73C18880'), tx('AuthPackage', type === 'EXPR' ? 'Negotiate' : undefined), tx('ASUrl', ewsUrl.replace(/EWS\/Exchange\.asmx$/i, 'EWS/Exchange.asmx')), tx('EwsUrl', ewsUrl), tx('EmwsUrl', ewsUrl), tx('OOFUrl', ewsUrl), tx('UMUrl', ewsUrl.replace(/Exchange\.asmx$/i, 'UM2007Legacy.asmx')));
  return [200, outlook(
    el('User', null, tx('DisplayName', u.displayName ?? u.address), tx('LegacyDN', legacyDn(store, u)), tx('AutoDiscoverSMTPAddress', u.address), tx('DeploymentId', values.UserDeploymentId))
    + el('Account', null, tx('AccountType', 'email'), tx('Action', 'settings'), tx('MicrosoftOnline', 'False'), protocol('EXCH'), protocol('EXPR')),
  )];
}
