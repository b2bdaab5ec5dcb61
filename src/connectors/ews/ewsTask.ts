// An Exchange task as iCalendar (VTODO). Exchange has no MIME form for tasks (GetItem MimeContent
// answers ErrorUnsupportedMimeConversion), so the task's properties are read and written out as a
// VTODO: subject, text body, importance, start, due and completion dates, status and reminder.
import type * as Ews from 'ews-javascript-api';
import { loadIcal } from '../icalLoader';
import type { FolderInfo, ItemContent, ItemRef } from '../types';
import { prop, timeOf } from './ewsProperties';
import type { EwsSession } from './ewsSession';

/** EWS TaskStatus (NotStarted 0 ... Deferred 4) -> iCalendar STATUS. */
const STATUS = ['NEEDS-ACTION', 'IN-PROCESS', 'COMPLETED', 'NEEDS-ACTION', 'CANCELLED'];
/** EWS Importance (Low 0, Normal 1, High 2) -> iCalendar PRIORITY. */
const PRIORITY = [9, 5, 1];

export async function readEwsTask(session: EwsSession, folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
  const { ews, service } = session;
  const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.Subject, ews.ItemSchema.Body, ews.ItemSchema.Importance, ews.ItemSchema.DateTimeReceived, ews.ItemSchema.ReminderDueBy, ews.ItemSchema.IsReminderSet, ews.TaskSchema.StartDate, ews.TaskSchema.DueDate, ews.TaskSchema.CompleteDate, ews.TaskSchema.Status, ews.TaskSchema.PercentComplete]);
  props.RequestedBodyType = ews.BodyType.Text;
  const item = await session.call(`read a task of ${folder.path.join('/')}`, () => ews.Item.Bind(service, new ews.ItemId(ref.id), props), { signal, item: true });
  const ICAL = await loadIcal();
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Ferry//Exchange task//EN');
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', ref.id);
  todo.addPropertyWithValue('summary', prop<string>(item, ews.ItemSchema.Subject) ?? '');
  const body = prop<Ews.MessageBody>(item, ews.ItemSchema.Body)?.Text?.trim();
  if (body) todo.addPropertyWithValue('description', body);
  const at = (name: string, value: Ews.DateTime | undefined) => {
    const date = timeOf(value);
    if (date) todo.addPropertyWithValue(name, ICAL.Time.fromJSDate(date, true));
  };
  at('dtstart', prop<Ews.DateTime>(item, ews.TaskSchema.StartDate));
  at('due', prop<Ews.DateTime>(item, ews.TaskSchema.DueDate));
  at('completed', prop<Ews.DateTime>(item, ews.TaskSchema.CompleteDate));
  todo.addPropertyWithValue('status', STATUS[Number(prop<number>(item, ews.TaskSchema.Status) ?? 0)] ?? 'NEEDS-ACTION');
  todo.addPropertyWithValue('percent-complete', Math.round(Number(prop<number>(item, ews.TaskSchema.PercentComplete) ?? 0)));
  todo.addPropertyWithValue('priority', PRIORITY[Number(prop<number>(item, ews.ItemSchema.Importance) ?? 1)] ?? 5);
  const reminder = prop<boolean>(item, ews.ItemSchema.IsReminderSet) ? timeOf(prop<Ews.DateTime>(item, ews.ItemSchema.ReminderDueBy)) : undefined;
  if (reminder) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('trigger', ICAL.Time.fromJSDate(reminder, true));
    todo.addSubcomponent(alarm);
  }
  calendar.addSubcomponent(todo);
  return { format: 'icalendar', data: Buffer.from(calendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n', 'utf8'), flags: [], date: timeOf(prop<Ews.DateTime>(item, ews.ItemSchema.DateTimeReceived)) ?? ref.date };
}
