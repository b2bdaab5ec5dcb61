// The notification outbox: a message is queued once per event (its dedupe key) in the store, sent
// by the scheduler, and retried after a failure with its code recorded; nothing is lost when the
// relay is down or the process dies, and nothing is sent twice for one event.
import type { SqlStore } from './sqlStore';
import { camel, nowIso } from './rows';

export interface QueuedNotification {
  projectId: number;
  batch: string;
  event: string;
  dedupeKey: string;
  recipients: string[];
  subject: string;
  body: string;
}

export interface NotificationRow extends Omit<QueuedNotification, 'recipients'> {
  id: number;
  recipients: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  sentAt?: string;
  lastErrorCode?: string;
  lastErrorMessage?: string;
}

export class NotificationsRepo {
  constructor(private readonly db: SqlStore) {}

  /** Queues a message; false when one with the same key was queued before (no duplicate). */
  enqueue(m: QueuedNotification, at = nowIso()): boolean {
    const r = this.db.run(
      'INSERT INTO notifications (project_id, batch, event, dedupe_key, recipients, subject, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      m.projectId, m.batch, m.event, m.dedupeKey, JSON.stringify(m.recipients), m.subject, m.body, at, at,
    );
    return Number(r.changes) > 0;
  }

  /** Unsent messages whose next attempt is due. */
  due(now: string): NotificationRow[] {
    return this.db.all('SELECT * FROM notifications WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id', now).map((r) => camel<NotificationRow>(r)!);
  }

  markSent(id: number, at = nowIso()): void {
    this.db.run('UPDATE notifications SET sent_at = ?, attempts = attempts + 1, last_error_code = NULL, last_error_message = NULL WHERE id = ?', at, id);
  }

  markFailed(id: number, code: string, message: string, nextAttemptAt: string): void {
    this.db.run('UPDATE notifications SET attempts = attempts + 1, last_error_code = ?, last_error_message = ?, next_attempt_at = ? WHERE id = ?', code, message, nextAttemptAt, id);
  }

  list(projectId?: number): NotificationRow[] {
    const rows = projectId === undefined ? this.db.all('SELECT * FROM notifications ORDER BY id') : this.db.all('SELECT * FROM notifications WHERE project_id = ? ORDER BY id', projectId);
    return rows.map((r) => camel<NotificationRow>(r)!);
  }

  unsentCount(): number {
    return Number(this.db.get('SELECT COUNT(*) AS c FROM notifications WHERE sent_at IS NULL')?.c ?? 0);
  }
}

export const recipientsOf = (row: NotificationRow): string[] => JSON.parse(row.recipients) as string[];
