// Builds the typed Plan from the parsed YAML. Tolerates invalid documents (the rules report what
// is wrong); never throws on user input.
import { isMap, isSeq } from 'yaml';
import type { Range } from './diagnostic';
import {
  defaultOptions,
  deltaDeletions,
  type DeltaDeletions,
  gmailLabelModes,
  type GmailLabelMode,
  endpointTypes,
  itemTypes,
  type AuthSettings,
  type EndpointType,
  type IdentityMapping,
  type ItemType,
  type Plan,
  type PlanBatch,
  type PlanEndpoint,
  type PlanItem,
  type PlanOptions,
} from './model';
import type { PlanYaml } from './yamlDocument';
import { deriveDestination } from './identityMapping';
import { parseInstant } from './dates';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function readAuth(v: unknown): AuthSettings | undefined {
  if (!isObj(v)) return undefined;
  const username = str(v.username);
  if (!username) return undefined;
  const password = isObj(v.password) && typeof v.password.secret === 'string' ? { secret: v.password.secret } : undefined;
  const mechanism = ['password', 'plain', 'login', 'xoauth2'].includes(v.mechanism as string) ? (v.mechanism as AuthSettings['mechanism']) : undefined;
  return { username, ...(password ? { password } : {}), ...(mechanism ? { mechanism } : {}), ...(str(v.authorizationIdentity) ? { authorizationIdentity: str(v.authorizationIdentity) } : {}) };
}

function readOptions(v: unknown): PlanOptions {
  const o = isObj(v) ? v : {};
  const folders = isObj(o.folders) ? o.folders : {};
  const dateRange = isObj(o.dateRange) ? o.dateRange : {};
  const preStage = isObj(o.preStage) ? o.preStage : {};
  const notifications = isObj(o.notifications) ? o.notifications : {};
  const types = strings(o.itemTypes).filter((t): t is ItemType => (itemTypes as readonly string[]).includes(t));
  return {
    folders: {
      include: strings(folders.include),
      exclude: strings(folders.exclude),
      map: Array.isArray(folders.map) ? folders.map.filter(isObj).filter((m) => typeof m.from === 'string' && typeof m.to === 'string').map((m) => ({ from: m.from as string, to: m.to as string })) : [],
    },
    dateRange: { from: parseInstant(dateRange.from), to: parseInstant(dateRange.to) },
    preStageOlderThanDays: num(preStage.olderThanDays) ?? defaultOptions.preStageOlderThanDays,
    itemTypes: types.length ? types : [...defaultOptions.itemTypes],
    maxConcurrentMigrations: num(o.maxConcurrentMigrations) ?? defaultOptions.maxConcurrentMigrations,
    bandwidthMbps: num(o.bandwidthMbps),
    maxItemSizeMB: num(o.maxItemSizeMB) ?? defaultOptions.maxItemSizeMB,
    mailboxQuotaGB: num(o.mailboxQuotaGB),
    badItemLimit: num(o.badItemLimit) ?? defaultOptions.badItemLimit,
    notifications: { to: strings(notifications.to), onCompleted: bool(notifications.onCompleted, true), onFailed: bool(notifications.onFailed, true) },
    logFailedItemSubjects: bool(o.logFailedItemSubjects, false),
    delta: { deletions: readDeletions(o.delta) },
    gmail: { labels: readGmailLabels(o.gmail) },
  };
}

function readGmailLabels(v: unknown): GmailLabelMode {
  const l = isObj(v) ? v.labels : undefined;
  return gmailLabelModes.find((k) => k === l) ?? defaultOptions.gmail.labels;
}

function readDeletions(v: unknown): DeltaDeletions {
  const d = isObj(v) ? v.deletions : undefined;
  return deltaDeletions.find((k) => k === d) ?? defaultOptions.delta.deletions;
}

function readIdentityMapping(v: unknown): IdentityMapping {
  const o = isObj(v) ? v : {};
  const pairs = Array.isArray(o.domains) ? o.domains : [];
  return {
    domains: pairs.filter(isObj).filter((d) => str(d.from) && str(d.to)).map((d) => ({ from: d.from as string, to: d.to as string })),
    pairs: (Array.isArray(o.pairs) ? o.pairs : []).filter(isObj).filter((p) => str(p.source) && str(p.destination)).map((p) => ({ source: p.source as string, destination: p.destination as string })),
    lowercase: bool(o.lowercase, true),
  };
}

export interface ItemsFileLoader {
  /** Items of a batch's CSV file (already parsed, problems reported elsewhere). */
  (batchIndex: number, itemsFile: string): PlanItem[];
}

export function buildPlan(yaml: PlanYaml, value: unknown, file: string, loadItemsFile: ItemsFileLoader): Plan {
  const root = isObj(value) ? value : {};
  const project = isObj(root.project) ? root.project : {};
  const identityMapping = readIdentityMapping(root.identityMapping);
  const endpoints = new Map<string, PlanEndpoint>();
  if (isObj(root.endpoints)) {
    for (const [name, raw] of Object.entries(root.endpoints)) {
      const settings = isObj(raw) ? raw : {};
      const type = (endpointTypes as readonly string[]).includes(settings.type as string) ? (settings.type as EndpointType) : undefined;
      endpoints.set(name, { name, type, settings, auth: readAuth(settings.auth), nameRange: yaml.rangeFor(['endpoints', name], 'key') });
    }
  }
  const batches: PlanBatch[] = [];
  const batchNodes = yaml.nodeAt(['batches']);
  (Array.isArray(root.batches) ? root.batches : []).forEach((raw, index) => {
    if (!isObj(raw)) return;
    const items: PlanItem[] = [];
    (Array.isArray(raw.items) ? raw.items : []).forEach((item, i) => {
      if (!isObj(item) || !str(item.source)) return;
      const range: Range = yaml.rangeFor(['batches', index, 'items', i, 'source']);
      items.push({
        source: item.source as string,
        destination: str(item.destination),
        sourceAuth: readAuth(item.sourceAuth),
        destinationAuth: readAuth(item.destinationAuth),
        approveOversize: bool(item.approveOversize, false),
        origin: { kind: 'plan', file, range },
      });
    });
    const itemsFile = str(raw.itemsFile);
    // One by one: spreading a file of a few hundred thousand rows into push() overflows the stack.
    if (itemsFile) for (const item of loadItemsFile(index, itemsFile)) items.push(item);
    for (const item of items) item.resolvedDestination = item.destination ?? deriveDestination(item.source, identityMapping);
    batches.push({
      name: str(raw.name) ?? `(batch ${index + 1})`,
      description: str(raw.description),
      source: str(raw.source) ?? str(root.source),
      destination: str(raw.destination) ?? str(root.destination),
      startAfter: parseInstant(raw.startAfter),
      completeAfter: parseInstant(raw.completeAfter),
      itemsFile,
      orchestrated: bool(raw.orchestrated, false),
      items,
      nameRange: isSeq(batchNodes) && isMap(batchNodes.items[index]) ? yaml.rangeFor(['batches', index, 'name']) : yaml.rangeFor(['batches', index]),
    });
  });
  return {
    file,
    version: num(root.version),
    project: { name: str(project.name) ?? '(unnamed project)', description: str(project.description), owner: str(project.owner), tags: strings(project.tags) },
    endpoints,
    source: str(root.source),
    destination: str(root.destination),
    options: readOptions(root.options),
    identityMapping,
    batches,
  };
}
