// A vCard (2.1, 3.0 or 4.0, as Exchange, Google and CardDAV servers write them) as a Graph contact.
// Graph holds at most three e-mail addresses, two home and any number of business phones, one
// mobile, and one address of each kind: what does not fit goes into the notes, so nothing the
// source held is silently lost.
import { componentOf, text, texts, type IcalComponent } from './ical';

export interface GraphContact {
  displayName?: string;
  givenName?: string;
  middleName?: string;
  surname?: string;
  title?: string;
  generation?: string;
  nickName?: string;
  emailAddresses: { address: string; name?: string }[];
  businessPhones: string[];
  homePhones: string[];
  mobilePhone?: string;
  companyName?: string;
  department?: string;
  jobTitle?: string;
  businessHomePage?: string;
  businessAddress?: GraphAddress;
  homeAddress?: GraphAddress;
  otherAddress?: GraphAddress;
  birthday?: string;
  personalNotes?: string;
  categories: string[];
}

export interface GraphAddress {
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryOrRegion?: string;
}

const maxEmails = 3;
const maxHomePhones = 2;

/** Lower-cased TYPE parameters (TYPE=WORK,VOICE and TYPE=work;TYPE=cell both work; 2.1's bare WORK too). */
function typesOf(prop: ReturnType<IcalComponent['getAllProperties']>[number]): string[] {
  const raw = prop.getParameter('type');
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((t) => String(t).split(',')).map((t) => t.trim().toLowerCase());
}

const structured = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => (Array.isArray(v) ? v.join(', ') : String(v ?? '').trim())) : [String(value ?? '').trim()]);
const nonEmpty = <T extends object>(o: T): T | undefined => (Object.values(o).some((v) => v !== undefined && v !== '') ? o : undefined);

function address(value: unknown): GraphAddress | undefined {
  // ADR: post office box; extended address; street; locality; region; postal code; country.
  const [pobox, extended, street, city, state, postalCode, country] = structured(value);
  const lines = [pobox, extended, street].filter((s) => s && s.length > 0);
  return nonEmpty({ street: lines.join('\n') || undefined, city: city || undefined, state: state || undefined, postalCode: postalCode || undefined, countryOrRegion: country || undefined });
}

function birthday(card: IcalComponent): string | undefined {
  const v = card.getFirstPropertyValue('bday') as { year?: number; month?: number; day?: number } | string | null;
  if (!v) return undefined;
  if (typeof v === 'object' && v.month && v.day) return `${String(v.year ?? 1604).padStart(4, '0')}-${String(v.month).padStart(2, '0')}-${String(v.day).padStart(2, '0')}T00:00:00Z`;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(String(v));
  return m ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : undefined;
}

export async function contactFromVCard(data: Buffer): Promise<GraphContact> {
  const { component: card } = await componentOf(data, 'vcard', 'vCard');
  const [surname, givenName, middleName, prefix, suffix] = structured(card.getFirstPropertyValue('n') ?? '');
  const [companyName, department] = structured(card.getFirstPropertyValue('org') ?? '');
  const displayName = text(card, 'fn') ?? ([givenName, surname].filter(Boolean).join(' ') || undefined);
  const overflow: string[] = [];

  const emails = card.getAllProperties('email').map((p) => String(p.getFirstValue() ?? '').trim()).filter((a) => a.includes('@'));
  const emailAddresses = emails.slice(0, maxEmails).map((address) => ({ address, ...(displayName ? { name: displayName } : {}) }));
  if (emails.length > maxEmails) overflow.push(`Other e-mail addresses: ${emails.slice(maxEmails).join(', ')}`);

  const businessPhones: string[] = [];
  const homePhones: string[] = [];
  let mobilePhone: string | undefined;
  for (const p of card.getAllProperties('tel')) {
    const number = String(p.getFirstValue() ?? '').replace(/^tel:/i, '').trim();
    if (!number) continue;
    const types = typesOf(p);
    if (types.includes('cell') && !mobilePhone) mobilePhone = number;
    else if (types.includes('home') && homePhones.length < maxHomePhones) homePhones.push(number);
    else if (types.includes('work') || types.length === 0 || types.every((t) => t === 'voice' || t === 'pref')) businessPhones.push(number);
    else overflow.push(`Phone (${types.join(', ')}): ${number}`);
  }

  const addresses: Pick<GraphContact, 'businessAddress' | 'homeAddress' | 'otherAddress'> = {};
  for (const p of card.getAllProperties('adr')) {
    const a = address(p.getFirstValue());
    if (!a) continue;
    const types = typesOf(p);
    const slot = types.includes('work') ? 'businessAddress' : types.includes('home') ? 'homeAddress' : 'otherAddress';
    if (!addresses[slot]) addresses[slot] = a;
    else overflow.push(`Address: ${[a.street, a.city, a.state, a.postalCode, a.countryOrRegion].filter(Boolean).join(', ')}`);
  }

  const urls = texts(card, 'url');
  if (urls.length > 1) overflow.push(`Web pages: ${urls.slice(1).join(', ')}`);
  const notes = [text(card, 'note'), ...overflow].filter(Boolean).join('\n');
  const born = birthday(card);
  const contact: GraphContact = {
    ...(displayName ? { displayName } : {}),
    ...(givenName ? { givenName } : {}),
    ...(middleName ? { middleName } : {}),
    ...(surname ? { surname } : {}),
    ...(prefix ? { title: prefix } : {}),
    ...(suffix ? { generation: suffix } : {}),
    ...(text(card, 'nickname') ? { nickName: text(card, 'nickname') } : {}),
    emailAddresses,
    businessPhones,
    homePhones,
    ...(mobilePhone ? { mobilePhone } : {}),
    ...(companyName ? { companyName } : {}),
    ...(department ? { department } : {}),
    ...(text(card, 'title') ? { jobTitle: text(card, 'title') } : {}),
    ...(urls[0] ? { businessHomePage: urls[0] } : {}),
    ...addresses,
    ...(born ? { birthday: born } : {}),
    ...(notes ? { personalNotes: notes } : {}),
    categories: texts(card, 'categories'),
  };
  return contact;
}
