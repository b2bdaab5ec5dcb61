// ical.js (Mozilla's iCalendar and vCard library), loaded on first use: only passes that move
// contacts, calendars or tasks pay for it.
export type Ical = (typeof import('ical.js', { with: { 'resolution-mode': 'import' } }))['default'];
export type IcalComponent = InstanceType<Ical['Component']>;
export type IcalTime = InstanceType<Ical['Time']>;

let loaded: Ical | undefined;

export async function loadIcal(): Promise<Ical> {
  loaded ??= ((await import('ical.js')) as unknown as { default: Ical }).default;
  return loaded;
}
