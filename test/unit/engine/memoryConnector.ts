// A test-only in-memory Connector (never imported by production code): mailboxes of folders of
// raw messages, with hooks to inject failures and count calls.
import { contentFingerprint } from '../../../src/connectors/fingerprint';
import { ConnectorError, type Connector, type DestinationMailbox, type FolderCursor, type FolderInfo, type FolderRole, type ItemContent, type ItemRef, type ItemWindows, type OpenMailboxRequest, type SourceMailbox } from '../../../src/connectors/types';

export interface MemoryMessage {
  id: string;
  data: Buffer;
  date: Date;
  flags: string[];
}

export interface MemoryFolder {
  info: FolderInfo;
  messages: MemoryMessage[];
}

export type Op = 'open' | 'listFolders' | 'listItems' | 'listItemWindows' | 'nextWindow' | 'prepareReads' | 'readItem' | 'writeItem' | 'findWritten' | 'ensureFolder';

export class MemoryWorld {
  readonly mailboxes = new Map<string, Map<string, MemoryFolder>>();
  /** Return an error to throw it from an operation. */
  fail?: (op: Op, mailbox: string, detail?: string) => ConnectorError | undefined;
  /** Called before each operation resolves (tests await here to hold a mailbox open). */
  delay?: (op: Op, mailbox: string) => Promise<void>;
  readonly calls: { op: Op; mailbox: string; detail?: string }[] = [];
  private nextId = 1;
  open = 0;
  peakOpen = 0;
  /** What the destination can hold, like IMAP and Maildir's mail only (undefined: everything). */
  destinationItemTypes?: FolderInfo['itemType'][];
  /** The largest item the destination takes (undefined: no limit). */
  destinationMaxItemBytes?: number;
  /** A source whose listing cannot tell sizes (like Graph's): every listed size is 0. */
  sizesUnknown = false;
  /** Items per window of a listing a window at a time (listItemWindows, like IMAP's); undefined: the source lists whole only. */
  windowSize?: number;
  /** The source reports counts and sizes with its folders (like IMAP's LIST-STATUS with STATUS=SIZE). */
  folderSizes = false;
  /**
   * Windows of a listing the engine had fetched and not finished (not every item read) at each
   * fetch, the one fetched counted: at most 2 means it holds the window it copies and the next.
   */
  readonly windowsHeld: number[] = [];

  folder(mailbox: string, path: string[], role?: FolderRole, itemType: FolderInfo['itemType'] = 'mail'): MemoryFolder {
    let box = this.mailboxes.get(mailbox);
    if (!box) this.mailboxes.set(mailbox, (box = new Map()));
    const id = path.join('/');
    let f = box.get(id);
    if (!f) box.set(id, (f = { info: { id, path, role, itemType }, messages: [] }));
    return f;
  }

  add(mailbox: string, path: string[], subject: string, date = new Date('2026-01-10T10:00:00Z'), size = 0, itemType: FolderInfo['itemType'] = 'mail'): MemoryMessage {
    const n = this.nextId++;
    const body = `Message-ID: <m${n}@test.example>\nSubject: ${subject}\nDate: ${date.toUTCString()}\n\n${'x'.repeat(size)}body ${n}\n`;
    const m = { id: String(n), data: Buffer.from(body), date, flags: ['\\Seen'] };
    this.folder(mailbox, path, undefined, itemType).messages.push(m);
    return m;
  }

  async hook(op: Op, mailbox: string, detail?: string): Promise<void> {
    this.calls.push({ op, mailbox, detail });
    await this.delay?.(op, mailbox);
    const err = this.fail?.(op, mailbox, detail);
    if (err) throw err;
  }

  connector(): Connector {
    return { kind: 'maildir', openSource: (r) => this.openSource(r), openDestination: (r) => this.openDestination(r) };
  }

  private async opened(r: OpenMailboxRequest): Promise<() => Promise<void>> {
    await this.hook('open', r.mailbox);
    this.open++;
    this.peakOpen = Math.max(this.peakOpen, this.open);
    let closed = false;
    return async () => {
      if (!closed) this.open--;
      closed = true;
    };
  }

