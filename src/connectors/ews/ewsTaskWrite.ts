// A VTODO (from Microsoft To Do, a CalDAV server or another Exchange) as an Exchange task. Exchange
// cannot make a task from MIME (CreateItem answers ErrorUnsupportedMimeConversion), so the task is
// created from its properties: subject, text body, status, importance, start and due dates, the
// reminder and categories. The VTODO is read by the same conversion that feeds Microsoft To Do.
import type * as Ews from 'ews-javascript-api';
import { taskFromICalendar } from '../m365/pim/taskJson';
import { ianaZone, instantOf, parseWallClock } from '../m365/pim/zones';
import type { EwsSession } from './ewsSession';

export const TASK_STATUS = { notStarted: 'NotStarted', inProgress: 'InProgress', completed: 'Completed', waitingOnOthers: 'WaitingOnOthers', deferred: 'Deferred' } as const;
export const TASK_IMPORTANCE = { low: 'Low', normal: 'Normal', high: 'High' } as const;

/** A Graph-style time ({ dateTime, timeZone }, a Windows or IANA zone; UTC when unknown) as milliseconds since the epoch. */
export function instantOfGraphTime(t: { dateTime: string; timeZone: string } | undefined): number | undefined {
  const wall = t ? parseWallClock(t.dateTime) : undefined;
  return wall && t ? instantOf(wall, ianaZone(t.timeZone) ?? 'UTC') : undefined;
}

/** A Graph-style time as an EWS DateTime. */
function ewsTime(ews: EwsSession['ews'], t: { dateTime: string; timeZone: string } | undefined): Ews.DateTime | undefined {
  const ms = instantOfGraphTime(t);
  return ms === undefined ? undefined : new ews.DateTime(ms);
}

/** The unsaved Exchange task for a VTODO (GRAPH-PIM-INVALID, an item error, when it is not one). */
export async function ewsTaskFromICalendar(session: EwsSession, data: Buffer): Promise<Ews.Task> {
  const { ews, service } = session;
  const t = await taskFromICalendar(data);
  const task = new ews.Task(service);
  task.Subject = t.title;
  if (t.body) task.Body = new ews.MessageBody(ews.BodyType.Text, t.body.content);
  task.Status = ews.TaskStatus[TASK_STATUS[t.status]];
  task.Importance = ews.Importance[TASK_IMPORTANCE[t.importance]];
  const start = ewsTime(ews, t.startDateTime);
  const due = ewsTime(ews, t.dueDateTime);
  if (start) task.StartDate = start;
  if (due) task.DueDate = due;
  const reminder = t.isReminderOn ? ewsTime(ews, t.reminderDateTime) : undefined;
  task.IsReminderSet = reminder !== undefined;
  if (reminder) task.ReminderDueBy = reminder;
  if (t.categories.length) task.Categories = new ews.StringList(t.categories);
  return task;
}
