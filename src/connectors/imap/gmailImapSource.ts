// A Gmail mailbox read over IMAP with Gmail's extensions (X-GM-EXT-1). Gmail shows each message
// in one folder per label, so copying folders copies a message once per label and All Mail again
// (6 messages arrived as 11). Instead: [Gmail]/All Mail, Spam and Trash are listed once each with
// X-GM-MSGID and X-GM-LABELS; each message is placed by the Gmail label mapping (the one the Gmail
// API source uses) and the folders offered are the mapping's. An item's id is its X-GM-MSGID, so a
// message is copied once per destination folder the mapping names, whatever folders show it, and a
// rerun or delta pass finds it recorded (and copies a message labelled since into its new folder).
// A delta carries changes from the same scan: read and starred state, labels removed (a move when
// another folder gained the message), Trash, Spam and deletions, compared with what was recorded.
// Bodies are read from the [Gmail]/ folder that holds them.
import { messageIdOf } from '../fingerprint';
import { defaultGmailLabelMode, labelFolders, mapLabels, type GmailLabel, type GmailLabelMode, type MappedFolder } from '../gmail/labelMapping';
import type { FolderChanges, FolderCursor, FolderInfo, ItemListing, ItemRef } from '../types';
import { labelIdsOf, otherFlags, userLabel } from './gmailImapLabels';
import { imapError } from './imapErrors';
import { listImapFolders } from './imapFolders';
import type { ImapSession } from './imapSession';
import { ImapSource, dateOf, flagsOf } from './imapSource';

/** The [Gmail]/ folders that together hold every message once: All Mail leaves out Spam and Trash. */
const SCANNED = [
  { role: 'all', from: 'all' },
  { role: 'junk', from: 'junk' },
  { role: 'deleted', from: 'trash' },
] as const;

/** Where a message lives: its [Gmail]/ folder and UID there. */
interface Location {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

/** The Gmail cursor of a mapped folder: how far each scanned [Gmail]/ folder was listed. */
interface GmailCursor {
  gmail: { mailbox: string; uidValidity: string; lastUid: number }[];
}

export class GmailImapSource extends ImapSource {
  private readonly locations = new Map<string, Location>();
  private placed = new Map<string, { folder: MappedFolder; items: { ref: ItemRef; at: Location }[] }>();
  private scanned: { mailbox: string; uidValidity: string; lastUid: number }[] = [];

  constructor(
    session: ImapSession,
    private readonly mode: GmailLabelMode = defaultGmailLabelMode,
  ) {
    super(session);
  }

  /** Scans All Mail, Spam and Trash and returns the folders the mapping places messages in. */
  override async listFolders(): Promise<FolderInfo[]> {
    const tree = await this.session.run('LIST', {}, listImapFolders);
    // User labels are the folders outside [Gmail]/ (INBOX is a system label).
    const labels: GmailLabel[] = tree.folders.filter((f) => f.role !== 'inbox' && f.path[0] !== '[Gmail]' && f.path[0] !== '[Google Mail]').map((f) => userLabel(f.id));
    this.placed = new Map(labelFolders(labels).map((folder) => [folder.key, { folder, items: [] }]));
    this.locations.clear();
    this.scanned = [];
    for (const { role, from } of SCANNED) {
      const box = tree.folders.find((f) => f.role === role && (f.path[0] === '[Gmail]' || f.path[0] === '[Google Mail]'));
      if (!box) {
        if (role === 'all') throw imapError('IMAP-NOMAILBOX', ['[Gmail]/All Mail', this.session.context.host, 'the server announces X-GM-EXT-1 but lists no \\All folder (IMAP access to All Mail may be hidden in Gmail settings > Labels)'], 'mailbox');
        continue;
      }
      await this.scan(box.id, from, labels);
    }
    return [...this.placed.values()].map(({ folder, items }) => ({ id: folder.key, path: folder.path, ...(folder.role ? { role: folder.role } : {}), itemType: 'mail' as const, itemCount: items.length, sizeBytes: items.reduce((s, i) => s + i.ref.sizeBytes, 0) }));
  }

