// A TCP proxy on 127.0.0.1 in front of an IMAP server that can play a server shutting down: armed,
// it puts an untagged `* BYE` just before the server's next tagged response, in the same packet,
// and then forwards nothing more on that connection (kept open, as a server draining its clients).
// The client reads the BYE before the command completes, so its next command meets a session that
// is over: a deterministic hold point, not a race. Later connections are forwarded as usual.
import * as net from 'node:net';

export interface ImapByeProxy {
  port: number;
  /** The next tagged response on any connection comes after a BYE with this text. */
  byeWithNextResponse(text?: string): void;
  /** Connections that were sent a BYE so far. */
  readonly byes: number;
  close(): Promise<void>;
}

const TAGGED = /(^|\r\n)[A-Za-z0-9.]+ (OK|NO|BAD)\b[^\r\n]*\r\n/;

export async function startImapByeProxy(targetPort: number): Promise<ImapByeProxy> {
  let armed: string | undefined;
  let byes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    let ended = false;
    client.on('data', (chunk: Buffer) => (ended ? undefined : upstream.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => (ended ? undefined : client.destroy()));
    upstream.on('data', (chunk: Buffer) => {
      if (ended) return;
      const text = chunk.toString('latin1');
      const tagged = armed !== undefined ? TAGGED.exec(text) : null;
      if (!tagged) return void client.write(chunk);
      const at = tagged.index + tagged[1].length;
      client.write(Buffer.concat([chunk.subarray(0, at), Buffer.from(`* BYE ${armed}\r\n`, 'latin1'), chunk.subarray(at, tagged.index + tagged[0].length)]));
      armed = undefined;
      ended = true;
      byes++;
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    byeWithNextResponse: (text = 'Server shutting down.') => void (armed = text),
    get byes() {
      return byes;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
