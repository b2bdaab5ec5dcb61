// Helpers for connector tests: open requests for an endpoint, a minimal copy loop (what the engine
// does, without its store), and a snapshot of a mailbox to compare two sides.
import type { AuthSettings, PlanEndpoint } from '../../../src/plan/model';
import * as assert from 'node:assert/strict';
import { ConnectorError, type DestinationMailbox, type FolderInfo, type OpenMailboxRequest, type SourceMailbox } from '../../../src/connectors/types';
import { toCrlf } from '../../../src/connectors/fingerprint';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const signal = () => new AbortController().signal;

/** An open request for a `maildir` endpoint at `dir`. */
export function maildirRequest(planDir: string, dir: string, mailbox: string, layout: 'maildir++' | 'fs' = 'maildir++'): OpenMailboxRequest {
  const endpoint: PlanEndpoint = { name: 'md', type: 'maildir', settings: { type: 'maildir', path: dir, layout }, nameRange: range };
  return { endpoint, planDir, mailbox, credentials: { secrets: new Map() }, signal: signal() };
}

/** An open request for an `imap` endpoint with the given auth and secret values. */
export function imapRequest(host: string, port: number, mailbox: string, auth: AuthSettings | undefined, secrets: Record<string, string>, settings: Record<string, unknown> = {}): OpenMailboxRequest {
  const endpoint: PlanEndpoint = { name: 'imap', type: 'imap', settings: { type: 'imap', host, port, security: 'none', ...settings }, nameRange: range };
  return { endpoint, planDir: '/', mailbox, credentials: { ...(auth ? { auth } : {}), secrets: new Map(Object.entries(secrets)) }, signal: signal() };
}

/**
 * IMAP sides of a test server, opened as a user with a password (the server's port read when
 * called); `open` collects them for the test's afterEach to close.
 */
export function imapSides(port: () => number) {
  const open: (SourceMailbox | DestinationMailbox)[] = [];
  const as = (user: string, password: string, settings: Record<string, unknown> = {}) =>
    imapRequest('127.0.0.1', (settings.port as number | undefined) ?? port(), user, { username: user, password: { secret: 'PW' } }, { PW: password }, settings);
  const keep = <T extends SourceMailbox | DestinationMailbox>(side: T): T => (open.push(side), side);
  return {
    open,
    as,
    source: async (user = 'alice', password = 'alice-pw') => keep(await imapConnector.openSource(as(user, password))),
    destination: async (user = 'bob', password = 'bob-pw') => keep(await imapConnector.openDestination(as(user, password))),
  };
}

/** The ConnectorError `work` rejects with (fails the test when it resolves or rejects otherwise). */
export async function connectorRejection(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof ConnectorError, String(err));
    return err;
  }
  assert.fail('expected a ConnectorError');
}

/** Copies every folder and item from source to destination; returns items copied per folder path. */
export async function copyMailbox(source: SourceMailbox, destination: DestinationMailbox): Promise<Map<string, number>> {
  const copied = new Map<string, number>();
  for (const folder of await source.listFolders()) {
    const target = await destination.ensureFolder(folder.path, folder.role);
    const listing = await source.listItems(folder, undefined, signal());
    for (const ref of listing.items) await destination.writeItem(target, await source.readItem(folder, ref, signal()), signal());
    copied.set(folder.path.join('/'), listing.items.length);
  }
  return copied;
}

/** One message as compared across sides. */
export interface MessageSnapshot {
  /** Content with CRLF line endings (IMAP servers rewrite LF), latin1 for a byte-exact string. */
  content: string;
  flags: string[];
  date: number;
}

/** Every folder's messages, sorted by content so the two sides line up. */
export async function snapshot(source: SourceMailbox, options: { exactBytes?: boolean; dropFlags?: readonly string[] } = {}): Promise<Map<string, MessageSnapshot[]>> {
  const out = new Map<string, MessageSnapshot[]>();
  const folders: FolderInfo[] = await source.listFolders();
  for (const folder of folders) {
    const listing = await source.listItems(folder, undefined, signal());
    const messages: MessageSnapshot[] = [];
    for (const ref of listing.items) {
      const item = await source.readItem(folder, ref, signal());
      const content = (options.exactBytes ? item.data : toCrlf(item.data)).toString('latin1');
      messages.push({ content, flags: item.flags.filter((f) => !(options.dropFlags ?? []).includes(f)).sort(), date: item.date.getTime() });
    }
    // Identical messages (the same mail filed twice) are told apart by their flags and dates.
    const key = (m: MessageSnapshot) => `${m.content}\0${m.flags.join(' ')}\0${m.date}`;
    messages.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    out.set(folder.path.join('/'), messages);
  }
  return out;
}
