// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps every message it accepts,
// parsed (mailparser): the sink the notification tests read. `refuseNext(n)` answers the next n
// messages with a temporary failure (451), as a relay that is briefly unavailable does.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private refusals = 0;
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (ref.sink!.refusals > 0) {
            ref.sink!.refusals--;
            const err = new Error('Temporary local problem, try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
            return;
          }
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            ref.sink!.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
            });
            callback();
            for (const w of ref.sink!.waiters.splice(0)) w();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    ref.sink = new SmtpSink(server, address.port);
    return ref.sink;
  }

  /** The environment that points `ferry serve` at this sink. */
  env(from = 'ferry@ops.example'): NodeJS.ProcessEnv {
    return { FERRY_SMTP_HOST: '127.0.0.1', FERRY_SMTP_PORT: String(this.port), FERRY_SMTP_SECURITY: 'none', FERRY_SMTP_FROM: from };
  }

  refuseNext(n: number): void {
    this.refusals = n;
  }

  /** Resolves once `condition` holds over what was received (checked after each message), within `ms`. */
  async until(condition: (mail: readonly ReceivedMail[]) => boolean, what: string, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SMTP sink: timed out waiting for ${what}; received ${JSON.stringify(this.received.map((m) => [m.to, m.subject]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
