// One IMAP connection per mailbox side, reused for all its folders. A dropped connection is opened
// again on the next command, so the engine's retry of a transient error finds a live session.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { ConnectorError } from '../types';
import { imapError, toConnectorError, type ImapErrorContext } from './imapErrors';
import type { RefreshingAccessToken } from './imapOAuth';

/**
 * Whether a client can still carry commands: imapflow keeps `usable` until the socket closes, but
 * after the server's BYE the session is over (state LOGOUT) and commands return nothing.
 */
function live(client: ImapFlow): boolean {
  return client.usable && client.state !== client.states.LOGOUT;
}

/** A logged-in imapflow client that maps every failure to a catalog code. */
export class ImapSession {
  private client: ImapFlow | undefined;
  private connecting: Promise<ImapFlow> | undefined;
  private closed = false;

  constructor(
    private readonly options: ImapFlowOptions,
    readonly context: ImapErrorContext,
    /** XOAUTH2 with refresh: each connection logs in with a live token from here. */
    private readonly accessToken?: RefreshingAccessToken,
    /** A second connection's slot under the endpoint's maxConnections (OpenMailboxRequest.spareConnection). */
    readonly spareConnection?: () => (() => void) | undefined,
  ) {}

  /** The live client, connecting (again) when there is none. */
  async connect(): Promise<ImapFlow> {
    if (this.closed) throw new Error('IMAP session already closed');
    if (this.client && live(this.client)) return this.client;
    // A session the server ended may still hold its socket: let it go before opening another.
    this.client?.close();
    this.client = undefined;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private open(): Promise<ImapFlow> {
    return this.withCredentials((options) => this.login(options));
  }

  /**
   * Opens a connection through `login` with this session's options (host, TLS, credentials): with
   * XOAUTH2, a live token, and a new one once when the server refuses it. imapflow's connections
   * and the lean body reader's (lean/wireConnection.ts) log in through here.
   */
  async withCredentials<T>(login: (options: ImapFlowOptions) => Promise<T>): Promise<T> {
    if (!this.accessToken) return login(this.options);
    const withToken = (accessToken: string): ImapFlowOptions => ({ ...this.options, auth: { ...this.options.auth, user: this.options.auth?.user ?? '', accessToken } });
    try {
      return await login(withToken(await this.accessToken.current()));
    } catch (error) {
      // The server refused a token that had time left (revoked, or expired early): log in again
      // once with a new one; a second refusal is the answer.
      if (!(error instanceof ConnectorError) || error.code !== 'IMAP-AUTH') throw error;
      return login(withToken(await this.accessToken.refresh()));
    }
  }

  private async login(options: ImapFlowOptions): Promise<ImapFlow> {
    const client = new ImapFlow(options);
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
    let result: T;
    try {
      result = await work(client);
    } catch (error) {
      throw toConnectorError(error, { ...this.context, ...extra, command });
    }
    // imapflow answers commands on a connection that the server ended (BYE: shutting down) or that
    // closed under them with nothing at all (APPEND returns undefined, SEARCH false, FETCH no
    // messages): such an answer says nothing about the mailbox. It is a disconnect, retried on a
    // new connection.
    if (!live(client)) throw imapError('IMAP-DISCONNECT', [this.context.host, client.byeReason ?? `the connection closed during ${command}`]);
    return result;
  }

  /**
   * Runs `work` with `folder` selected (EXAMINE when readOnly, so reading never sets \Seen). `fresh`
   * selects it again when it was selected already, for an up-to-date UIDVALIDITY and count (a lock
   * that had to select it has them: one EXAMINE, not two).
   */
  async inFolder<T>(folder: string, readOnly: boolean, command: string, work: (client: ImapFlow) => Promise<T>, options: { fresh?: boolean; extra?: Partial<ImapErrorContext> } = {}): Promise<T> {
    return this.run(command, { folder, ...options.extra }, async (client) => {
      const selected = client.mailbox;
      const lock = await client.getMailboxLock(folder, { readOnly });
      try {
        // The server may have closed the folder meanwhile (renumbered, deleted): select it again.
        if (!client.mailbox || (options.fresh && client.mailbox === selected)) await client.mailboxOpen(folder, { readOnly });
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
