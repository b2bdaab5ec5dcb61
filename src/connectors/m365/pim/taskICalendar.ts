// A Microsoft To Do task as an iCalendar VTODO (what taskJson reads back, and what CalDAV servers
// hold): title, text body, status, importance, start and due (dates, as To Do shows them, or times
// in their zone), completion time, an absolute reminder, categories and the series rule.
import { loadIcal } from './ical';
import { ICalendarWriter, type GraphTime } from './icalWriter';
import type { GraphRecurrence } from './recurrenceJson';
import { addRecurrenceRule } from './recurrenceRule';

/** The task as Graph returns it. */
export interface ReadTask {
  id: string;
  title?: string;
  body?: { content?: string; contentType?: string } | null;
  status?: string;
  importance?: string;
  dueDateTime?: GraphTime | null;
  startDateTime?: GraphTime | null;
  completedDateTime?: GraphTime | null;
  isReminderOn?: boolean;
  reminderDateTime?: GraphTime | null;
  categories?: string[];
  recurrence?: GraphRecurrence | null;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}

const STATUS: Record<string, string> = { notStarted: 'NEEDS-ACTION', inProgress: 'IN-PROCESS', completed: 'COMPLETED', waitingOnOthers: 'NEEDS-ACTION', deferred: 'CANCELLED' };
const PRIORITY: Record<string, number> = { high: 1, normal: 5, low: 9 };
const midnight = (t: GraphTime) => /T00:00:00(\.0+)?$/.test(t.dateTime);

export async function iCalendarFromTask(t: ReadTask): Promise<Buffer> {
  const ICAL = await loadIcal();
  const writer = new ICalendarWriter(ICAL);
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', t.id);
  writer.addStamp(todo, 'dtstamp', t.lastModifiedDateTime ?? new Date().toISOString());
  todo.addPropertyWithValue('summary', t.title ?? '');
  const body = t.body?.content?.trim();
  if (body) todo.addPropertyWithValue('description', body);
  todo.addPropertyWithValue('status', STATUS[t.status ?? 'notStarted'] ?? 'NEEDS-ACTION');
  todo.addPropertyWithValue('priority', PRIORITY[t.importance ?? 'normal'] ?? 5);
  if (t.startDateTime) writer.addTime(todo, 'dtstart', t.startDateTime, midnight(t.startDateTime));
  if (t.dueDateTime) writer.addTime(todo, 'due', t.dueDateTime, midnight(t.dueDateTime));
  const completed = t.completedDateTime ? writer.utcTime(t.completedDateTime) : undefined;
  if (completed) todo.addPropertyWithValue('completed', completed);
  if (t.recurrence && t.dueDateTime) addRecurrenceRule(ICAL, todo, t.recurrence, t.dueDateTime.timeZone, midnight(t.dueDateTime));
  if (t.categories?.length) {
    const p = new ICAL.Property('categories');
    p.setValues(t.categories);
    todo.addProperty(p);
  }
  const reminder = t.isReminderOn && t.reminderDateTime ? writer.utcTime(t.reminderDateTime) : undefined;
  if (reminder) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', 'Reminder');
    alarm.addPropertyWithValue('trigger', reminder);
    todo.addSubcomponent(alarm);
  }
  return writer.finish(todo);
}
