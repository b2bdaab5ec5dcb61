// What a running pass has told us through the runner's events, applied on top of the last store
// snapshot until the pass ends and the store is read again. Pure; returns what changed so the views
// refresh only those nodes.
import type { EngineEvent } from '../engine/events';
import type { BatchStatistics, ItemStatistics } from '../engine/statistics';
import { statusLabels, type BatchStatus, type ItemStatus, type PassKind } from '../engine/statuses';
import type { PassSummary } from '../engine/summary';

export interface RunError {
  code: string;
  message: string;
  folder?: string;
  at?: string;
}

export interface LiveItem {
  status?: ItemStatus;
  lastError?: { code: string; message: string };
  /** Copied by this pass (on top of what the store had before it). */
  itemsDone: number;
  bytesDone: number;
  itemsTotal: number;
  folder?: string;
  errors: RunError[];
  /** When the runner first said something of this mailbox in this pass (its time left runs from here). */
  startedAt?: number;
  /** What the runner said of this mailbox in this pass, oldest first (the last LOG_LINES_KEPT lines). */
  log: LogLine[];
}

export interface LogLine {
  at: number;
  text: string;
  code?: string;
}

/** Lines of a mailbox's live log kept while a pass runs. */
export const LOG_LINES_KEPT = 300;

function logLine(item: LiveItem, at: number, text: string, code?: string): void {
  item.log.push({ at, text, ...(code ? { code } : {}) });
  if (item.log.length > LOG_LINES_KEPT) item.log.splice(0, item.log.length - LOG_LINES_KEPT);
}

export interface ThroughputSample {
  /** Milliseconds since the epoch. */
  t: number;
  /** Items and bytes copied so far by the pass. */
  items: number;
  bytes: number;
}

export interface LiveState {
  passId?: number;
  kind?: PassKind;
  startedAt: number;
  mailboxes: number;
  /** Mailboxes of the pass per batch (its percent and time left count these). */
  perBatch: Map<string, number>;
  batches: Map<string, BatchStatus>;
  items: Map<string, LiveItem>;
  /** Fresh statistics of a batch the pass has finished (from its `statistics` event). */
  statistics: Map<string, { batch: BatchStatistics; items: ItemStatistics[] }>;
  samples: ThroughputSample[];
  /** The pass is over (its summary, when the runner sent one). */
  done: boolean;
  ended?: PassSummary;
}

export interface LiveChange {
  batches: Set<string>;
  items: Set<string>;
  /** The pass started or ended: the project's own node and the status bar change. */
  pass: boolean;
}

export const itemKey = (batch: string, source: string) => `${batch}\u0000${source}`;

export function newLiveState(now: number): LiveState {
  return { startedAt: now, mailboxes: 0, perBatch: new Map(), batches: new Map(), items: new Map(), statistics: new Map(), samples: [], done: false };
}

function itemOf(state: LiveState, batch: string, source: string): LiveItem {
  const key = itemKey(batch, source);
  let item = state.items.get(key);
  if (!item) {
    item = { itemsDone: 0, bytesDone: 0, itemsTotal: 0, errors: [], log: [] };
    state.items.set(key, item);
  }
  return item;
}

/** Samples at most every 250 ms keep the throughput chart small over a long pass. */
const sampleEveryMs = 250;

function sample(state: LiveState, now: number): void {
  let items = 0;
  let bytes = 0;
  for (const i of state.items.values()) {
    items += i.itemsDone;
    bytes += i.bytesDone;
  }
  const last = state.samples[state.samples.length - 1];
  if (last && now - last.t < sampleEveryMs) {
    last.items = items;
    last.bytes = bytes;
  } else state.samples.push({ t: now, items, bytes });
}

export function applyEvent(state: LiveState, event: EngineEvent, now: number): LiveChange {
  const change: LiveChange = { batches: new Set(), items: new Set(), pass: false };
  switch (event.type) {
    case 'passStarted':
      state.passId = event.passId;
      state.kind = event.kind;
      state.mailboxes = event.items;
      state.perBatch = new Map(Object.entries(event.perBatch ?? (event.batches.length === 1 ? { [event.batches[0]]: event.items } : {})));
      state.samples.push({ t: now, items: 0, bytes: 0 });
      change.pass = true;
      event.batches.forEach((b) => change.batches.add(b));
      break;
    case 'batchStatus':
      state.batches.set(event.batch, event.status);
      change.batches.add(event.batch);
      break;
    case 'itemStatus': {
      const item = itemOf(state, event.batch, event.item);
      if (item.status !== event.status) logLine(item, now, `${statusLabels[event.status]}${event.code ? `: ${event.code} ${event.message ?? ''}` : ''}`, event.code);
      item.status = event.status;
      if (event.code) item.lastError = { code: event.code, message: event.message ?? '' };
      change.items.add(itemKey(event.batch, event.item));
      change.batches.add(event.batch);
      break;
    }
    case 'progress': {
      const item = itemOf(state, event.batch, event.item);
      item.startedAt ??= now;
      if (event.folder !== undefined && event.folder !== item.folder) logLine(item, now, `Folder ${event.folder}: ${event.itemsDone.toLocaleString('en-US')} of ${event.itemsTotal.toLocaleString('en-US')} items done`);
      Object.assign(item, { itemsDone: event.itemsDone, bytesDone: event.bytesDone, itemsTotal: event.itemsTotal, folder: event.folder });
      sample(state, now);
      change.items.add(itemKey(event.batch, event.item));
      change.batches.add(event.batch);
      break;
    }
    case 'error': {
      const item = itemOf(state, event.batch, event.item);
      item.errors.push({ code: event.code, message: event.message, folder: event.folder, at: new Date(now).toISOString() });
      logLine(item, now, `${event.code} ${event.message}${event.folder ? ` (${event.folder})` : ''}`, event.code);
      change.items.add(itemKey(event.batch, event.item));
      change.batches.add(event.batch);
      break;
    }
    case 'notice':
      logLine(itemOf(state, event.batch, event.item), now, `${event.code} ${event.message}`, event.code);
      change.items.add(itemKey(event.batch, event.item));
      break;
    case 'statistics':
      state.statistics.set(event.batch.name, { batch: event.batch, items: event.items });
      change.batches.add(event.batch.name);
      event.items.forEach((i) => change.items.add(itemKey(i.batch, i.source)));
      break;
    case 'passEnded':
      state.ended = event.summary;
      state.done = true;
      sample(state, now);
      change.pass = true;
      break;
  }
  return change;
}
