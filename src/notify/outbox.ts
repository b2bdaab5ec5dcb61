// Sends the outbox of a state folder through the SMTP relay (nodemailer, loaded on first use so
// commands that send nothing never load it). A failure is recorded on the message with NOTIFY-001
// and retried later with a growing delay (capped at an hour); it never holds up a pass.
import { formatMessage } from '../errors/catalog';
import type { Store } from '../store/store';
import { recipientsOf, type NotificationRow } from '../store/notificationsRepo';
import type { RelaySettings } from './relay';

export interface OutboxOptions {
  relay: RelaySettings;
  now: () => Date;
  log: (line: string) => void;
  /** The delay after the first failure; doubled after each next one, up to maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
}

type Transport = { sendMail(message: { from: string; to: string[]; subject: string; text: string }): Promise<unknown>; close(): void };

export class Outbox {
  private transport?: Transport;

  constructor(private readonly store: Store, private readonly o: OutboxOptions) {}

  private async connect(): Promise<Transport> {
    if (this.transport) return this.transport;
    const nodemailer = await import('nodemailer');
    const { relay } = this.o;
    this.transport = nodemailer.createTransport({
      host: relay.host,
      port: relay.port,
      secure: relay.security === 'tls',
      requireTLS: relay.security === 'starttls',
      ignoreTLS: relay.security === 'none',
      ...(relay.auth ? { auth: relay.auth } : {}),
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    }) as unknown as Transport;
    return this.transport;
  }

  /** Sends every message due; returns how many went out. Never throws for a message that fails. */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (const row of this.store.notifications.due(this.o.now().toISOString())) {
      try {
        const transport = await this.connect();
        await transport.sendMail({ from: this.o.relay.from, to: recipientsOf(row), subject: row.subject, text: row.body });
        this.store.notifications.markSent(row.id, this.o.now().toISOString());
        sent++;
      } catch (err) {
        this.failed(row, err);
      }
    }
    return sent;
  }

  private failed(row: NotificationRow, err: unknown): void {
    const base = this.o.retryBaseMs ?? 60_000;
    const delay = Math.min(base * 2 ** row.attempts, this.o.maxDelayMs ?? 3_600_000);
    const next = new Date(this.o.now().getTime() + delay).toISOString();
    const reason = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : String(err);
    this.store.notifications.markFailed(row.id, 'NOTIFY-001', reason, next);
    this.o.log(`NOTIFY-001 ${formatMessage('NOTIFY-001', [row.event, row.batch, recipientsOf(row).join(', '), reason, next])}`);
    // A failed connection is made again for the next message.
    this.transport?.close();
    this.transport = undefined;
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}
