// A small IMAP server for the lean body reader's unit tests, on 127.0.0.1 in the test process: one
// folder (INBOX) of numbered messages, the greeting, CAPABILITY, LOGIN, AUTHENTICATE PLAIN,
// EXAMINE and UID FETCH answered as RFC 3501 says, with the faults a test asks for (a message the
// server refuses to read, answers held until several commands are in flight, BYE after n bodies).
// Commands are read in order from the stream, so pipelined commands are seen as they come.
import * as net from 'node:net';

export interface ScriptedImapOptions {
  /** Capabilities in the greeting (default: IMAP4rev1 AUTH=PLAIN SASL-IR LITERAL+). */
  capabilities?: string;
  greeting?: string;
  uidValidity?: number;
  /** UID -> body. */
  messages: Map<number, Buffer>;
  /** UIDs the server cannot read: a UID FETCH naming one answers NO without any message. */
  refused?: Set<number>;
  /** Answers to UID FETCH are held until this many are waiting the first time (pipelining made visible). */
  holdUntilFetches?: number;
  /** After this many bodies sent in all, the server says BYE and closes the connection. */
  byeAfterBodies?: number;
}

export interface ScriptedImapServer {
  readonly port: number;
  /** Every command received, tag first, per connection in order. */
  readonly commands: string[];
  connections: number;
  /** The most UID FETCH commands that were waiting for their answer at once. */
  maxFetchesWaiting: number;
  close(): Promise<void>;
}

const date = (uid: number) => `0${(uid % 9) + 1}-Mar-2024 10:0${uid % 10}:00 +0100`;

export async function startScriptedImap(options: ScriptedImapOptions): Promise<ScriptedImapServer> {
  const sockets = new Set<net.Socket>();
  let bodiesSent = 0;
  const state: ScriptedImapServer = {
    port: 0,
    commands: [],
    connections: 0,
    maxFetchesWaiting: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    state.connections++;
    const caps = options.capabilities ?? 'IMAP4rev1 AUTH=PLAIN SASL-IR LITERAL+';
    socket.write(options.greeting ?? `* OK [CAPABILITY ${caps}] scripted ready\r\n`);
    let buffered = '';
    const waiting: { tag: string; uids: number[] }[] = [];
    let over = false;
    let holding = (options.holdUntilFetches ?? 1) > 1;
    const answerFetches = () => {
      if (holding && waiting.length < options.holdUntilFetches!) return;
      holding = false;
      for (const { tag, uids } of waiting.splice(0)) {
        if (uids.some((u) => options.refused?.has(u))) {
          socket.write(`${tag} NO cannot read a message\r\n`);
          continue;
        }
        for (const uid of uids) {
          const body = options.messages.get(uid);
          if (!body || over) continue;
          socket.write(Buffer.concat([Buffer.from(`* ${uid} FETCH (UID ${uid} FLAGS (\\Seen $K${uid}) INTERNALDATE "${date(uid)}" BODY[] {${body.length}}\r\n`), body, Buffer.from(')\r\n')]));
          if (++bodiesSent === options.byeAfterBodies) {
            over = true;
            socket.end('* BYE going down\r\n');
            return;
          }
        }
        socket.write(`${tag} OK Fetch completed\r\n`);
      }
    };
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      let lf: number;
      while ((lf = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, lf);
        buffered = buffered.slice(lf + 2);
        state.commands.push(line);
        const [tag, verb, ...rest] = line.split(' ');
        const command = `${verb} ${rest[0] ?? ''}`.toUpperCase();
        if (verb.toUpperCase() === 'CAPABILITY') socket.write(`* CAPABILITY ${caps}\r\n${tag} OK done\r\n`);
        else if (verb.toUpperCase() === 'LOGIN' || command.startsWith('AUTHENTICATE PLAIN')) socket.write(`${tag} OK logged in\r\n`);
        else if (verb.toUpperCase() === 'EXAMINE') socket.write(`* ${options.messages.size} EXISTS\r\n* OK [UIDVALIDITY ${options.uidValidity ?? 7}] UIDs valid\r\n${tag} OK [READ-ONLY] done\r\n`);
        else if (command === 'UID FETCH') {
          const uids = rest[1].split(',').flatMap((part) => {
            const [a, b] = part.split(':').map(Number);
            return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
          });
          waiting.push({ tag, uids });
          state.maxFetchesWaiting = Math.max(state.maxFetchesWaiting, waiting.length);
          answerFetches();
        } else if (verb.toUpperCase() === 'LOGOUT') socket.end(`* BYE bye\r\n${tag} OK done\r\n`);
        else socket.write(`${tag} BAD unknown command\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (server.address() as net.AddressInfo).port });
}
