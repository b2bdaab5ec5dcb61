// What a test does to the fake Google as the domain's administrator and as its users' mail
// clients: add users (and suspend or delete them), create a service account and its key file,
// grant domain-wide delegation, make labels and messages and change them between passes, expire
// history or tokens, and read what the fake counted. The names here stay: add, never rename.
import type { CalendarEvent, CalendarStore, NewEvent, StoredCalendar } from './calendarStore';
import type { ServiceAccountKey, WorkspaceUser } from './domain';
import type { Mailbox, NewMessage, StoredLabel, StoredMessage } from './mailbox';
import type { FaultMatch } from './faults';
import type { ContactFields, ContactsStore } from './people';
import type { QuotaLimits, QuotaStats } from './quota';
import type { FakeGoogleServer } from './server';

/** Scopes a Gmail migration source needs, as an admin would delegate them. */
export const MIGRATION_SCOPES = [
  'https://mail.google.com/',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/contacts.readonly',
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
];

export interface AdminMessage extends Omit<NewMessage, 'labelIds'> {
  /** Label ids (INBOX, Label_3) or user label names ("Projects/2024"); a missing user label is created. */
  labels?: string[];
}

export class FakeGoogleAdmin {
  constructor(private readonly fake: FakeGoogleServer) {}

  get domainName(): string {
    return this.fake.domain.name;
  }

  addUser(email: string, options: Partial<Omit<WorkspaceUser, 'primaryEmail' | 'id'>> = {}): WorkspaceUser {
    const user = this.fake.domain.addUser(email, options);
    this.fake.gmail.mailbox(user.primaryEmail);
    return user;
  }

  user(email: string): WorkspaceUser | undefined {
    return this.fake.domain.user(email);
  }

  /** Suspends (true) or restores (false) a user; a suspended user's tokens stop working. */
  suspendUser(email: string, suspended = true): void {
    const user = this.mustUser(email);
    user.suspended = suspended;
    if (suspended) this.fake.tokens.revokeSubject(user.primaryEmail);
  }

  /** Deletes a user in the admin console (Google keeps the account 20 days: the token endpoint says so). */
  deleteUser(email: string): void {
    const user = this.mustUser(email);
    user.deleted = true;
    this.fake.tokens.revokeSubject(user.primaryEmail);
  }

  /** A new service account and its key file (token_uri pointing at this fake). */
  createServiceAccount(name?: string): ServiceAccountKey {
    return this.fake.domain.createServiceAccount(name, `${this.fake.origin}/token`);
  }

  /** A second key for the same service account. */
  addServiceAccountKey(clientEmail: string): ServiceAccountKey {
    return this.fake.domain.addKey(clientEmail, undefined, `${this.fake.origin}/token`);
  }

  deleteServiceAccountKey(clientEmail: string, keyId: string): void {
    this.fake.domain.deleteKey(clientEmail, keyId);
  }

  /** Domain-wide delegation: the scopes granted to a client id (replaces; [] removes the entry). */
  delegate(clientId: string, scopes: string[] = MIGRATION_SCOPES): void {
    this.fake.domain.delegate(clientId, scopes);
  }

  mailbox(email: string): Mailbox {
    return this.fake.gmail.mailbox(email);
  }

  /** A user label; `Parent/Child` names nest as in Gmail (the parent is not made implicitly). */
  addLabel(email: string, name: string, options: Partial<Omit<StoredLabel, 'id' | 'name' | 'type'>> = {}): StoredLabel {
    return this.mailbox(email).createLabel(name, options);
  }

  /** The id of a label given by id or name; a user label missing by that name is created. */
  labelId(email: string, idOrName: string): string {
    const mb = this.mailbox(email);
    if (mb.labels.has(idOrName)) return idOrName;
    return (mb.labelByName(idOrName) ?? mb.createLabel(idOrName)).id;
  }

  /** Adds a message as messages.insert would (a history record, a new history id). */
  addMessage(email: string, message: AdminMessage): StoredMessage {
    const { labels, ...rest } = message;
    return this.mailbox(email).insert({ ...rest, labelIds: (labels ?? []).map((l) => this.labelId(email, l)) });
  }

  modifyLabels(email: string, messageId: string, add: string[] = [], remove: string[] = []): StoredMessage {
    return this.mailbox(email).modify(
      messageId,
      add.map((l) => this.labelId(email, l)),
      remove.map((l) => this.labelId(email, l)),
    );
  }

  trash(email: string, messageId: string): StoredMessage {
    return this.mailbox(email).trash(messageId);
  }

  untrash(email: string, messageId: string): StoredMessage {
    return this.mailbox(email).untrash(messageId);
  }

  deleteMessage(email: string, messageId: string): void {
    this.mailbox(email).delete(messageId);
  }

  /** Forgets the mailbox's history: history.list from an older start id answers 404. */
  expireHistory(email: string): void {
    this.mailbox(email).expireHistory();
  }

  /** The user's calendars (the primary one's id is the address; `primary` names it too). */
  calendars(email: string): CalendarStore {
    return this.fake.calendar.store(email);
  }

  addCalendar(email: string, calendar: { summary: string; timeZone?: string; description?: string }): StoredCalendar {
    return this.calendars(email).addCalendar(calendar);
  }

