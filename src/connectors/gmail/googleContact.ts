// A contact of the People API (people.connections.list) as a vCard, through the same writer the
// Microsoft 365 source uses (contactVCard.ts): names, nickname, organisation and title, e-mail
// addresses, phones by kind (work, home, mobile; others as work), addresses by kind, web page,
// birthday, notes and the contact groups it belongs to (as categories).
import type { people_v1 } from '@googleapis/people';
import type { GraphAddress } from '../m365/pim/contactJson';
import { vCardFromContact, type ReadContact } from '../m365/pim/contactVCard';

const pad = (n: number | null | undefined, width: number) => String(n ?? 0).padStart(width, '0');

function addressOf(a: people_v1.Schema$Address): GraphAddress {
  const street = [a.streetAddress, a.extendedAddress, a.poBox].filter((s): s is string => !!s?.trim()).join('\n');
  return { ...(street ? { street } : {}), ...(a.city ? { city: a.city } : {}), ...(a.region ? { state: a.region } : {}), ...(a.postalCode ? { postalCode: a.postalCode } : {}), ...(a.country ? { countryOrRegion: a.country } : {}) };
}

/** The Person in the shape the vCard writer reads; `groups`: contact group resource names -> names. */
export function contactOf(p: people_v1.Schema$Person, groups: ReadonlyMap<string, string> = new Map()): ReadContact {
  const name = p.names?.find((n) => n.metadata?.primary) ?? p.names?.[0];
  const org = p.organizations?.find((o) => o.metadata?.primary) ?? p.organizations?.[0];
  const phones = p.phoneNumbers ?? [];
  const kind = (t: string | null | undefined) => (t ?? '').toLowerCase();
  const mobile = phones.find((n) => kind(n.type) === 'mobile');
  const addresses = p.addresses ?? [];
  const home = addresses.find((a) => kind(a.type) === 'home');
  const work = addresses.find((a) => kind(a.type) === 'work');
  const other = addresses.find((a) => a !== home && a !== work);
  const birthday = p.birthdays?.find((b) => b.date?.month && b.date.day)?.date;
  const categories = (p.memberships ?? [])
    .map((m) => m.contactGroupMembership?.contactGroupResourceName)
    .flatMap((g) => (g && groups.has(g) ? [groups.get(g)!] : []));
  return {
    displayName: name?.displayName ?? null,
    givenName: name?.givenName ?? null,
    middleName: name?.middleName ?? null,
    surname: name?.familyName ?? null,
    title: name?.honorificPrefix ?? null,
    generation: name?.honorificSuffix ?? null,
    nickName: p.nicknames?.[0]?.value ?? null,
    emailAddresses: (p.emailAddresses ?? []).filter((e) => e.value).map((e) => ({ address: e.value!, ...(e.displayName ? { name: e.displayName } : {}) })),
    businessPhones: phones.filter((n) => n !== mobile && kind(n.type) !== 'home' && n.value).map((n) => n.value!),
    homePhones: phones.filter((n) => kind(n.type) === 'home' && n.value).map((n) => n.value!),
    mobilePhone: mobile?.value ?? null,
    companyName: org?.name ?? null,
    department: org?.department ?? null,
    jobTitle: org?.title ?? null,
    businessHomePage: p.urls?.[0]?.value ?? null,
    businessAddress: work ? addressOf(work) : null,
    homeAddress: home ? addressOf(home) : null,
    otherAddress: other ? addressOf(other) : null,
    // A birthday without a year is kept on year 1604 (what Apple and Google write for "no year").
    birthday: birthday ? `${birthday.year ? pad(birthday.year, 4) : '1604'}-${pad(birthday.month, 2)}-${pad(birthday.day, 2)}` : null,
    personalNotes: p.biographies?.[0]?.value ?? null,
    categories,
    ...(p.metadata?.sources?.[0]?.updateTime ? { lastModifiedDateTime: p.metadata.sources[0].updateTime } : {}),
  };
}

export function vCardFromPerson(p: people_v1.Schema$Person, groups?: ReadonlyMap<string, string>): Promise<Buffer> {
  return vCardFromContact(contactOf(p, groups));
}
