// A delta's quiet check without imapflow (issue 17): one connection of our own (wireConnection.ts)
// logs in and asks every folder's facts in one LIST-STATUS (MESSAGES, SIZE, UIDVALIDITY, UIDNEXT,
// HIGHESTMODSEQ, RFC 5819 and 7162). It answers the check's questions only where those facts settle
// them: nothing after a folder's cursor (UIDNEXT), nothing changed since it (HIGHESTMODSEQ, the
// same UIDVALIDITY). Anything else throws NeedsFullSource and the delta runs on the full source.
// Servers without LIST-STATUS or CONDSTORE, Gmail, XOAUTH2 with refresh, folder names in modified
// UTF-7, a special-use flag on two folders: no probe (undefined), the delta runs as before.
import { debuglog } from 'node:util';
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, SourceMailbox } from '../../types';
import type { ImapErrorContext } from '../imapErrors';
import { folderTree, type FolderEntry } from '../imapFolders';
import { readCursor } from '../imapSource';
import type { ImapFlowOptions } from 'imapflow';
import type { ImapValue } from './responseParser';
import { LeanUnsupported, WireConnection, type UntaggedData } from './wireConnection';

const debug = debuglog('ferry-imap');

/** The probe cannot settle this question from a folder's facts: the full source must answer. */
export class NeedsFullSource extends Error {
  override readonly name = 'NeedsFullSource';
}

/** The SPECIAL-USE flags imapflow takes from LIST, in its order (one per folder: the first found). */
const SPECIAL_USE_FLAGS = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'];

interface Facts {
  uidValidity?: string;
  uidNext?: number;
  highestModseq?: string;
}

const text = (v: ImapValue | undefined): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined);

/** STATUS attributes `(MESSAGES 3 UIDNEXT 9 ...)` into a map of upper-case names. */
function statusItems(list: ImapValue | undefined): Map<string, string> {
  const items = new Map<string, string>();
  if (!Array.isArray(list)) return items;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const [name, value] = [text(list[i]), text(list[i + 1])];
    if (name && value !== undefined) items.set(name.toUpperCase(), value);
  }
  return items;
}

export class ImapQuietProbe implements SourceMailbox {
  private readonly facts = new Map<string, Facts>();

  private constructor(private readonly wire: WireConnection) {}

  /** Logs in on a connection of its own; undefined where the probe cannot tell (see the header). */
  static async open(options: ImapFlowOptions, context: ImapErrorContext): Promise<ImapQuietProbe | undefined> {
    let wire: WireConnection;
    try {
      wire = await WireConnection.open(options, context);
    } catch (error) {
      if (!(error instanceof LeanUnsupported)) throw error;
      debug('quiet probe: %s', error.message);
      return undefined;
    }
    const caps = wire.capabilities;
    const missing = ['LIST-STATUS', 'CONDSTORE'].find((c) => !caps.has(c)) ?? (caps.has('X-GM-EXT-1') ? 'not Gmail' : undefined);
    if (missing) {
      debug('quiet probe: the server lacks %s', missing);
      await wire.close();
      return undefined;
    }
    return new ImapQuietProbe(wire);
  }