  /** Sets the primary calendar's time zone (events without their own zone use it). */
  setCalendarTimeZone(email: string, timeZone: string, calendarId = 'primary'): void {
    const cal = this.calendars(email).calendar(calendarId);
    if (!cal) throw new Error(`fake Google: no calendar ${calendarId}`);
    cal.timeZone = timeZone;
  }

  /**
   * An event (single, recurring with `recurrence: ['RRULE:...', 'EXDATE;TZID=...:...']`, or an
   * exception with `recurringEventId` and `originalStartTime`) in a calendar (default primary).
   */
  addEvent(email: string, event: NewEvent, calendarId = 'primary'): CalendarEvent {
    return this.calendars(email).addEvent(calendarId, event);
  }

  updateEvent(email: string, eventId: string, patch: Partial<NewEvent>, calendarId = 'primary'): CalendarEvent {
    return this.calendars(email).updateEvent(calendarId, eventId, patch);
  }

  /** Deletes an event (and a series' exceptions): `cancelled`, as sync clients see it. */
  deleteEvent(email: string, eventId: string, calendarId = 'primary'): void {
    this.calendars(email).deleteEvent(calendarId, eventId);
  }

  /** Moves an event to another calendar of the user (events.move: same id). */
  moveEvent(email: string, eventId: string, toCalendarId: string, fromCalendarId = 'primary'): CalendarEvent {
    return this.calendars(email).moveEvent(fromCalendarId, eventId, toCalendarId);
  }

  /** Changes or cancels one occurrence of a series alone, as Calendar's "this event" edit does. */
  changeOccurrence(email: string, seriesId: string, originalStart: CalendarEvent['start'], patch: Partial<NewEvent> | 'cancelled', calendarId = 'primary'): CalendarEvent {
    return this.calendars(email).changeOccurrence(calendarId, seriesId, originalStart, patch);
  }

  /** Sync tokens of the calendar given out so far answer 410 GONE. */
  expireCalendarSyncTokens(email: string, calendarId = 'primary'): void {
    this.calendars(email).expireSyncTokens(calendarId);
  }

  contacts(email: string): ContactsStore {
    return this.fake.people.store(email);
  }

  /** A contact in People's shape, e.g. `{ names: [{ givenName, familyName }], emailAddresses: [{ value, type }] }`; gives its resourceName. */
  addContact(email: string, fields: ContactFields): string {
    return this.contacts(email).add(fields);
  }

  updateContact(email: string, resourceName: string, fields: ContactFields): void {
    this.contacts(email).update(resourceName, fields);
  }

  deleteContact(email: string, resourceName: string): void {
    this.contacts(email).delete(resourceName);
  }

  /** Sync tokens of the user's contacts given out so far are expired (400 EXPIRED_SYNC_TOKEN). */
  expireContactSyncTokens(email: string): void {
    const store = this.contacts(email);
    store.syncFloor = ++store.change;
  }

  /**
   * Holds the user's API requests inside the fake (after quota and concurrency are taken) until
   * the returned function is called; `whenHeld(email, n)` resolves once n requests wait.
   */
  holdRequests(email: string): () => void {
    return this.fake.holds.hold(email);
  }

  whenHeld(email: string, n = 1): Promise<void> {
    return this.fake.holds.whenHeld(email, n);
  }

  /** The next `count` API requests (matching `match`) answer 503 UNAVAILABLE or 500 backendError. */
  failNext(count: number, status: 500 | 503 = 503, match: FaultMatch = {}): void {
    this.fake.faults.failNext(count, status, match);
  }

  get faultsServed(): number {
    return this.fake.faults.served;
  }

  /** Every access token issued so far stops working (401), as if all had expired. */
  expireTokens(): void {
    this.fake.tokens.expireAll();
  }

  setTokenLifetime(seconds: number): void {
    this.fake.tokens.lifetimeSeconds = seconds;
  }

  setQuota(limits: Partial<QuotaLimits>): void {
    this.fake.quota.limits = { ...this.fake.quota.limits, ...limits };
  }

  /** Units spent and refusals of one user (all APIs; units are Gmail's). */
  quotaStats(email: string): QuotaStats {
    return this.fake.quota.statsOf(email.toLowerCase());
  }

  /** Requests answered by method id (e.g. 'gmail.users.messages.get'). */
  get requests(): Readonly<Record<string, number>> {
    return this.fake.requests;
  }

  get tokensIssued(): number {
    return this.fake.tokens.issued;
  }

  /** Token endpoint refusals by OAuth error code. */
  get tokenRefusals(): Readonly<Record<string, number>> {
    return this.fake.tokenEndpoint.refusals;
  }

  /** Deviations of answers from Google's discovery schemas seen so far (each answered 500). */
  get schemaProblems(): readonly string[] {
    return this.fake.schemaProblems;
  }

  /** Keeps every 2xx JSON answer (method id and body) from now on, for shape checks. */
  recordAnswers(on = true): readonly { id: string; body: unknown }[] {
    this.fake.recordAnswers = on;
    return this.fake.answered;
  }

  private mustUser(email: string): WorkspaceUser {
    const user = this.fake.domain.user(email);
    if (!user) throw new Error(`fake Google: no user ${email}`);
    return user;
  }
}
