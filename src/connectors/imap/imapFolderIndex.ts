// What a destination folder holds, for finding messages an earlier pass wrote although the store
// does not know it (a lost or moved state folder, a cut write): Message-ID, size and internal date
// of every message, fetched once per folder in one command and then only for UIDs above the last
// one seen, instead of a SEARCH per message (a SEARCH HEADER reads every message's header on
// servers without a search index: quadratic over a folder). A new UIDVALIDITY starts it again.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { messageIdOf } from '../fingerprint';

interface Entry {
  uid: number;
  date: number;
}

const DAY = 24 * 60 * 60 * 1000;

export class ImapFolderIndex {
  private readonly byMessageId = new Map<string, number[]>();
  private readonly bySize = new Map<number, Entry[]>();
  private readonly sizes = new Map<number, number>();
  /** The UIDNEXT up to which messages are indexed. */
  private nextUid = 1;

  private constructor(readonly uidValidity: bigint) {}

  /**
   * The index of the selected folder, brought up to date: `previous` when UIDVALIDITY is unchanged
   * (only new UIDs fetched), else built anew. Undefined when the server does not say UIDNEXT.
   */
  static async current(client: ImapFlow, previous: ImapFolderIndex | undefined): Promise<ImapFolderIndex | undefined> {
    const box = client.mailbox;
    if (!box || box.uidNext === undefined) return undefined;
    const index = previous && previous.uidValidity === box.uidValidity ? previous : new ImapFolderIndex(box.uidValidity);
    if (box.uidNext > index.nextUid && box.exists > 0) {
      // `N:*` also names the highest UID when it is below N: only UIDs from N on are new.
      for await (const msg of client.fetch(`${index.nextUid}:*`, { uid: true, size: true, internalDate: true, headers: ['message-id'] }, { uid: true })) {
        if (msg.uid >= index.nextUid) index.add(msg);
      }
    }
    index.nextUid = Math.max(index.nextUid, box.uidNext);
    return index;
  }

  private add(msg: FetchMessageObject): void {
    const id = msg.headers ? messageIdOf(Buffer.concat([msg.headers, Buffer.from('\r\n')])) : undefined;
    if (id) {
      const key = id.toLowerCase();
      const list = this.byMessageId.get(key);
      if (list) list.push(msg.uid);
      else this.byMessageId.set(key, [msg.uid]);
    }
    if (msg.size !== undefined) {
      this.sizes.set(msg.uid, msg.size);
      const date = msg.internalDate instanceof Date ? msg.internalDate.getTime() : Date.parse(String(msg.internalDate ?? ''));
      const list = this.bySize.get(msg.size);
      const entry = { uid: msg.uid, date: Number.isNaN(date) ? 0 : date };
      if (list) list.push(entry);
      else this.bySize.set(msg.size, [entry]);
    }
  }

  /** The size of a message indexed (RFC822.SIZE). */
  sizeOf(uid: number): number | undefined {
    return this.sizes.get(uid);
  }

  /** UIDs with this Message-ID (compared as SEARCH HEADER does: without regard to case). */
  withMessageId(messageId: string): number[] {
    return [...(this.byMessageId.get(messageId.toLowerCase()) ?? [])];
  }

  /** UIDs of exactly this size whose internal date is within two days of `date` (time zones, day rounding). */
  withSizeNear(sizeBytes: number, date: Date): number[] {
    const at = date.getTime();
    return (this.bySize.get(sizeBytes) ?? []).filter((e) => Math.abs(e.date - at) <= 2 * DAY).map((e) => e.uid);
  }
}
