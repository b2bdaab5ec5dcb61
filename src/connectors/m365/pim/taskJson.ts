// A task as a Microsoft To Do task: from a VTODO (iCalendar), or from the message form Exchange's
// MimeContent gives a task (subject and text). Ferry's watermark rides in a linkedResource (To Do
// tasks carry no extended properties), whose externalId findWritten looks for.
import { componentOf, graphTime, importanceOf, reminderMinutes, text, texts, timeProperty, withTimezones, type GraphDateTime } from './ical';
import { recurrenceOf, type GraphRecurrence } from './recurrenceJson';

export interface GraphTask {
  title: string;
  body?: { contentType: 'text'; content: string };
  status: 'notStarted' | 'inProgress' | 'completed' | 'waitingOnOthers' | 'deferred';
  importance: 'low' | 'normal' | 'high';
  dueDateTime?: GraphDateTime;
  startDateTime?: GraphDateTime;
  completedDateTime?: GraphDateTime;
  isReminderOn: boolean;
  reminderDateTime?: GraphDateTime;
  categories: string[];
  recurrence?: GraphRecurrence;
}

const STATUS: Record<string, GraphTask['status']> = { 'NEEDS-ACTION': 'notStarted', 'IN-PROCESS': 'inProgress', COMPLETED: 'completed', CANCELLED: 'deferred' };

export async function taskFromICalendar(data: Buffer): Promise<GraphTask> {
  const { ICAL, root: calendar, component: todo } = await componentOf(data, 'vtodo', 'iCalendar task');
  return withTimezones(ICAL, calendar, () => {
    const due = timeProperty(todo, 'due');
    const start = timeProperty(todo, 'dtstart');
    const completed = timeProperty(todo, 'completed');
    const dueJson = due ? graphTime(ICAL, due.time, due.tzid) : undefined;
    const minutes = reminderMinutes(ICAL, todo);
    const description = text(todo, 'description');
    let status = STATUS[String(todo.getFirstPropertyValue('status') ?? '').toUpperCase()] ?? 'notStarted';
    if (completed && status === 'notStarted') status = 'completed';
    const recurrence = due ? recurrenceOf(ICAL, todo, due.time, dueJson!.timeZone) : undefined;
    let reminder: GraphDateTime | undefined;
    const absolute = todo
      .getAllSubcomponents('valarm')
      .map((a) => a.getFirstPropertyValue('trigger'))
      .find((v): v is InstanceType<typeof ICAL.Time> => v instanceof ICAL.Time);
    if (absolute) reminder = graphTime(ICAL, absolute, undefined);
    else if (minutes !== undefined && due) {
      const at = due.time.clone();
      at.minute -= minutes;
      reminder = graphTime(ICAL, at, due.tzid);
    }
    return {
      title: text(todo, 'summary') ?? '',
      ...(description ? { body: { contentType: 'text' as const, content: description } } : {}),
      status,
      importance: importanceOf(todo),
      ...(dueJson ? { dueDateTime: dueJson } : {}),
      ...(start ? { startDateTime: graphTime(ICAL, start.time, start.tzid) } : {}),
      ...(completed ? { completedDateTime: graphTime(ICAL, completed.time, completed.tzid) } : {}),
      isReminderOn: reminder !== undefined,
      ...(reminder ? { reminderDateTime: reminder } : {}),
      categories: texts(todo, 'categories'),
      ...(recurrence ? { recurrence } : {}),
    };
  });
}

/** Exchange gives a task's MimeContent as a message: its subject is the title, its text the body. */
export async function taskFromMessage(data: Buffer, flags: readonly string[]): Promise<GraphTask> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(data, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  const body = (parsed.text ?? '').trim();
  return {
    title: parsed.subject ?? '',
    ...(body ? { body: { contentType: 'text', content: body } } : {}),
    status: flags.includes('\\Answered') || flags.includes('$Completed') ? 'completed' : 'notStarted',
    importance: 'normal',
    isReminderOn: false,
    categories: [],
  };
}