  private async scan(mailbox: string, from: 'all' | 'junk' | 'trash', labels: GmailLabel[]): Promise<void> {
    await this.session.inFolder(mailbox, true, `FETCH X-GM-LABELS in ${mailbox}`, async (client) => {
      const box = client.mailbox;
      if (!box) throw imapError('IMAP-NOMAILBOX', [mailbox, this.session.context.host, 'not selected']);
      const uidValidity = box.uidValidity.toString();
      let lastUid = 0;
      if (box.exists > 0) {
        const fetched = await client.fetchAll('1:*', { uid: true, flags: true, internalDate: true, size: true, labels: true, headers: ['message-id'] }, { uid: true });
        fetched.sort((a, b) => a.uid - b.uid);
        for (const msg of fetched) {
          lastUid = Math.max(lastUid, msg.uid);
          const msgId = msg.emailId;
          // Gmail gives every message its X-GM-MSGID; one seen already (in All Mail) is the same message.
          if (!msgId || this.locations.has(msgId)) continue;
          const at = { mailbox, uidValidity, uid: msg.uid };
          this.locations.set(msgId, at);
          const flags = flagsOf(msg.flags);
          const placement = mapLabels(labelIdsOf({ labels: msg.labels ?? [], flags, from }), labels, this.mode);
          const messageId = msg.headers ? messageIdOf(msg.headers) : undefined;
          const ref: ItemRef = { id: msgId, sizeBytes: msg.size ?? 0, date: dateOf(msg.internalDate), flags: [...placement.flags, ...otherFlags(flags), ...placement.keywords], itemType: 'mail', ...(messageId ? { messageId } : {}) };
          for (const folder of placement.folders) {
            const slot = this.placed.get(folder.key) ?? { folder, items: [] };
            slot.items.push({ ref, at });
            this.placed.set(folder.key, slot);
          }
        }
      }
      this.scanned.push({ mailbox, uidValidity, lastUid });
    }, { fresh: true });
  }

  /**
   * A delta's changes of a label folder: every message the mapping places there now, with the flags
   * and keywords it gives them (a flags scan, `complete`). listFolders scanned All Mail, Spam and
   * Trash with FLAGS and X-GM-LABELS in this pass anyway, so this asks the server nothing. A
   * recorded message missing from the folder has left it: a label removed (paired by the engine
   * with the folder that gained it, a move), moved to Trash or Spam (their mapped folders), or
   * deleted for good (then `options.delta.deletions` decides). Read, starred and keyword changes
   * are flag changes of the placed refs.
   */
  protected override async changesOf(folder: FolderInfo, _cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    signal.throwIfAborted();
    return { items: (this.placed.get(folder.id)?.items ?? []).map((i) => i.ref), removed: [], complete: true };
  }

  /**
   * Every message the mapping places in the folder now. listFolders scanned the whole mailbox
   * anyway, and an X-GM-MSGID is stable whatever the UIDs: the engine skips what it recorded, so a
   * message labelled since the last pass is copied into its new folder, and a renumbered [Gmail]/
   * folder changes nothing. The cursor records how far each [Gmail]/ folder was seen.
   */
  override async listItems(folder: FolderInfo, _cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    signal.throwIfAborted();
    const items = (this.placed.get(folder.id)?.items ?? []).map((i) => i.ref);
    this.listed.set(folder.id, items);
    const next: GmailCursor = { gmail: this.scanned.map((s) => ({ ...s })) };
    return { items, cursor: { ...next }, reset: false };
  }

  protected override locate(_folder: FolderInfo, ref: ItemRef): Location | undefined {
    return this.locations.get(ref.id);
  }

  /** Label folders are placed from the scan of All Mail, Spam and Trash, listed whole. */
  protected override listsInWindows(): boolean {
    return false;
  }

  /** The flags the mapping gave at listing time (labels as flags and keywords), not the raw IMAP flags. */
  protected override contentFlags(ref: ItemRef): string[] {
    return ref.flags;
  }
}