  async openSource(r: OpenMailboxRequest): Promise<SourceMailbox> {
    const close = await this.opened(r);
    const box = this.mailboxes.get(r.mailbox);
    if (!box) throw new ConnectorError('MAILDIR-NOT-FOUND', `no mailbox ${r.mailbox}`, 'mailbox', [r.mailbox]);
    const listing = (folder: FolderInfo, cursor: FolderCursor | undefined) => {
      const after = typeof cursor?.lastId === 'number' ? cursor.lastId : 0;
      const msgs = box.get(folder.id)!.messages.filter((m) => Number(m.id) > after);
      const items: ItemRef[] = msgs.map((m) => ({ id: m.id, sizeBytes: this.sizesUnknown ? 0 : m.data.length, date: m.date, flags: m.flags, itemType: folder.itemType, subject: /Subject: (.*)/.exec(m.data.toString())?.[1] }));
      const all = box.get(folder.id)!.messages;
      return { items, cursor: { lastId: all.length ? Math.max(...all.map((m) => Number(m.id))) : after }, reset: false };
    };
    // Per window fetched: the ids not read yet.
    const unread: Set<string>[] = [];
    const windowSize = this.windowSize;
    return {
      listFolders: async () => {
        await this.hook('listFolders', r.mailbox);
        return [...box.values()].map((f) => (this.folderSizes ? { ...f.info, itemCount: f.messages.length, sizeBytes: f.messages.reduce((sum, m) => sum + m.data.length, 0) } : f.info));
      },
      listItems: async (folder, cursor) => {
        await this.hook('listItems', r.mailbox, folder.id);
        return listing(folder, cursor);
      },
      ...(windowSize
        ? {
            listItemWindows: async (folder: FolderInfo, cursor: FolderCursor | undefined): Promise<ItemWindows> => {
              await this.hook('listItemWindows', r.mailbox, folder.id);
              const { items, cursor: next, reset } = listing(folder, cursor);
              let at = 0;
              return {
                cursor: next,
                reset,
                count: items.length,
                next: async () => {
                  await this.hook('nextWindow', r.mailbox, folder.id);
                  if (at >= items.length) return undefined;
                  const window = items.slice(at, (at += windowSize));
                  unread.push(new Set(window.map((i) => i.id)));
                  this.windowsHeld.push(unread.filter((w) => w.size > 0).length);
                  return window;
                },
              };
            },
          }
        : {}),
      // A hint (SourceMailbox.prepareReads): recorded only, so a test sees when the engine gives it.
      prepareReads: (folder) => void this.calls.push({ op: 'prepareReads', mailbox: r.mailbox, detail: folder.id }),
      readItem: async (folder, ref) => {
        for (const w of unread) w.delete(ref.id);
        await this.hook('readItem', r.mailbox, ref.id);
        const m = box.get(folder.id)?.messages.find((x) => x.id === ref.id);
        if (!m) throw new ConnectorError('MAILDIR-ITEM-GONE', 'gone', 'item', [ref.id]);
        return { format: 'rfc822', data: m.data, flags: m.flags, date: m.date } satisfies ItemContent;
      },
      close,
    };
  }

  async openDestination(r: OpenMailboxRequest): Promise<DestinationMailbox> {
    const close = await this.opened(r);
    if (!this.mailboxes.has(r.mailbox)) this.mailboxes.set(r.mailbox, new Map());
    const box = this.mailboxes.get(r.mailbox)!;
    return {
      ...(this.destinationItemTypes ? { itemTypes: this.destinationItemTypes } : {}),
      ...(this.destinationMaxItemBytes !== undefined ? { maxItemBytes: this.destinationMaxItemBytes } : {}),
      listFolders: async () => {
        await this.hook('listFolders', r.mailbox);
        return [...box.values()].map((f) => f.info);
      },
      ensureFolder: async (path, role) => {
        await this.hook('ensureFolder', r.mailbox, path.join('/'));
        // Like the real destinations: how many items the folder holds (the engine probes non-empty ones it has no record of).
        const folder = this.folder(r.mailbox, path, role);
        return { ...folder.info, itemCount: folder.messages.length };
      },
      writeItem: async (folder, content) => {
        await this.hook('writeItem', r.mailbox, folder.id);
        const m = { id: String(this.nextId++), data: content.data, date: content.date, flags: content.flags };
        box.get(folder.id)!.messages.push(m);
        // A failure injected after the write models a connection lost before the reply.
        const after = this.fail?.('writeItem', r.mailbox, 'after');
        if (after) throw after;
        return { id: m.id };
      },
      findWritten: async (folder, probe, claimed) => {
        await this.hook('findWritten', r.mailbox, folder.id);
        const m = box.get(folder.id)?.messages.find((x) => !claimed?.has(x.id) && contentFingerprint(x.data) === probe.fingerprint);
        return m ? { id: m.id } : undefined;
      },
      close,
    };
  }

  /** Messages of a mailbox folder by subject line (sorted), for assertions. */
  subjects(mailbox: string, path: string): string[] {
    return (this.mailboxes.get(mailbox)?.get(path)?.messages ?? []).map((m) => /Subject: (.*)/.exec(m.data.toString())![1]).sort();
  }
}
