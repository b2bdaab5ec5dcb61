// Writes opaque full-fidelity items (exported by `exportItems`) into a Microsoft 365 mailbox through
// an import session: `createImportSession` returns a pre-authenticated `importUrl` (no bearer
// token) that expires at `expirationDateTime`; each item is one POST { FolderId, Mode: 'create',
// Data }. A session close to its expiry is renewed first; one the server refuses (401/403: expired
// or revoked) is renewed and the item posted again: a refused POST created nothing, so never a
// duplicate. The import names its folder by the import/export API's own id (not the mail API's):
// found by path in that API's folder listing, listed again when a folder was made since. After the import one PATCH sets Ferry's watermark, which findWritten looks for; the
// id is handed out before it (importWatermark.ts: how a kill in between is settled).
import { graphError } from './graphErrors';
import type { GraphSession } from './graphSession';
import { exchangeMailboxPath, mailboxFolders } from './fullFidelitySource';
import { sameFolderPath } from '../exchangeFolders';
import { markImported } from './importWatermark';
import { purgeUnfinished } from './mailWrites';
import { IMMUTABLE_IDS } from './immutableIds';
import { preauthError } from './preauthHttp';

interface ImportSession {
  importUrl: string;
  expiresAt: number;
  /** Renew this long before expiresAt (a tenth of the lifetime, at most a minute). */
  marginMs: number;
}

/** How often a refused import URL is renewed for one item before giving up. */
const RENEWALS = 3;

export class ImportSessions {
  private mailboxPath: Promise<string> | undefined;
  private current: Promise<ImportSession> | undefined;
  /** The import/export API's folders with their paths, listed on demand. */
  private folderIds: Promise<{ path: string[]; id: string }[]> | undefined;
  /** Sessions created so far (tests and diagnostics read it). */
  created = 0;
  /** The clock a session's expiry is judged by (tests move it instead of waiting). */
  now: () => number = () => Date.now();

  constructor(private readonly session: GraphSession) {}

  /**
   * Imports one item into `folderId`; resolves with the new item's id. `created` hears the id as
   * soon as the import answers it, before the watermark is set (WriteHooks.created).
   */
  async importItem(folderPath: string[], folderName: string, data: Buffer, fingerprint: string, signal: AbortSignal, created?: (id: string) => void): Promise<string> {
    const body = JSON.stringify({ FolderId: await this.folderId(folderPath), Mode: 'create', Data: data.toString('base64') });
    let itemId: string | undefined;
    for (let attempt = 0; attempt <= RENEWALS && !itemId; attempt++) {
      signal.throwIfAborted();
      const s = await this.sessionFor();
      const answer = await this.session.call(`import a message into ${folderName}`, () => this.post(s.importUrl, body, signal), { sizeBytes: data.length });
      if (answer === 'expired') {
        // Refused: the next sessionFor() sees it as expired and creates a new one (once, for every writer).
        s.expiresAt = 0;
        continue;
      }
      itemId = answer;
    }
    if (!itemId) throw graphError('GRAPH-401', [this.session.mailbox, 'the import URL was refused after renewing the import session']);
    created?.(itemId);
    try {
      await markImported(this.session, itemId, fingerprint, folderName);
    } catch (err) {
      // Without its watermark the item cannot be found again: remove it so a retry starts clean.
      await purgeUnfinished(this.session, itemId).catch(() => undefined);
      throw err;
    }
    return itemId;
  }

  /** The import/export API's id of the folder at `path`; the listing is read again once when the folder is new to it. */
  private async folderId(path: string[]): Promise<string> {
    for (let fresh = false; ; fresh = true) {
      if (fresh || !this.folderIds) {
        const listed = this.mailboxPathOnce().then((mailbox) => mailboxFolders(this.session, mailbox));
        this.folderIds = listed;
        listed.catch(() => (this.folderIds = undefined));
      }
      const found = (await this.folderIds).find((f) => sameFolderPath(f.path, path));
      if (found) return found.id;
      if (fresh) throw graphError('GRAPH-ITEM-GONE', [`the folder ${path.join('/')}`, this.session.mailbox, 'not in the mailbox import/export API\'s folder listing']);
    }
  }

  private mailboxPathOnce(): Promise<string> {
    this.mailboxPath ??= exchangeMailboxPath(this.session);
    this.mailboxPath.catch(() => (this.mailboxPath = undefined));
    return this.mailboxPath;
  }

  /**
   * Whether this app may import into the mailbox: creates the import session the first import
   * then uses (so the probe costs nothing more). Rejects as the creation does (GRAPH-403 when the
   * app lacks MailboxItem.ImportExport).
   */
  async probe(): Promise<void> {
    await this.sessionFor();
  }

  /** The current session, or a new one when there is none or it is about to expire. */
  private sessionFor(): Promise<ImportSession> {
    const current = this.current;
    if (current) {
      const renewIfOld = current.then((s) => (s.expiresAt - s.marginMs > this.now() ? s : undefined));
      return renewIfOld.then((s) => {
        if (s) return current;
        if (this.current === current) this.current = undefined;
        return this.sessionFor();
      });
    }
    const created = this.create();
    this.current = created;
    created.catch(() => {
      if (this.current === created) this.current = undefined;
    });
    return created;
  }

  private async create(): Promise<ImportSession> {
    const path = await this.mailboxPathOnce();
    const started = this.now();
    const s: { importUrl?: string; expirationDateTime?: string } = await this.session.call('create an import session', (c) => c.api(`${path}/createImportSession`).post({}) as Promise<{ importUrl?: string; expirationDateTime?: string }>, { mailboxLevel: true });
    if (!s.importUrl) throw graphError('GRAPH-REQUEST', ['200', 'create an import session', 'no importUrl in the answer']);
    const expiresAt = s.expirationDateTime ? Date.parse(s.expirationDateTime) : started + 60 * 60 * 1000;
    this.created++;
    return { importUrl: s.importUrl, expiresAt, marginMs: Math.min(60_000, Math.max(0, (expiresAt - started) / 10)) };
  }

  /** One POST to the pre-authenticated URL: the new item's id, 'expired' (401/403), or a thrown error toGraphError maps. */
  private async post(url: string, body: string, signal: AbortSignal): Promise<string | 'expired'> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', prefer: IMMUTABLE_IDS }, body, signal });
    const text = await res.text();
    if (res.status === 401 || res.status === 403) return 'expired';
    let parsed: { itemId?: string; error?: { code?: string; message?: string } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // not JSON: reported below
    }
    if (res.ok && parsed.itemId) return parsed.itemId;
    if (res.ok) throw graphError('GRAPH-REQUEST', [String(res.status), 'import a message', 'no itemId in the answer']);
    throw preauthError(res, text);
  }
}
