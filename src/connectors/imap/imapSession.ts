// One IMAP connection per mailbox side, reused for all its folders. A dropped connection is opened
// again on the next command, so the engine's retry of a transient error finds a live session.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { toConnectorError, type ImapErrorContext } from './imapErrors';

/** A logged-in imapflow client that maps every failure to a catalog code. */
export class ImapSession {
  private client: ImapFlow | undefined;
  private connecting: Promise<ImapFlow> | undefined;
  private closed = false;

  constructor(
    private readonly options: ImapFlowOptions,
    readonly context: ImapErrorContext,
  ) {}

  /** The live client, connecting (again) when there is none. */
  async connect(): Promise<ImapFlow> {
    if (this.closed) throw new Error('IMAP session already closed');
    if (this.client?.usable) return this.client;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<ImapFlow> {
    const client = new ImapFlow(this.options);
    // Without a listener a socket error would be thrown as an uncaught 'error' event; the
    // failed command reports it instead.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.close();
      throw toConnectorError(error, { ...this.context, command: 'login' });
    }
    this.client = client;
    return client;
  }

  /** Runs `work` on the live client; failures become ConnectorErrors with this context. */
  async run<T>(command: string, extra: Partial<ImapErrorContext>, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await work(client);
    } catch (error) {
      throw toConnectorError(error, { ...this.context, ...extra, command });
    }
  }

  /**
   * Runs `work` with `folder` selected (EXAMINE when readOnly, so reading never sets \Seen). `fresh`
   * selects it again even when it is selected already, for an up-to-date UIDVALIDITY and count.
   */
  async inFolder<T>(folder: string, readOnly: boolean, command: string, work: (client: ImapFlow) => Promise<T>, options: { fresh?: boolean; extra?: Partial<ImapErrorContext> } = {}): Promise<T> {
    return this.run(command, { folder, ...options.extra }, async (client) => {
      const lock = await client.getMailboxLock(folder, { readOnly });
      try {
        // The server may have closed the folder meanwhile (renumbered, deleted): select it again.
        if (options.fresh || !client.mailbox) await client.mailboxOpen(folder, { readOnly });
        return await work(client);
      } finally {
        lock.release();
      }
    });
  }

  /** Logs out (quietly: the work is done whatever the server says). */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    if (!client) return;
    try {
      if (client.usable) await client.logout();
    } catch {
      // already gone
    } finally {
      client.close();
    }
  }
}
