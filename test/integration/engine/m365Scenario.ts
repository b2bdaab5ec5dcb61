// The delta scenario (deltaScenario.ts) with a Microsoft 365 mailbox of the fake: its state
// (Inbox -> INBOX, Recoverable Items\Deletions by that name, other folders by display name;
// messages by Message-ID, as Microsoft 365 rebuilds a message from its MIME, with their read and
// flag state), and a source mailbox changed as Outlook would change it, through Graph.
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import type { DestinationMailbox, FolderInfo } from '../../../src/connectors/types';
import type { TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { entry, type MailboxState } from './deltaScenario';

export function m365State(t: TestTenant, user: string): MailboxState {
  const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id);
  const state: MailboxState = new Map();
  for (const m of box.messages) {
    const folder = box.folders.find((f) => f.id === m.folderId)!;
    const name = folder.wellKnownName === 'inbox' ? 'INBOX' : folder.wellKnownName === 'recoverableitemsdeletions' ? 'Recoverable Items/Deletions' : folder.displayName;
    const flags = [...(m.isRead ? ['\\Seen'] : []), ...(m.flagStatus === 'flagged' ? ['\\Flagged'] : [])];
    state.set(name, [...(state.get(name) ?? []), entry(m.internetMessageId, flags)].sort());
  }
  return state;
}

/** A Microsoft 365 source mailbox for the scenario: 30 unread messages in Inbox, 5 read ones in Archive. */
export interface M365Source {
  writer: DestinationMailbox;
  inbox: FolderInfo;
  archive: FolderInfo;
  /** The messages' ids, Inbox's first; `base + i` numbers message i. */
  ids: string[];
  base: number;
}

const signal = new AbortController().signal;

export async function m365Source(t: TestTenant, user: string, base: number): Promise<M365Source> {
  const writer = await m365Connector.openDestination(t.request(user));
  const [inbox, archive] = [await writer.ensureFolder(['INBOX'], 'inbox'), await writer.ensureFolder(['Archive'], 'archive')];
  const ids: string[] = [];
  for (let i = 0; i < 35; i++) {
    const m = plainMessage(base + i);
    ids.push((await writer.writeItem(i < 30 ? inbox : archive, { format: 'rfc822', data: m.raw, flags: i < 30 ? [] : ['\\Seen'], date: m.date }, signal)).id);
  }
  return { writer, inbox, archive, ids, base };
}

/** Outlook's changes, through Graph: read 10, flag 5, move 7 to Archive, delete 3, 4 new (read). Returns the deleted messages' entries. */
export async function changeM365Source(s: M365Source): Promise<string[]> {
  const w = s.writer;
  for (const id of s.ids.slice(0, 10)) await w.setFlags!(s.inbox, id, ['\\Seen'], signal);
  for (const id of s.ids.slice(10, 15)) await w.setFlags!(s.inbox, id, ['\\Flagged'], signal);
  for (const id of s.ids.slice(15, 22)) await w.moveItem!(s.inbox, id, s.archive, signal);
  for (const id of s.ids.slice(22, 25)) await w.deleteItem!(s.inbox, id, signal);
  for (let i = 0; i < 4; i++) {
    const m = plainMessage(s.base + 100 + i);
    await w.writeItem(s.inbox, { format: 'rfc822', data: m.raw, flags: ['\\Seen'], date: m.date }, signal);
  }
  return [22, 23, 24].map((i) => entry(plainMessage(s.base + i).messageId!, []));
}
