// A Gmail-flavoured IMAP front on 127.0.0.1 for the tests (see README.md): what Ferry and ordinary
// clients need of Gmail's IMAP (X-GM-EXT-1, AUTHENTICATE XOAUTH2 checked against the fake token
// endpoint, [Gmail]/ special-use folders, X-GM-MSGID / X-GM-THRID / X-GM-LABELS), RFC 3501 where
// Google is silent, and Google's refusals where it refuses.
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeMutf7, encodeMutf7 } from '../../../src/connectors/maildir/mutf7';
import type { GoogleTokens } from './googleTokens';
import { GmailStore, type GmailFolder, type GmailMessage } from './gmailStore';
import { CommandFramer, astring, headerFields, imapDate, inSet, quoted, tokenize, type Token } from './imapSyntax';

const PRE_AUTH_CAPABILITIES = 'IMAP4rev1 UNSELECT NAMESPACE ID CHILDREN X-GM-EXT-1 LITERAL+ SASL-IR AUTH=XOAUTH2 AUTH=PLAIN';
const CAPABILITIES = 'IMAP4rev1 UNSELECT NAMESPACE ID CHILDREN X-GM-EXT-1 LITERAL+ SPECIAL-USE';
/** What Gmail answers a refused XOAUTH2 bearer token with, base64 in a continuation (Google's XOAUTH2 protocol page). */
const XOAUTH2_ERROR = Buffer.from(JSON.stringify({ status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' })).toString('base64');

export interface FakeGmailImapOptions {
  tokens: GoogleTokens;
  /** Mailboxes by user address (lower case). */
  mailboxes: Map<string, GmailStore>;
}

export interface FakeGmailImap {
  readonly port: number;
  /** BODY[] / RFC822 items sent, by X-GM-MSGID: how often each message's content left the server. */
  readonly bodiesSent: Map<string, number>;
  /** Commands received (tag stripped, first 80 characters, credentials masked). */
  readonly commands: string[];
  /**
   * At the n-th command that fetches bodies (counted from now), every access token expires and the
   * connection that sent it is ended with a BYE before the command is answered. Resolves when it fired.
   */
  endSessionsAtBodyFetch(n: number): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  socket: net.Socket;
  user?: string;
  store?: GmailStore;
  selected?: { folder: GmailFolder; readOnly: boolean };
  /** AUTHENTICATE waiting for the client's (empty) answer to a challenge. */
  sasl?: (line: Buffer) => void;
}

class Refusal extends Error {
  constructor(
    readonly status: 'NO' | 'BAD',
    text: string,
  ) {
    super(text);
  }
}

export async function startFakeGmailImap(options: FakeGmailImapOptions): Promise<FakeGmailImap> {
  const sockets = new Set<net.Socket>();
  const bodiesSent = new Map<string, number>();
  const commands: string[] = [];
  let bodyFault: { left: number; fired: () => void } | undefined;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const s: Session = { socket };
    const write = (text: string | Buffer) => {
      if (!socket.destroyed) socket.write(text);
    };
    const framer = new CommandFramer(() => write('+ go ahead\r\n'));
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      if (s.sasl) {
        const eol = chunk.indexOf('\r\n');
        const answer = s.sasl;
        s.sasl = undefined;
        answer(chunk.subarray(0, eol === -1 ? chunk.length : eol));
        return;
      }
      for (const line of framer.push(chunk)) queue = queue.then(() => handle(s, line, write));
    });
    write('* OK Gimap ready for requests from 127.0.0.1 fakegmail\r\n');
  });

  async function handle(s: Session, line: Buffer, write: (t: string | Buffer) => void): Promise<void> {
    const head = /^([^\s]+) ([A-Za-z]+)(?: |$)/.exec(line.subarray(0, 64).toString('latin1'));
    if (!head) return void write('* BAD Could not parse command\r\n');
    const tag = head[1];
    let name = head[2].toUpperCase();
    let rest = line.subarray(head[0].length);
    let uid = false;
    if (name === 'UID') {
      const sub = /^([A-Za-z]+) ?/.exec(rest.toString('latin1'));
      name = (sub?.[1] ?? '').toUpperCase();
      rest = rest.subarray(sub?.[0].length ?? 0);
      uid = true;
    }
    commands.push(`${uid ? 'UID ' : ''}${name} ${/^(LOGIN|AUTHENTICATE)$/.test(name) ? '***' : rest.subarray(0, 80).toString('latin1')}`.trim());
    try {
      const args = tokenize(rest);
      const text = await run(s, tag, name, uid, args, write);
      if (text !== undefined) write(`${tag} ${text}\r\n`);
    } catch (error) {
      if (error instanceof Refusal) write(`${tag} ${error.status} ${error.message}\r\n`);
      else if (error instanceof SyntaxError) write(`${tag} BAD Could not parse command\r\n`);
      else write(`${tag} NO [SERVERBUG] ${(error as Error).message}\r\n`);
    }
  }

  /** Runs one command; returns the tagged response text (undefined when already sent or the session ended). */
  async function run(s: Session, tag: string, name: string, uid: boolean, args: Token[], write: (t: string | Buffer) => void): Promise<string | undefined> {
    switch (name) {
      case 'CAPABILITY':
        write(`* CAPABILITY ${s.user ? CAPABILITIES : PRE_AUTH_CAPABILITIES}\r\n`);
        return 'OK Success';
      case 'NOOP':
      case 'CHECK':
        return 'OK Success';
      case 'LOGOUT':
        write('* BYE LOGOUT Requested\r\n');
        write(`${tag} OK 73 good day (Success)\r\n`);
        s.socket.end();
        return undefined;
      case 'ID':
        write('* ID ("name" "GImap" "vendor" "Google, Inc." "support-url" "https://support.google.com/mail" "remote-host" "127.0.0.1")\r\n');
        return 'OK Success';
      case 'STARTTLS':
        // Gmail takes TLS on 993 only; this front speaks plain TCP on 127.0.0.1 (README).
        throw new Refusal('BAD', 'STARTTLS is not offered on this port');
      case 'LOGIN':
        if (s.user) throw new Refusal('BAD', 'Already authenticated');
        // The account takes OAuth 2.0 only: Google refuses passwords with this text.
        throw new Refusal('NO', '[ALERT] Invalid credentials (Failure)');
      case 'AUTHENTICATE':
        return authenticate(s, args, write);
    }
    if (!s.user || !s.store) throw new Refusal('BAD', `${name} not allowed now.`);
    const store = s.store;
    switch (name) {
      case 'NAMESPACE':
        write('* NAMESPACE (("" "/")) NIL NIL\r\n');
        return 'OK Success';
      case 'LIST':
      case 'LSUB':
        return list(store, name, args, write);
      case 'STATUS':
        return status(store, args, write);
      case 'SELECT':
      case 'EXAMINE':
        return select(s, store, name === 'EXAMINE', args, write);
      case 'CLOSE':
      case 'UNSELECT':
        if (!s.selected) throw new Refusal('BAD', `${name} not allowed now.`);
        s.selected = undefined;
        return 'OK Returned to authenticated state. (Success)';
      case 'FETCH':
        return fetch(s, uid, args, write);
      case 'SEARCH':
        return search(s, uid, args, write);
      case 'CREATE':
      case 'DELETE':
      case 'RENAME':
      case 'APPEND':
      case 'STORE':
      case 'COPY':
      case 'MOVE':
      case 'EXPUNGE':
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        // A source for Ferry: writes are outside what this front models (README).
        throw new Refusal('NO', `[CANNOT] ${name} is not modelled by the fake Gmail IMAP front`);
      default:
        throw new Refusal('BAD', 'Unknown command');
    }
  }

  function authenticate(s: Session, args: Token[], write: (t: string | Buffer) => void): Promise<string | undefined> | string {
    if (s.user) throw new Refusal('BAD', 'Already authenticated');
    const mechanism = astring(args[0])?.toUpperCase();
    if (mechanism === 'PLAIN') throw new Refusal('NO', '[ALERT] Invalid credentials (Failure)');
    if (mechanism !== 'XOAUTH2') throw new Refusal('NO', 'Unsupported authentication mechanism. (Failure)');
    const check = (payload: string): Promise<string | undefined> | string => {
      const decoded = Buffer.from(payload, 'base64').toString('utf8');
      const m = /^user=([^\x01]+)\x01auth=Bearer ([^\x01]+)\x01\x01$/.exec(decoded);
      if (!m) throw new Refusal('BAD', 'Invalid SASL argument. (Failure)');
      const user = m[1].toLowerCase();
      const store = options.mailboxes.get(user);
      if (store && options.tokens.check(user, m[2])) {
        s.user = user;
        s.store = store;
        write(`* CAPABILITY ${CAPABILITIES}\r\n`);
        return `OK ${m[1]} authenticated (Success)`;
      }
      // The error goes in a challenge; the client answers it with an empty line, then NO.
      return new Promise<string | undefined>((resolve) => {
        s.sasl = () => resolve('NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)');
        write(`+ ${XOAUTH2_ERROR}\r\n`);
      });
    };
    const initial = astring(args[1]);
    if (initial !== undefined) return check(initial);
    return new Promise<string | undefined>((resolve) => {
      s.sasl = (line) => {
        try {
          Promise.resolve(check(line.toString('latin1'))).then(resolve, (e: unknown) => resolve(e instanceof Refusal ? `${e.status} ${e.message}` : 'BAD Invalid SASL argument. (Failure)'));
        } catch (e) {
          resolve(e instanceof Refusal ? `${e.status} ${e.message}` : 'BAD Invalid SASL argument. (Failure)');
        }
      };
      write('+ \r\n');
    });
  }

  function list(store: GmailStore, name: string, args: Token[], write: (t: string | Buffer) => void): string {
    const reference = astring(args[0]) ?? '';
    const pattern = astring(args[1]);
    if (pattern === undefined) throw new SyntaxError('LIST needs a reference and a pattern');
    // RETURN options (RFC 5258) are accepted: Gmail puts its special-use attributes on every LIST.
    if (pattern === '') {
      write(`* ${name} (\\Noselect) "/" ""\r\n`);
      return 'OK Success';
    }
    const rx = new RegExp(`^${(reference + pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
    const names = store.folderNames();
    const entries = new Map<string, string[]>();
    for (const n of names) entries.set(n, []);
    entries.set('[Gmail]', ['\\Noselect']);
    for (const n of [...entries.keys()].sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a < b ? -1 : 1))) {
      if (!rx.test(n)) continue;
      const children = [...entries.keys()].some((o) => o.startsWith(`${n}/`));
      const folder = store.get(n);
      const attrs = [...(entries.get(n) ?? []), children ? '\\HasChildren' : '\\HasNoChildren', ...(folder?.specialUse ? [folder.specialUse] : [])];
      // Names in modified UTF-7: the session has not enabled UTF8=ACCEPT (the fake does not offer it).
      write(`* ${name} (${attrs.join(' ')}) "/" ${quoted(encodeMutf7(n))}\r\n`);
    }
    return 'OK Success';
  }

  function folderOf(store: GmailStore, token: Token | undefined): GmailFolder {
    const n = astring(token);
    if (n === undefined) throw new SyntaxError('mailbox name expected');
    const folder = store.get(decodeMutf7(n) ?? n);
    if (!folder) throw new Refusal('NO', `[NONEXISTENT] Unknown Mailbox: ${n} (Failure)`);
    return folder;
  }

  function status(store: GmailStore, args: Token[], write: (t: string | Buffer) => void): string {
    const folder = folderOf(store, args[0]);
    const items = args[1]?.kind === 'list' ? args[1].items.map((t) => astring(t)?.toUpperCase() ?? '') : [];
    const contents = store.contents(folder);
    const values: Record<string, number> = {
      MESSAGES: contents.length,
      RECENT: 0,
      UIDNEXT: folder.uidNext,
      UIDVALIDITY: folder.uidValidity,
      UNSEEN: contents.filter((c) => c.message.labels.has('UNREAD')).length,
    };
    const out = items.map((i) => {
      if (!(i in values)) throw new SyntaxError(`unknown STATUS item ${i}`);
      return `${i} ${values[i]}`;
    });
    write(`* STATUS ${quoted(encodeMutf7(folder.name))} (${out.join(' ')})\r\n`);
    return 'OK Success';
  }

  function select(s: Session, store: GmailStore, readOnly: boolean, args: Token[], write: (t: string | Buffer) => void): string {
    s.selected = undefined;
    const folder = folderOf(store, args[0]);
    const contents = store.contents(folder);
    write('* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing)\r\n');
    write(`* OK [PERMANENTFLAGS (${readOnly ? '' : '\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing \\*'})] Flags permitted.\r\n`);
    write(`* OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid.\r\n`);
    write(`* ${contents.length} EXISTS\r\n`);
    write('* 0 RECENT\r\n');
    write(`* OK [UIDNEXT ${folder.uidNext}] Predicted next UID.\r\n`);
    s.selected = { folder, readOnly };
    return `OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${folder.name} selected. (Success)`;
  }

  function selection(s: Session, uid: boolean, set: string | undefined): { seq: number; uid: number; message: GmailMessage }[] {
    if (!s.selected || !s.store) throw new Refusal('BAD', 'Command not allowed now.');
    if (!set) throw new SyntaxError('sequence set expected');
    const all = s.store.contents(s.selected.folder).map((c, i) => ({ seq: i + 1, ...c }));
    const picked = inSet(set, all.map((a) => (uid ? a.uid : a.seq)));
    return all.filter((a) => picked.has(uid ? a.uid : a.seq));
  }

  async function fetch(s: Session, uid: boolean, args: Token[], write: (t: string | Buffer) => void): Promise<string | undefined> {
    const setText = astring(args[0]);
    const spec = args[1];
    if (!spec) throw new SyntaxError('fetch items expected');
    const items = (spec.kind === 'list' ? spec.items : [spec]).map((t) => astring(t) ?? '');
    const wantsBody = items.some((i) => /^(BODY(\.PEEK)?\[\]|RFC822)$/i.test(i));
    if (wantsBody && bodyFault && --bodyFault.left === 0) {
      const fired = bodyFault.fired;
      bodyFault = undefined;
      options.tokens.expireAccessTokens();
      write('* BYE Session expired, please login again.\r\n');
      s.socket.end();
      fired();
      return undefined;
    }
    const rows = selection(s, uid, setText);
    if (uid && !items.some((i) => i.toUpperCase() === 'UID')) items.unshift('UID');
    const store = s.store!;
    for (const row of rows) {
      const parts: Buffer[] = [];
      let sets = false;
      for (const raw of items) {
        const item = raw.toUpperCase();
        const m = row.message;
        if (item === 'UID') parts.push(Buffer.from(`UID ${row.uid}`));
        else if (item === 'FLAGS') parts.push(Buffer.from(`FLAGS (${store.flags(m).join(' ')})`));
        else if (item === 'INTERNALDATE') parts.push(Buffer.from(`INTERNALDATE ${imapDate(m.date)}`));
        else if (item === 'RFC822.SIZE') parts.push(Buffer.from(`RFC822.SIZE ${m.raw.length}`));
        else if (item === 'X-GM-MSGID') parts.push(Buffer.from(`X-GM-MSGID ${m.msgId}`));
        else if (item === 'X-GM-THRID') parts.push(Buffer.from(`X-GM-THRID ${m.thrId}`));
        else if (item === 'X-GM-LABELS') parts.push(Buffer.from(`X-GM-LABELS (${store.imapLabels(m).map((l) => quoted(encodeMutf7(l))).join(' ')})`));
        else {
          const section = /^(BODY(?:\.PEEK)?|RFC822(?:\.HEADER)?)(?:\[([^\]]*)\])?$/.exec(item);
          if (!section) throw new SyntaxError(`fetch item ${raw} not modelled`);
          const [, kind, sec] = section;
          if (kind.startsWith('BODY') && sec === undefined) throw new SyntaxError('BODYSTRUCTURE is not modelled');
          let data: Buffer;
          let label: string;
          if (kind === 'RFC822' || sec === '') {
            data = m.raw;
            label = kind === 'RFC822' ? 'RFC822' : 'BODY[]';
            bodiesSent.set(m.msgId.toString(), (bodiesSent.get(m.msgId.toString()) ?? 0) + 1);
          } else if (kind === 'RFC822.HEADER' || sec === 'HEADER') {
            data = headerFields(m.raw, [], true);
            label = kind === 'RFC822.HEADER' ? 'RFC822.HEADER' : 'BODY[HEADER]';
          } else {
            const fields = /^HEADER\.FIELDS(\.NOT)? \((.*)\)$/.exec(sec ?? '');
            if (!fields) throw new SyntaxError(`section ${sec} not modelled`);
            data = headerFields(m.raw, fields[2].split(/\s+/).filter(Boolean), fields[1] !== undefined);
            // The response names the section as asked (fields upper-cased as imapflow expects them back).
            label = `BODY[${sec}]`;
          }
          if (kind === 'BODY' || kind === 'RFC822') sets = true;
          parts.push(Buffer.concat([Buffer.from(`${label} {${data.length}}\r\n`), data]));
        }
      }
      if (sets && !s.selected!.readOnly && row.message.labels.delete('UNREAD')) parts.push(Buffer.from(`FLAGS (${store.flags(row.message).join(' ')})`));
      write(Buffer.concat([Buffer.from(`* ${row.seq} FETCH (`), ...parts.flatMap((p, i) => (i ? [Buffer.from(' '), p] : [p])), Buffer.from(')\r\n')]));
    }
    return 'OK Success';
  }

  function search(s: Session, uid: boolean, args: Token[], write: (t: string | Buffer) => void): string {
    if (!s.selected || !s.store) throw new Refusal('BAD', 'Command not allowed now.');
    const store = s.store;
    const all = store.contents(s.selected.folder).map((c, i) => ({ seq: i + 1, ...c }));
    let i = 0;
    if (astring(args[0])?.toUpperCase() === 'CHARSET') i = 2;
    const tests: ((r: (typeof all)[number]) => boolean)[] = [];
    const seqs = all.map((a) => a.seq);
    const uids = all.map((a) => a.uid);
    while (i < args.length) {
      const key = astring(args[i++])?.toUpperCase() ?? '';
      const value = () => astring(args[i++]) ?? '';
      if (key === 'ALL') continue;
      if (key === 'UID') {
        const set = inSet(value(), uids);
        tests.push((r) => set.has(r.uid));
      } else if (/^[\d*:,]+$/.test(key)) {
        const set = inSet(key, seqs);
        tests.push((r) => set.has(r.seq));
      } else if (key === 'SEEN' || key === 'UNSEEN') tests.push((r) => r.message.labels.has('UNREAD') === (key === 'UNSEEN'));
      else if (key === 'FLAGGED' || key === 'UNFLAGGED') tests.push((r) => r.message.labels.has('STARRED') === (key === 'FLAGGED'));
      else if (key === 'X-GM-MSGID') {
        const v = value();
        tests.push((r) => r.message.msgId.toString() === v);
      } else if (key === 'X-GM-THRID') {
        const v = value();
        tests.push((r) => r.message.thrId.toString() === v);
      } else if (key === 'X-GM-LABELS') {
        const raw = value();
        const v = decodeMutf7(raw) ?? raw;
        tests.push((r) => store.imapLabels(r.message).includes(v));
      } else if (key === 'HEADER') {
        const field = value();
        const v = value().toLowerCase();
        tests.push((r) => headerFields(r.message.raw, [field], false).toString('latin1').toLowerCase().includes(v));
      } else throw new SyntaxError(`search key ${key} not modelled`);
    }
    const found = all.filter((r) => tests.every((t) => t(r))).map((r) => (uid ? r.uid : r.seq));
    write(`* SEARCH${found.map((n) => ` ${n}`).join('')}\r\n`);
    return 'OK SEARCH completed (Success)';
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bodiesSent,
    commands,
    endSessionsAtBodyFetch(n) {
      return new Promise<void>((resolve) => (bodyFault = { left: n, fired: resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
