// The notifications of batch events, made from the plan's templates (or Ferry's own text) and
// queued in the store's outbox with a key per event, so an event is announced once however often
// the scheduler looks at it (a restart included).
import * as path from 'node:path';
import type { NotificationEvent, Plan, PlanBatch } from '../plan/model';
import { fillTemplate, parseTemplate, templateLimitBytes, type NotificationTemplate } from '../plan/notificationTemplate';
import { readProjectFile } from '../plan/projectFiles';
import type { ItemRow } from '../store/rows';
import type { Store } from '../store/store';
import { itemStatusLabel } from '../engine/statusWords';

const ownText: Record<NotificationEvent | 'endUser', NotificationTemplate> = {
  started: { subject: '[Ferry] {{project}}: batch {{batch}} started', body: 'Batch {{batch}} of {{project}} started at {{time}}.\n\nMailboxes:\n{{mailboxes}}\n' },
  synced: { subject: '[Ferry] {{project}}: batch {{batch}} is {{status}}', body: 'Batch {{batch}} of {{project}} finished its initial sync at {{time}}: {{status}}.\n\nMailboxes:\n{{mailboxes}}\n{{details}}' },
  completed: { subject: '[Ferry] {{project}}: batch {{batch}} completed', body: 'Batch {{batch}} of {{project}} completed at {{time}} (final delta done, mailboxes finalized).\n\nMailboxes:\n{{mailboxes}}\n' },
  failed: { subject: '[Ferry] {{project}}: mailboxes of batch {{batch}} failed', body: 'A pass of batch {{batch}} of {{project}} ended at {{time}} with failed mailboxes:\n{{details}}\n\nAll mailboxes:\n{{mailboxes}}\n' },
  approvalNeeded: { subject: '[Ferry] {{project}}: batch {{batch}} needs approval', body: 'Mailboxes of batch {{batch}} of {{project}} wait at Confirmation required (above mailboxQuotaGB):\n{{details}}\n\nApprove them with: ferry approve <plan> --batch "{{batch}}" --item <address>\n' },
  endUser: { subject: 'Your mailbox moves on {{completeAfter}}', body: 'Hello,\n\nyour mailbox {{source}} moves to {{destination}} on {{completeAfter}}. Mail that arrives until then is copied too.\n\n{{project}}\n' },
};

/** The template for an event: the plan's file, or Ferry's own text when none is named or it cannot be read now. */
function templateFor(plan: Plan, event: NotificationEvent | 'endUser'): NotificationTemplate {
  const written = event === 'endUser' ? plan.options.notifications.endUsers?.template : plan.options.notifications.templates[event];
  if (!written) return ownText[event];
  const read = readProjectFile(path.dirname(plan.file), written, templateLimitBytes);
  const parsed = read.ok ? parseTemplate(read.text) : undefined;
  return parsed && !('problem' in parsed) ? parsed : ownText[event];
}

const mailboxLines = (items: readonly ItemRow[]) => items.map((i) => `  ${i.source} -> ${i.destination}: ${itemStatusLabel(i.status, !!i.finalized)}${i.lastErrorCode ? ` (${i.lastErrorCode})` : ''}`).join('\n');

export interface BatchEventFacts {
  projectId: number;
  batch: PlanBatch;
  status: string;
  items: readonly ItemRow[];
  /** Lines about the mailboxes the event is about (failed, waiting for approval). */
  details?: string;
  /** What makes this occurrence of the event unique (a pass id, a time). */
  occurrence: string;
  now: Date;
}

/** Queues the operator message for an event when the plan asks for it; true when it is new. */
export function queueOperatorMessage(store: Store, plan: Plan, event: NotificationEvent, f: BatchEventFacts): boolean {
  const n = plan.options.notifications;
  if (!n.to.length || !n.on[event]) return false;
  const t = templateFor(plan, event);
  const values = { project: plan.project.name, batch: f.batch.name, status: f.status, time: f.now.toISOString(), mailboxes: mailboxLines(f.items), details: f.details ?? '' };
  return store.notifications.enqueue({ projectId: f.projectId, batch: f.batch.name, event, dedupeKey: `${event}:${f.projectId}:${f.batch.name}:${f.occurrence}`, recipients: n.to, subject: fillTemplate(t.subject, values), body: fillTemplate(t.body, values) }, f.now.toISOString());
}

/** Queues each mailbox owner's notice before the batch's cut-over (to the source address they still read); returns how many are new. */
export function queueEndUserNotices(store: Store, plan: Plan, projectId: number, batch: PlanBatch, items: readonly ItemRow[], now: Date): number {
  if (!plan.options.notifications.endUsers || !batch.completeAfter) return 0;
  const t = templateFor(plan, 'endUser');
  let queued = 0;
  for (const item of items) {
    const values = { project: plan.project.name, batch: batch.name, source: item.source, destination: item.destination, completeAfter: batch.completeAfter.toISOString(), time: now.toISOString() };
    const key = `endUser:${projectId}:${batch.name}:${item.source}:${batch.completeAfter.toISOString()}`;
    if (store.notifications.enqueue({ projectId, batch: batch.name, event: 'endUser', dedupeKey: key, recipients: [item.source], subject: fillTemplate(t.subject, values), body: fillTemplate(t.body, values) }, now.toISOString())) queued++;
  }
  return queued;
}
