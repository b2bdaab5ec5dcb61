// The item properties Ferry reads and writes through EWS: MAPI tags for the message flags and the
// received/submit times (so a created message is neither a draft nor dated today), and Ferry's
// watermark, a named String property in Ferry's own property set holding the content fingerprint,
// written in the same CreateItem as the message so findWritten finds it even if the store was lost.
import type * as Ews from 'ews-javascript-api';
import type { ItemType } from '../../plan/model';
import { categoriesOf, keywordsOf } from '../categories';
import type { EwsLib } from './ewsSession';

/** Ferry's property set (PS_PUBLIC_STRINGS would collide with other tools' names). */
export const watermarkPropertySet = 'c6f3a1d2-6f3b-4e0a-9d7e-5b1f0f4e2a17';
export const watermarkName = 'FerryWatermark';
/** Beside it on contacts and appointments: the hash of what an in-place update does not carry (inPlaceResidue.ts). */
export const residueName = 'FerryInPlaceResidue';

/** PR_MESSAGE_FLAGS bits. */
export const MSGFLAG_READ = 0x1;
export const MSGFLAG_UNSENT = 0x8;

export interface EwsPropertyDefs {
  messageFlags: Ews.ExtendedPropertyDefinition;
  deliveryTime: Ews.ExtendedPropertyDefinition;
  submitTime: Ews.ExtendedPropertyDefinition;
  watermark: Ews.ExtendedPropertyDefinition;
  residue: Ews.ExtendedPropertyDefinition;
  /** PidTagSearchKey (0x300B, binary): kept by a move, copied onto a copy, read-only ([MS-OXCPRPT] 2.2.1.9). */
  searchKey: Ews.ExtendedPropertyDefinition;
}

const cache = new WeakMap<EwsLib, EwsPropertyDefs>();

export function propertyDefs(ews: EwsLib): EwsPropertyDefs {
  let defs = cache.get(ews);
  if (!defs) {
    defs = {
      messageFlags: new ews.ExtendedPropertyDefinition(0x0e07, ews.MapiPropertyType.Integer),
      deliveryTime: new ews.ExtendedPropertyDefinition(0x0e06, ews.MapiPropertyType.SystemTime),
      submitTime: new ews.ExtendedPropertyDefinition(0x0039, ews.MapiPropertyType.SystemTime),
      watermark: new ews.ExtendedPropertyDefinition(new ews.Guid(watermarkPropertySet), watermarkName, ews.MapiPropertyType.String),
      residue: new ews.ExtendedPropertyDefinition(new ews.Guid(watermarkPropertySet), residueName, ews.MapiPropertyType.String),
      searchKey: new ews.ExtendedPropertyDefinition(0x300b, ews.MapiPropertyType.Binary),
    };
    cache.set(ews, defs);
  }
  return defs;
}

/**
 * The follow-up flag (item:Flag, Exchange 2013 and later: FlagType's FlagStatus) and the
 * categories (item:Categories) of an item: what Ferry reads besides the read state.
 */
export function markProperties(ews: EwsLib, service: Ews.ExchangeService): Ews.PropertyDefinitionBase[] {
  return [ews.ItemSchema.Categories, ...(service.RequestedServerVersion >= ews.ExchangeVersion.Exchange2013 ? [ews.ItemSchema.Flag] : [])];
}

/** \Flagged when the item's follow-up flag is Flagged, and its categories as keywords (see markProperties). */
export function marksOf(ews: EwsLib, item: Ews.Item): string[] {
  const flag = prop<Ews.Flag>(item, ews.ItemSchema.Flag);
  const categories = prop<Ews.StringList>(item, ews.ItemSchema.Categories);
  return [...(flag?.FlagStatus === ews.ItemFlagStatus.Flagged ? ['\\Flagged'] : []), ...keywordsOf(categories?.GetEnumerator() ?? [])];
}

/** Sets an item's follow-up flag and categories from IMAP-style flags (the flag only where the server has it). */
export function setMarks(ews: EwsLib, service: Ews.ExchangeService, item: Ews.Item, flags: readonly string[]): void {
  if (service.RequestedServerVersion >= ews.ExchangeVersion.Exchange2013) {
    const flag = new ews.Flag();
    flag.FlagStatus = flags.some((f) => f.toLowerCase() === '\\flagged') ? ews.ItemFlagStatus.Flagged : ews.ItemFlagStatus.NotFlagged;
    item.Flag = flag;
  }
  item.Categories = new ews.StringList(categoriesOf(flags));
}

/** A loaded property, or undefined when the item does not have it (the library throws on a plain get). */
export function prop<T>(object: Ews.ServiceObject, definition: Ews.PropertyDefinitionBase): T | undefined {
  const out: Ews.IOutParam<T> = { outValue: null as unknown as T };
  try {
    return object.TryGetProperty<T>(definition, out) ? (out.outValue ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** The value of an extended property on a loaded item. */
export function extendedProp<T>(item: Ews.Item, definition: Ews.ExtendedPropertyDefinition): T | undefined {
  const out: Ews.IOutParam<T> = { outValue: null as unknown as T };
  try {
    return item.ExtendedProperties.TryGetValue<T>(definition, out) ? (out.outValue ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** What an item of this class is (IPM.Note..., IPM.Contact, IPM.Appointment, IPM.Task). */
export function itemTypeOfItemClass(itemClass: string | undefined, fallback: ItemType): ItemType {
  const c = (itemClass ?? '').toUpperCase();
  if (c.startsWith('IPM.CONTACT') || c.startsWith('IPM.DISTLIST')) return 'contacts';
  if (c.startsWith('IPM.APPOINTMENT') || c.startsWith('IPM.SCHEDULE')) return 'calendar';
  if (c.startsWith('IPM.TASK')) return 'tasks';
  if (c.startsWith('IPM.NOTE') || c.startsWith('IPM.POST') || c.startsWith('REPORT.')) return 'mail';
  return fallback;
}

/** Milliseconds since the epoch of a library DateTime (or undefined). */
export function timeOf(value: Ews.DateTime | undefined): Date | undefined {
  const ms = value?.TotalMilliSeconds;
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : undefined;
}