  async listFolders(): Promise<FolderInfo[]> {
    const caps = this.wire.capabilities;
    const entries = new Map<string, FolderEntry>();
    const statuses = new Map<string, Map<string, string>>();
    let namespace: { prefix: string; delimiter?: string } = { prefix: '' };
    this.wire.onData = (data: UntaggedData) => {
      if (data.name === 'LIST') {
        const [flags, delimiter, name] = data.values;
        const path = text(name);
        if (path === undefined || !Array.isArray(flags)) return;
        entries.set(path, { path, delimiter: text(delimiter) ?? '', flags: new Set(flags.map((f) => text(f) ?? '')) });
      } else if (data.name === 'STATUS') {
        const path = text(data.values[0]);
        if (path !== undefined) statuses.set(path, statusItems(data.values[1]));
      } else if (data.name === 'NAMESPACE' && Array.isArray(data.values[0]) && Array.isArray(data.values[0][0])) {
        const [prefix, delimiter] = data.values[0][0];
        namespace = { prefix: text(prefix) ?? '', ...(text(delimiter) ? { delimiter: text(delimiter) } : {}) };
      }
    };
    const status = ['MESSAGES', ...(caps.has('STATUS=SIZE') ? ['SIZE'] : []), 'UIDVALIDITY', 'UIDNEXT', 'HIGHESTMODSEQ'];
    const returns = [`STATUS (${status.join(' ')})`, ...(caps.has('SPECIAL-USE') ? ['SPECIAL-USE'] : [])];
    const [ns, list] = await Promise.all([caps.has('NAMESPACE') ? this.wire.command('NAMESPACE') : undefined, this.wire.command(`LIST "" "*" RETURN (${returns.join(' ')})`)]);
    this.wire.onData = () => undefined;
    if (ns) await this.wire.expectOk(ns, 'NAMESPACE');
    await this.wire.expectOk(list, 'LIST');
    const claimed = new Set<string>();
    for (const entry of entries.values()) {
      // imapflow decodes modified UTF-7 and strips a leading delimiter: such names go the full way.
      if (/[&\u0080-\uffff]/.test(entry.path) || (entry.delimiter && entry.path.startsWith(entry.delimiter))) throw new NeedsFullSource(`folder name ${entry.path}`);
      const flag = caps.has('SPECIAL-USE') ? SPECIAL_USE_FLAGS.find((f) => entry.flags.has(f)) : undefined;
      if (flag) {
        // imapflow gives a flag to one folder only, by rules of its own: such a server goes the full way.
        if (claimed.has(flag)) throw new NeedsFullSource(`${flag} on two folders`);
        claimed.add(flag);
        entry.specialUse = flag;
        entry.specialUseSource = 'extension';
      }
      const items = statuses.get(entry.path);
      if (!items) continue;
      entry.status = { ...(items.has('MESSAGES') ? { messages: Number(items.get('MESSAGES')) } : {}), ...(items.has('SIZE') ? { size: Number(items.get('SIZE')) } : {}) };
      this.facts.set(entry.path, { uidValidity: items.get('UIDVALIDITY'), ...(items.has('UIDNEXT') ? { uidNext: Number(items.get('UIDNEXT')) } : {}), highestModseq: items.get('HIGHESTMODSEQ') });
    }
    return folderTree([...entries.values()], namespace.prefix, namespace.delimiter).folders;
  }

  /** Nothing after the cursor (UIDNEXT), with the cursor the full listing would give; else NeedsFullSource. */
  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined): Promise<ItemListing> {
    const facts = this.facts.get(folder.id);
    const previous = readCursor(cursor);
    if (!facts?.uidValidity || facts.uidNext === undefined || !previous || previous.uidValidity !== facts.uidValidity || facts.uidNext > previous.lastUid + 1) throw new NeedsFullSource(`items after the cursor of ${folder.id}`);
    return { items: [], cursor: { uidValidity: facts.uidValidity, lastUid: previous.lastUid, ...(facts.highestModseq !== undefined ? { highestModseq: facts.highestModseq } : {}) }, reset: false };
  }

  /** Nothing changed since the cursor (its HIGHESTMODSEQ, RFC 7162 3.1.2); else NeedsFullSource. */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined): Promise<FolderChanges> {
    const facts = this.facts.get(folder.id);
    const given = typeof cursor?.highestModseq === 'string' ? cursor.highestModseq : undefined;
    if (!facts?.highestModseq || given !== facts.highestModseq || readCursor(cursor)?.uidValidity !== facts.uidValidity) throw new NeedsFullSource(`changes in ${folder.id}`);
    return { items: [], removed: [], complete: false };
  }

  readItem(folder: FolderInfo): Promise<ItemContent> {
    return Promise.reject(new NeedsFullSource(`a read in ${folder.id}`));
  }

  close(): Promise<void> {
    return this.wire.close();
  }
}
