// A Graph contact as a vCard 3.0 (what Exchange's CreateItem takes as a contact's MimeContent and
// what CardDAV servers read): names, organisation, e-mail addresses, phones by kind, the three
// addresses, web page, birthday, notes, nickname and categories.
import type { GraphAddress, GraphContact } from './contactJson';
import { loadIcal, type IcalComponent } from './ical';

/** The contact as Graph returns it: the fields Ferry writes, any of them null when unset. */
export type ReadContact = { [K in keyof GraphContact]?: GraphContact[K] | null } & { lastModifiedDateTime?: string };

const filled = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim().length > 0;

function typed(card: IcalComponent, name: string, value: unknown, types: string[]): void {
  const p = card.addPropertyWithValue(name, value as string);
  if (types.length) p.setParameter('type', types);
}

export async function vCardFromContact(c: ReadContact): Promise<Buffer> {
  const ICAL = await loadIcal();
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '3.0');
  const name = [c.givenName, c.middleName, c.surname].filter(filled).join(' ');
  card.addPropertyWithValue('fn', filled(c.displayName) ? c.displayName : name || (c.emailAddresses?.[0]?.address ?? ''));
  card.addPropertyWithValue('n', [c.surname ?? '', c.givenName ?? '', c.middleName ?? '', c.title ?? '', c.generation ?? ''] as unknown as string);
  if (filled(c.nickName)) card.addPropertyWithValue('nickname', c.nickName);
  if (filled(c.companyName) || filled(c.department)) card.addPropertyWithValue('org', [c.companyName ?? '', ...(filled(c.department) ? [c.department] : [])] as unknown as string);
  if (filled(c.jobTitle)) card.addPropertyWithValue('title', c.jobTitle);
  for (const e of c.emailAddresses ?? []) if (filled(e.address)) typed(card, 'email', e.address, ['internet']);
  for (const n of c.businessPhones ?? []) if (filled(n)) typed(card, 'tel', n, ['work', 'voice']);
  for (const n of c.homePhones ?? []) if (filled(n)) typed(card, 'tel', n, ['home', 'voice']);
  if (filled(c.mobilePhone)) typed(card, 'tel', c.mobilePhone, ['cell']);
  const addresses: [GraphAddress | null | undefined, string[]][] = [
    [c.businessAddress, ['work']],
    [c.homeAddress, ['home']],
    [c.otherAddress, []],
  ];
  for (const [a, types] of addresses) {
    if (!a || !Object.values(a).some(filled)) continue;
    // ADR: post office box; extended address; street; locality; region; postal code; country.
    typed(card, 'adr', ['', '', a.street ?? '', a.city ?? '', a.state ?? '', a.postalCode ?? '', a.countryOrRegion ?? ''], types);
  }
  if (filled(c.businessHomePage)) card.addPropertyWithValue('url', c.businessHomePage);
  const born = c.birthday ? /^(\d{4})-(\d{2})-(\d{2})/.exec(c.birthday) : null;
  if (born) card.addPropertyWithValue('bday', ICAL.VCardTime.fromDateAndOrTimeString(`${born[1]}-${born[2]}-${born[3]}`, 'date'));
  if (filled(c.personalNotes)) card.addPropertyWithValue('note', c.personalNotes);
  if (c.categories?.length) {
    const p = new ICAL.Property('categories');
    p.setValues(c.categories);
    card.addProperty(p);
  }
  if (c.lastModifiedDateTime) card.addPropertyWithValue('rev', ICAL.VCardTime.fromDateAndOrTimeString(c.lastModifiedDateTime.replace(/\.\d+/, '').replace(/Z?$/, 'Z'), 'date-time'));
  return Buffer.from(card.toString().replace(/\r?\n/g, '\r\n') + '\r\n', 'utf8');
}
