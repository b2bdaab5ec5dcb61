// A minimal IMAP server on loopback for the tests that need a login to happen: it greets (at once,
// or when released), answers CAPABILITY, refuses every LOGIN/AUTHENTICATE and records what the
// client sent, so a test can prove the secret reached the server and nowhere else.
import * as net from 'node:net';

export interface FakeImap {
  port: number;
  /** Every line the clients sent, as received. */
  received: string[];
  /** Greets the connections held so far and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startFakeImap(options: { hold?: boolean } = {}): Promise<FakeImap> {
  const received: string[] = [];
  const held: net.Socket[] = [];
  const sockets = new Set<net.Socket>();
  let holding = options.hold ?? false;
  const greet = (s: net.Socket) => s.write('* OK [CAPABILITY IMAP4rev1 LITERAL+] Fake IMAP ready\r\n');
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        received.push(line);
        const [tag, command = ''] = line.split(' ');
        const verb = command.toUpperCase();
        if (verb === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1 LITERAL+\r\n${tag} OK done\r\n`);
        else if (verb === 'LOGIN' || verb === 'AUTHENTICATE') socket.write(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
        else if (verb === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else if (verb === 'ID' || verb === 'NOOP') socket.write(`${tag} OK done\r\n`);
        else if (tag) socket.write(`${tag} BAD unknown command\r\n`);
      }
    });
    if (holding) held.push(socket);
    else greet(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    release: () => {
      holding = false;
      for (const s of held.splice(0)) if (!s.destroyed) greet(s);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
