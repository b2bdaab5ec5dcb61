// The organisation's mailboxes, for "Discover Mailboxes" on an exchange endpoint: ResolveNames
// against the address book (the seed's requirements: admin credentials on the endpoint, and the
// admin's mailbox visible in the GAL, or Exchange resolves nothing). Exchange returns at most 100
// names per call, so a prefix that fills the page is split one character further ("SMTP:a" ->
// "SMTP:aa", "SMTP:ab"...) until every page is complete.
import { ConnectorError, type DirectoryRequest } from '../types';
import { autodiscoverEwsUrl } from './ewsAutodiscover';
import { ewsError } from './ewsErrors';
import { withNegotiatedVersion, type EwsSession } from './ewsSession';
import { ewsSettings } from './ewsSettings';

/** Characters an address's local part starts or continues with (the split alphabet). */
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789._-@';
/** Exchange's ResolveNames page. */
const pageLimit = 100;

export async function listExchangeMailboxes(request: DirectoryRequest): Promise<string[]> {
  // The account's own session: no impersonation, no anchor mailbox.
  const settings = { ...ewsSettings({ ...request, mailbox: '' }), access: 'delegation' as const };
  const autodiscoverUrl = typeof request.endpoint.settings.autodiscoverUrl === 'string' ? request.endpoint.settings.autodiscoverUrl : undefined;
  const url = settings.url ?? (await autodiscoverEwsUrl(settings, settings.autodiscover ?? '', autodiscoverUrl));
  const { side: found } = await withNegotiatedVersion(settings, url, async (session) => {
    try {
      return await resolveAll(session, request, settings.credential.username, url);
    } finally {
      session.close();
    }
  });
  return [...found].sort((a, b) => a.localeCompare(b));
}

async function resolveAll(session: EwsSession, request: DirectoryRequest, account: string, url: string): Promise<Set<string>> {
  const { ews, service } = session;
  const found = new Set<string>();
  const resolve = async (prefix: string): Promise<void> => {
    request.signal.throwIfAborted();
    let page;
    try {
      page = await session.call(`list the address book (SMTP:${prefix})`, () => service.ResolveName(`SMTP:${prefix}`, ews.ResolveNameSearchLocation.DirectoryOnly, false), { signal: request.signal });
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'EWS-DISCOVERY-FAILED' && prefix !== '') return; // no name starts so
      throw err;
    }
    const names = page.GetEnumerator();
    // Nothing at all: the account sees an empty address book (its own mailbox hidden from the GAL, or none).
    if (prefix === '' && names.length === 0) throw ewsError('EWS-DISCOVERY-FAILED', [account, 'list the address book', 'ResolveNames found no mailbox', new URL(url).host]);
    for (const n of names) if (n.Mailbox?.MailboxType === ews.MailboxType.Mailbox && n.Mailbox.Address) found.add(n.Mailbox.Address.toLowerCase());
    // An empty answer may come back as an empty set rather than an error: nothing under it to split.
    if (names.length > 0 && (names.length >= pageLimit || !page.IncludesAllResolutions)) for (const c of alphabet) await resolve(prefix + c);
  };
  await resolve('');
  return found;
}
