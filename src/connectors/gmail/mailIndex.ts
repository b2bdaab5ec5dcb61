// What a Gmail mailbox holds, read once per session and shared by every label folder: each
// message's labels, date, size and Message-ID (messages.list over all mail, spam and trash
// included, then messages.get format=metadata), and what changed since a history id
// (users.history.list: messages added and deleted, labels added and removed). Google documents a
// 404 for a history id it no longer keeps: then `since` answers undefined and the caller lists
// everything again (the ids are the same, so nothing is copied twice). The mailbox's history id is
// read before the listing, so a change made while it runs is seen again by the next delta.
// The full listing keeps what it has read: when Google throttles it midway, the engine's retry
// continues where it stopped instead of spending the quota again.
import type { gmail_v1 } from '@googleapis/gmail';
import { ConnectorError } from '../types';
import type { GmailLabel } from './labelMapping';
import type { GmailSession } from './gmailSession';
import { GMAIL_UNITS } from './quotaPacer';

export interface IndexedMessage {
  id: string;
  labelIds: string[];
  date: Date;
  sizeBytes: number;
  messageId?: string;
}

export interface MailChanges {
  historyId: string;
  /** Messages added or relabelled since, as they are now. */
  changed: IndexedMessage[];
  /** Messages deleted for good since (or gone before their metadata was read). */
  deleted: string[];
}

/** Metadata reads in flight per mailbox (Gmail refuses more than a handful of concurrent requests per user). */
const PARALLEL = 4;
const PAGE = 500;

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class MailIndex {
  private labelList?: Promise<GmailLabel[]>;
  private startHistoryId?: string;
  private ids: string[] = [];
  private pageToken?: string;
  private listed = false;
  private readonly metadata = new Map<string, IndexedMessage | null>();
  private full?: { historyId: string; messages: IndexedMessage[] };
  private readonly deltas = new Map<string, Promise<MailChanges | undefined>>();

  constructor(private readonly session: GmailSession) {}

  labels(signal?: AbortSignal): Promise<GmailLabel[]> {
    this.labelList ??= (async () => {
      const api = await this.session.gmail();
      const data = await this.session.call<gmail_v1.Schema$ListLabelsResponse>('gmail', GMAIL_UNITS['users.labels.list'], 'list the labels', () => api.users.labels.list({ userId: 'me' }, { signal }), { signal });
      return (data.labels ?? []).filter((l): l is GmailLabel => typeof l.id === 'string' && typeof l.name === 'string');
    })();
    this.labelList.catch(() => (this.labelList = undefined));
    return this.labelList;
  }

  /** The mailbox's current history id (users.getProfile). */
  async historyId(signal?: AbortSignal): Promise<string> {
    const api = await this.session.gmail();
    const profile = await this.session.call<gmail_v1.Schema$Profile>('gmail', GMAIL_UNITS['users.getProfile'], 'read the mailbox profile', () => api.users.getProfile({ userId: 'me' }, { signal }), { signal });
    return String(profile.historyId ?? '');
  }

  /** Every message of the mailbox (spam and trash included) with its labels, once per session. */
  async all(signal: AbortSignal): Promise<{ historyId: string; messages: IndexedMessage[] }> {
    if (this.full) return this.full;
    this.startHistoryId ??= await this.historyId(signal);
    const api = await this.session.gmail();
    while (!this.listed) {
      signal.throwIfAborted();
      const token = this.pageToken;
      const page = await this.session.call<gmail_v1.Schema$ListMessagesResponse>('gmail', GMAIL_UNITS['users.messages.list'], 'list the messages', () => api.users.messages.list({ userId: 'me', includeSpamTrash: true, maxResults: PAGE, ...(token ? { pageToken: token } : {}) }, { signal }), { signal });
      for (const m of page.messages ?? []) if (m.id) this.ids.push(m.id);
      this.pageToken = page.nextPageToken ?? undefined;
      this.listed = !this.pageToken;
    }
    await this.readMetadata(this.ids.filter((id) => !this.metadata.has(id)), signal);
    const seen = new Set<string>();
    const messages = this.ids.filter((id) => !seen.has(id) && seen.add(id)).flatMap((id) => this.metadata.get(id) ?? []);
    this.full = { historyId: this.startHistoryId, messages };
    return this.full;
  }

  /** Labels, date, size and Message-ID of messages (format=metadata); a message gone meanwhile is null. */
  private async readMetadata(ids: readonly string[], signal: AbortSignal): Promise<void> {
    const api = await this.session.gmail();
    await inParallel(ids, PARALLEL, async (id) => {
      try {
        const m = await this.session.call<gmail_v1.Schema$Message>('gmail', GMAIL_UNITS['users.messages.get'], 'read message labels', () => api.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['Message-ID'] }, { signal }), { signal, item: { kind: 'message', id } });
        const messageId = m.payload?.headers?.find((h) => h.name?.toLowerCase() === 'message-id')?.value?.trim();
        this.metadata.set(id, { id, labelIds: m.labelIds ?? [], date: new Date(Number(m.internalDate ?? 0)), sizeBytes: m.sizeEstimate ?? 0, ...(messageId ? { messageId } : {}) });
      } catch (err) {
        if (err instanceof ConnectorError && err.code === 'GMAIL-ITEM-GONE') this.metadata.set(id, null);
        else throw err;
      }
    });
  }

  /** What changed since `historyId`; undefined when Google no longer keeps that history (404). */
  since(historyId: string, signal: AbortSignal): Promise<MailChanges | undefined> {
    let pending = this.deltas.get(historyId);
    if (!pending) {
      pending = this.readHistory(historyId, signal);
      this.deltas.set(historyId, pending);
      pending.catch(() => this.deltas.delete(historyId));
    }
    return pending;
  }

  private async readHistory(start: string, signal: AbortSignal): Promise<MailChanges | undefined> {
    const api = await this.session.gmail();
    const touched = new Set<string>();
    const deleted = new Set<string>();
    let latest = start;
    let pageToken: string | undefined;
    do {
      signal.throwIfAborted();
      const token = pageToken;
      let page: gmail_v1.Schema$ListHistoryResponse;
      try {
        page = await this.session.call<gmail_v1.Schema$ListHistoryResponse>('gmail', GMAIL_UNITS['users.history.list'], 'list the changes', () => api.users.history.list({ userId: 'me', startHistoryId: start, maxResults: PAGE, ...(token ? { pageToken: token } : {}) }, { signal }), { signal, item: { kind: 'history', id: start } });
      } catch (err) {
        if (err instanceof ConnectorError && err.code === 'GMAIL-ITEM-GONE') return undefined;
        throw err;
      }
      for (const h of page.history ?? []) {
        for (const a of h.messagesAdded ?? []) if (a.message?.id) touched.add(a.message.id);
        for (const a of [...(h.labelsAdded ?? []), ...(h.labelsRemoved ?? [])]) if (a.message?.id) touched.add(a.message.id);
        for (const d of h.messagesDeleted ?? []) if (d.message?.id) deleted.add(d.message.id);
      }
      if (page.historyId) latest = String(page.historyId);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    const ids = [...touched].filter((id) => !deleted.has(id));
    for (const id of ids) this.metadata.delete(id);
    await this.readMetadata(ids, signal);
    const changed: IndexedMessage[] = [];
    for (const id of ids) {
      const m = this.metadata.get(id);
      if (m) changed.push(m);
      else deleted.add(id);
    }
    return { historyId: latest, changed, deleted: [...deleted] };
  }
}
