// Errors that runs recorded, as findings in the plan: on the mailbox's line (or its CSV line), on
// the batch's name when the whole batch is concerned, on the endpoint's name when it is the
// endpoint that fails every mailbox. Pure: the VS Code layer turns them into diagnostics of the
// 'ferry-runs' collection and offers their fixes.
import type { Range, Severity } from '../plan/diagnostic';
import type { PlanEndpoint } from '../plan/model';
import { getEntry } from '../errors/catalog';
import { count, itemLabel } from './format';
import { isFailedItem, type BatchView, type ItemView, type ProjectView } from './projectView';
import type { LineSpan } from './outlineTypes';

export interface RunFinding {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  target: { kind: 'item' | 'batch' | 'endpoint'; batch?: string; item?: string; endpoint?: string };
  /** Facts the fixes need. */
  data: {
    planFile: string;
    status?: string;
    mailboxes?: string[];
    /** The item entry's plan lines, the batch's `items:` line and how many items the batch lists. */
    itemLines?: LineSpan;
    itemsKeyLine?: number;
    batchItems?: number;
    csv?: boolean;
    /** A secret the failing login used (for "Set Secret"). */
    secret?: string;
  };
}

/** Codes about an endpoint as a whole: reported once on it, not on every mailbox. */
const endpointCodes = new Set(['IMAP-CONNECT', 'IMAP-TLS', 'ENG-050', 'ENG-051']);
/** Codes about a batch as a whole. */
const batchCodes = new Set(['ENG-060', 'ENG-031']);
/** Operator decisions, not problems. */
const quietCodes = new Set(['ENG-061']);

const severityOf = (code: string, fallback: Severity): Severity => getEntry(code)?.severity ?? fallback;

function itemSeverity(i: ItemView): Severity {
  if (isFailedItem(i)) return 'error';
  if (i.status === 'ConfirmationRequired' || i.status === 'FinishedWithErrors') return 'warning';
  return severityOf(i.lastError!.code, 'warning');
}

/** The endpoint a message is about: the one whose host, path or secret it names; else the source. */
function endpointFor(view: ProjectView, batch: BatchView, message: string): PlanEndpoint | undefined {
  const names = [batch.plan?.source, batch.plan?.destination].filter((n): n is string => !!n);
  const endpoints = (view.outline?.endpoints ?? []).filter((e) => names.includes(e.name));
  const mentioned = endpoints.find((e) => Object.values(e.settings).some((v) => typeof v === 'string' && v.length > 2 && message.includes(v)) || (e.auth?.password && message.includes(e.auth.password.secret)));
  return mentioned ?? endpoints.find((e) => e.name === batch.plan?.source);
}

function secretOf(view: ProjectView, batch: BatchView): string | undefined {
  const endpoint = view.outline?.endpoints.find((e) => e.name === batch.plan?.source);
  return endpoint?.auth?.password?.secret;
}

function itemFinding(view: ProjectView, batch: BatchView, i: ItemView, code: string, message: string, severity: Severity): RunFinding | undefined {
  const origin = i.plan?.origin;
  const range = origin?.range ?? batch.plan?.nameRange;
  if (!range) return undefined;
  return {
    file: origin?.file ?? view.planFile,
    range,
    severity,
    code,
    message,
    target: { kind: 'item', batch: batch.name, item: i.source },
    data: { planFile: view.planFile, status: i.status, itemLines: i.plan?.lines, itemsKeyLine: batch.plan?.itemsList?.keyLine, batchItems: batch.plan?.items.length, csv: origin?.kind === 'csv', secret: code === 'IMAP-AUTH' ? secretOf(view, batch) : undefined },
  };
}

export function runFindings(view: ProjectView): RunFinding[] {
  const findings: RunFinding[] = [];
  const grouped = new Map<string, { endpoint?: PlanEndpoint; batch?: BatchView; code: string; message: string; mailboxes: string[]; severity: Severity }>();
  for (const batch of view.batches) {
    for (const i of batch.items) {
      // A mailbox taken out of the plan is no longer the plan's problem (the tree still lists it).
      if (!i.plan) continue;
      const last = i.lastError && !quietCodes.has(i.lastError.code) && !(i.status === 'Completed' || i.status === 'Resynced') ? i.lastError : undefined;
      if (last && (endpointCodes.has(last.code) || batchCodes.has(last.code))) {
        const endpoint = endpointCodes.has(last.code) ? endpointFor(view, batch, last.message) : undefined;
        const key = endpoint ? `e|${endpoint.name}|${last.code}` : `b|${batch.name}|${last.code}`;
        const group = grouped.get(key) ?? { endpoint, batch: endpoint ? undefined : batch, code: last.code, message: last.message, mailboxes: [], severity: isFailedItem(i) ? 'error' : severityOf(last.code, 'warning') };
        group.mailboxes.push(i.source);
        grouped.set(key, group);
      } else if (last) {
        const f = itemFinding(view, batch, i, last.code, `${itemLabel(i)}: ${last.message}`, itemSeverity(i));
        if (f) findings.push(f);
      }
      const byCode = new Map<string, typeof i.errors>();
      for (const e of i.errors) if (!(last && e.code === last.code && e.message === last.message)) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
      for (const [code, errors] of byCode) {
        const folders = [...new Set(errors.map((e) => e.folder).filter(Boolean))];
        const f = itemFinding(view, batch, i, code, `${count(errors.length, 'item')} not copied${folders.length ? ` (${folders.join(', ')})` : ''}: ${errors[0].message}`, 'warning');
        if (f) findings.push(f);
      }
    }
  }
  for (const g of grouped.values()) {
    const range = g.endpoint?.nameRange ?? g.batch?.plan?.nameRange;
    if (!range) continue;
    const who = g.mailboxes.length === 1 ? g.mailboxes[0] : `${count(g.mailboxes.length, 'mailbox', 'mailboxes')}: ${g.mailboxes.slice(0, 3).join(', ')}${g.mailboxes.length > 3 ? ', ...' : ''}`;
    findings.push({
      file: view.planFile,
      range,
      severity: g.severity,
      code: g.code,
      message: `${g.message} (${who})`,
      target: g.endpoint ? { kind: 'endpoint', endpoint: g.endpoint.name } : { kind: 'batch', batch: g.batch!.name },
      data: { planFile: view.planFile, mailboxes: g.mailboxes },
    });
  }
  return findings.sort((a, b) => (a.file === b.file ? a.range.start.line - b.range.start.line || a.code.localeCompare(b.code) : a.file < b.file ? -1 : 1));
}
