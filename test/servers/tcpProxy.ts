// A TCP proxy for tests, on 127.0.0.1 in this process: it forwards every connection to a target
// and can cut (both sockets destroyed, the chunk not forwarded) or hold (nothing more forwarded
// either way, the chunk itself or not) the connection whose client sends the nth chunk matching
// a pattern. The rule fires
// once; connections made afterwards are forwarded normally (a client that reconnects gets through).
// For IMAP it can also play a server shutting down: an untagged BYE put just before the server's
// next tagged response, in the same packet, then nothing more forwarded on that connection (kept
// open, as a server draining its clients): the client reads the BYE before its command completes,
// so its next command meets a session that is over (a hold point, not a race).
import * as net from 'node:net';

export interface ProxyRule {
  /** Tested against each chunk the client sends (as latin1 text). */
  match: RegExp;
  /** Which matching chunk fires the rule (1 = the first). */
  nth?: number;
  /** cut: both sockets destroyed, the chunk dropped; hold: the chunk dropped, nothing more forwarded; deliver-hold: the chunk forwarded, then nothing more. */
  action: 'cut' | 'hold' | 'deliver-hold';
}

export interface TcpProxy {
  readonly port: number;
  /** Arms a rule; resolves when it fired, with the chunk that matched. */
  when(rule: ProxyRule): Promise<string>;
  /** IMAP: the next tagged response from the server comes after `* BYE text`; resolves when sent. */
  byeWithNextResponse(text?: string): Promise<void>;
  /**
   * How many client lines so far (every connection) matched `line`, tested against each line a
   * client sent (latin1; message literals included, so anchor the pattern on an IMAP tag).
   */
  count(line: RegExp): number;
  /** Ends held connections (as a cut) and lets new ones through. */
  release(): void;
  close(): Promise<void>;
}

/** A tagged IMAP response line (latin1: byte offsets equal string offsets). */
const TAGGED = /(^|\r\n)[A-Za-z0-9.]+ (OK|NO|BAD)\b[^\r\n]*\r\n/;

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const held = new Set<net.Socket>();
  let armed: { rule: ProxyRule; seen: number; fired: (chunk: string) => void } | undefined;
  let bye: { text: string; fired: () => void } | undefined;
  /** Lines clients sent (first 200 characters of each), for count(). */
  const sent: string[] = [];
  let partial = '';

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    upstream.on('data', (d: Buffer) => {
      if (held.has(client)) return;
      const tagged = bye && TAGGED.exec(d.toString('latin1'));
      if (!bye || !tagged) return void client.write(d);
      const at = tagged.index + tagged[1].length;
      client.write(Buffer.concat([d.subarray(0, at), Buffer.from(`* BYE ${bye.text}\r\n`, 'latin1'), d.subarray(at, tagged.index + tagged[0].length)]));
      held.add(client);
      bye.fired();
      bye = undefined;
    });
    client.on('data', (d) => {
      if (held.has(client)) return;
      const text = d.toString('latin1');
      const lines = (partial + text).split('\r\n');
      partial = lines.pop()!.slice(0, 200);
      for (const l of lines) sent.push(l.slice(0, 200));
      if (armed && armed.rule.match.test(text) && ++armed.seen === (armed.rule.nth ?? 1)) {
        const { rule, fired } = armed;
        armed = undefined;
        if (rule.action === 'cut') end();
        else held.add(client);
        if (rule.action === 'deliver-hold') upstream.write(d);
        fired(text);
        return;
      }
      upstream.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    when: (rule) => new Promise<string>((fired) => (armed = { rule, seen: 0, fired })),
    count: (line) => sent.filter((l) => line.test(l)).length,
    byeWithNextResponse: (text = 'Server shutting down.') => new Promise<void>((fired) => (bye = { text, fired })),
    release: () => {
      for (const s of held) s.destroy();
      held.clear();
    },
    close: async () => {
      armed = undefined;
      bye = undefined;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
