// Writes opaque full-fidelity items (exported by `exportItems`) into a Microsoft 365 mailbox through
// an import session: `createImportSession` returns a pre-authenticated `importUrl` (no bearer
// token) that expires at `expirationDateTime`; each item is one POST { FolderId, Mode: 'create',
// Data }. A session close to its expiry is renewed first; one the server refuses (401/403: expired
// or revoked) is renewed and the item posted again: a refused POST created nothing, so never a
// duplicate. Each item is imported into a hidden staging folder of its writer slot, then found
// there through Graph's mail API, marked with Ferry's watermark and moved to its folder
// (importStaging.ts: why, and how a kill at any point is settled). The import names the staging
// folder by the import/export API's own folder id, found by name in that API's folder listing
// (MailboxFolder.Read.All, besides MailboxItem.ImportExport.All: the probe asks both).
import { graphError } from './graphErrors';
import type { GraphSession } from './graphSession';
import { exchangeMailboxPath } from './fullFidelitySource';
import { ImportStaging } from './importStaging';
import { IMMUTABLE_IDS } from './immutableIds';
import { allPages } from './m365Folders';
import { withMailboxApiPermission } from './mailboxApiPermissions';
import { preauthError } from './preauthHttp';
import { ConnectorError, type FolderInfo, type WrittenItem } from '../types';

interface ImportSession {
  importUrl: string;
  expiresAt: number;
  /** Renew this long before expiresAt (a tenth of the lifetime, at most a minute). */
  marginMs: number;
}

/** Whether a failed import POST was answered with a refusal (nothing made), not cut off or failed on the server's side. */
const refusedOutright = (err: unknown) => err instanceof ConnectorError && (err.code === 'GRAPH-429' || (err.disposition !== 'transient' && !err.code.startsWith('M365-')));

/** How often a refused import URL is renewed for one item before giving up. */
const RENEWALS = 3;

export class ImportSessions {
  private mailboxPath: Promise<string> | undefined;
  private current: Promise<ImportSession> | undefined;
  /** The import/export API's ids of the staging folders, by name. */
  private readonly apiFolderIds = new Map<string, string>();
  readonly staging: ImportStaging;
  /** Sessions created so far (tests and diagnostics read it). */
  created = 0;
  /** The clock a session's expiry is judged by (tests move it instead of waiting). */
  now: () => number = () => Date.now();

  constructor(private readonly session: GraphSession) {
    this.staging = new ImportStaging(session);
  }

  /**
   * Imports one item into `target` (through a staging folder); resolves with its message id.
   * `created` hears the staging folder's handle before the import is sent (WriteHooks.created).
   */
  async importItem(target: FolderInfo, data: Buffer, fingerprint: string, signal: AbortSignal, created?: (handle: string) => void): Promise<WrittenItem> {
    const slot = await this.staging.take();
    // Until the POST is sent nothing can land; after a refusal the server says nothing did.
    let empty = true;
    try {
      const folderId = await this.apiFolderId(slot.name).catch(async (err: unknown) => {
        if (!(err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE')) throw err;
        await this.staging.unhide(slot);
        return this.apiFolderId(slot.name);
      });
      created?.(ImportStaging.handle(slot));
      const body = JSON.stringify({ FolderId: folderId, Mode: 'create', Data: data.toString('base64') });
      let imported = false;
      for (let attempt = 0; attempt <= RENEWALS && !imported; attempt++) {
        signal.throwIfAborted();
        const s = await this.sessionFor();
        empty = false;
        const answer = await this.session.call(`import a message into ${target.path.join('/')}`, () => this.post(s.importUrl, body, signal), { sizeBytes: data.length }).catch((err: unknown) => {
          empty = refusedOutright(err);
          throw err;
        });
        if (answer === 'expired') {
          empty = true;
          // Refused: the next sessionFor() sees it as expired and creates a new one (once, for every writer).
          s.expiresAt = 0;
          continue;
        }
        imported = true;
      }
      if (!imported) throw graphError('GRAPH-401', [this.session.mailbox, 'the import URL was refused after renewing the import session']);
      // The answer's itemId is the import/export API's own: the item is found in the staging folder instead.
      const written = await this.staging.finish(slot, target, fingerprint);
      if (!written) throw graphError('GRAPH-REQUEST', ['200', `import a message into ${target.path.join('/')}`, `the import answered, but the staging folder ${slot.name} holds no new item`]);
      empty = true;
      return written;
    } finally {
      this.staging.release(slot, empty);
    }
  }

  /** The import/export API's id of a staging folder (at the top of the tree), listed when new. */
  private async apiFolderId(name: string): Promise<string> {
    let id = this.apiFolderIds.get(name);
    if (id) return id;
    await this.listApiFolders();
    id = this.apiFolderIds.get(name);
    if (!id) throw graphError('GRAPH-ITEM-GONE', [`the folder ${name}`, this.session.mailbox, "not in the mailbox import/export API's folder listing"]);
    return id;
  }

  /** The import/export API's top folders, by name (GRAPH-403-FF without MailboxFolder.Read.All). */
  private async listApiFolders(): Promise<void> {
    const path = await this.mailboxPathOnce();
    const folders = await withMailboxApiPermission(this.session, 'folders', 'find the staging folders', () => allPages<{ id: string; displayName: string }>(this.session, 'list folders', `${path}/folders?$top=100`));
    for (const f of folders) this.apiFolderIds.set(f.displayName, f.id);
  }

  private mailboxPathOnce(): Promise<string> {
    this.mailboxPath ??= exchangeMailboxPath(this.session);
    this.mailboxPath.catch(() => (this.mailboxPath = undefined));
    return this.mailboxPath;
  }

  /**
   * Whether this app may import into the mailbox: creates the import session the first import
   * then uses, and lists the folders a staging folder is found among (so the probe costs one
   * listing more). Rejects as they do: GRAPH-403 when the app lacks MailboxItem.ImportExport,
   * GRAPH-403-FF when it lacks MailboxFolder.Read.All.
   */
  async probe(): Promise<void> {
    await this.sessionFor();
    await this.listApiFolders();
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
