// Microsoft Graph v1.0 as Microsoft's CSDL describes it, for the fake: the types it serves
// (graphMetadata.json, derived by scripts/derive-graph-metadata.mjs and committed), which
// resource each path is, Graph's 400 for a `$select`/`$expand`/`$filter` naming a property the type
// lacks, `$select` applied to what is sent, and a check of every JSON body against the types.
import metadata from './graphMetadata.json';

interface PropertyInfo {
  type: string;
  collection?: boolean;
  nullable?: boolean;
}

interface TypeInfo {
  kind: 'entity' | 'complex' | 'enum';
  base?: string;
  flags?: boolean;
  members?: string[];
  properties?: Record<string, PropertyInfo>;
  navigation?: Record<string, PropertyInfo>;
}

const TYPES = metadata.types as Record<string, TypeInfo>;

/** A resource the fake serves: its type, and whether the answer is a collection of it. */
export interface ResourceKind {
  type: string;
  collection: boolean;
}

/** Properties of a type with those of its base types. */
function members(type: string, which: 'properties' | 'navigation'): Record<string, PropertyInfo> {
  const t = TYPES[type];
  if (!t) return {};
  return { ...(t.base ? members(t.base, which) : {}), ...(t[which] ?? {}) };
}

export const structuralOf = (type: string) => members(type, 'properties');
export const navigationOf = (type: string) => members(type, 'navigation');

const ID = '[^/]+';
/** Paths after `/v1.0` (or the user segment) and the resource they are. Order matters: first match wins. */
const ROUTES: [RegExp, string, boolean][] = [
  [/^\/users$/, 'user', true],
  [new RegExp(`^/(users/${ID}|me)$`), 'user', false],
  [new RegExp(`^/(users/${ID}|me)/settings/exchange$`), 'exchangeSettings', false],
  [new RegExp(`^/(users/${ID}|me)/mailboxSettings$`), 'mailboxSettings', false],
  [new RegExp(`^/(users/${ID}|me)/mailFolders(/${ID}/childFolders)*$`), 'mailFolder', true],
  [new RegExp(`^/(users/${ID}|me)/mailFolders/${ID}$`), 'mailFolder', false],
  [new RegExp(`^/(users/${ID}|me)/mailFolders/${ID}/messages(/delta)?$`), 'message', true],
  [new RegExp(`^/(users/${ID}|me)/messages/${ID}$`), 'message', false],
  [new RegExp(`^/(users/${ID}|me)/(contacts|contactFolders/${ID}/contacts)$`), 'contact', true],
  [new RegExp(`^/(users/${ID}|me)/(contacts|contactFolders/${ID}/contacts)/${ID}$`), 'contact', false],
  [new RegExp(`^/(users/${ID}|me)/contactFolders(/${ID}/childFolders)?$`), 'contactFolder', true],
  [new RegExp(`^/(users/${ID}|me)/contactFolders/${ID}$`), 'contactFolder', false],
  [new RegExp(`^/(users/${ID}|me)/calendars$`), 'calendar', true],
  [new RegExp(`^/(users/${ID}|me)/calendars/${ID}$`), 'calendar', false],
  [new RegExp(`^/(users/${ID}|me)/(calendars/${ID}/events|events|events/${ID}/instances)$`), 'event', true],
  [new RegExp(`^/(users/${ID}|me)/(calendars/${ID}/)?events/${ID}$`), 'event', false],
  [new RegExp(`^/(users/${ID}|me)/todo/lists$`), 'todoTaskList', true],
  [new RegExp(`^/(users/${ID}|me)/todo/lists/${ID}$`), 'todoTaskList', false],
  [new RegExp(`^/(users/${ID}|me)/todo/lists/${ID}/tasks$`), 'todoTask', true],
  [new RegExp(`^/(users/${ID}|me)/todo/lists/${ID}/tasks/${ID}$`), 'todoTask', false],
  [new RegExp(`^/(users/${ID}|me)/todo/lists/${ID}/tasks/${ID}/linkedResources$`), 'linkedResource', true],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}$`), 'mailbox', false],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/folders(/${ID}/childFolders)?(/delta)?$`), 'mailboxFolder', true],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/folders/${ID}$`), 'mailboxFolder', false],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/folders/${ID}/items(/delta)?$`), 'mailboxItem', true],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/folders/${ID}/items/${ID}$`), 'mailboxItem', false],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/exportItems$`), 'exportItemResponse', true],
  [new RegExp(`^/admin/exchange/mailboxes/${ID}/createImportSession$`), 'mailboxItemImportSession', false],
];

/** The v1.0 resource at a path after `/v1.0` (`/users/x/mailFolders`), or undefined. */
export function resourceAt(path: string): ResourceKind | undefined {
  const hit = ROUTES.find(([re]) => re.test(path));
  return hit ? { type: hit[1], collection: hit[2] } : undefined;
}

/** Graph's words for a property a type does not have. */
export const noSuchProperty = (name: string, type: string) => `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`;

/** Splits on commas outside parentheses and quotes: `$select` and `$expand` lists. */
function topLevelItems(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** The first property named in `$filter` that `type` lacks (lambda variables and literals skipped), or undefined. */
function unknownInFilter(filter: string, type: string): string | undefined {
  const text = filter.replace(/'(?:[^']|'')*'/g, "''");
  const lambdas = new Set([...text.matchAll(/\/(?:any|all)\(\s*(\w+)\s*:/gi)].map((m) => m[1]));
  const known = { ...structuralOf(type), ...navigationOf(type) };
  const keywords = /^(eq|ne|gt|ge|lt|le|and|or|not|true|false|null|any|all|in|has|contains|startswith|endswith)$/i;
  for (const m of text.matchAll(/(?<![\w/.'-])([A-Za-z_]\w*)(?=\s*(\/|\s|\)|$))/g)) {
    const name = m[1];
    if (keywords.test(name) || lambdas.has(name) || /^\d/.test(name)) continue;
    if (!(name in known)) return name;
  }
  return undefined;
}

/** Graph's 400 message when the query names a property the type lacks; undefined when the query is fine. */
export function queryProblem(query: URLSearchParams, type: string): string | undefined {
  const structural = structuralOf(type);
  const navigation = navigationOf(type);
  for (const item of topLevelItems(query.get('$select') ?? '')) {
    if (!(item in structural) && !(item in navigation)) return noSuchProperty(item, type);
  }
  for (const item of topLevelItems(query.get('$expand') ?? '')) {
    const name = item.replace(/\(.*$/s, '').trim();
    if (name === '*') continue;
    if (!(name in navigation)) return name in structural ? `Property '${name}' on type 'microsoft.graph.${type}' is not a navigation property or complex property. Only navigation properties can be expanded.` : noSuchProperty(name, type);
  }
  const filter = query.get('$filter');
  const unknown = filter ? unknownInFilter(filter, type) : undefined;
  return unknown ? noSuchProperty(unknown, type) : undefined;
}

/** An entity cut to `$select` (id, annotations and expanded navigation properties stay), as Graph sends it. */
export function applySelect(entity: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const select = query.get('$select');
  if (!select) return entity;
  const keep = new Set([...topLevelItems(select), 'id', ...topLevelItems(query.get('$expand') ?? '').map((e) => e.replace(/\(.*$/s, '').trim())]);
  return Object.fromEntries(Object.entries(entity).filter(([k]) => keep.has(k) || k.startsWith('@')));
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const primitive: Record<string, (v: unknown) => boolean> = {
  'Edm.String': (v) => typeof v === 'string',
  'Edm.Boolean': (v) => typeof v === 'boolean',
  'Edm.Int32': (v) => Number.isInteger(v),
  'Edm.Int64': (v) => Number.isInteger(v),
  'Edm.Double': (v) => typeof v === 'number',
  'Edm.DateTimeOffset': (v) => typeof v === 'string' && DATE_TIME.test(v),
  'Edm.Date': (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  'Edm.TimeOfDay': (v) => typeof v === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v),
  'Edm.Guid': (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'Edm.Binary': (v) => typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v),
  'Edm.Stream': (v) => typeof v === 'string',
  'Edm.Duration': (v) => typeof v === 'string' && /^-?P/.test(v),
};

/** Why `value` is not a `type` (a path and a reason each); empty when it is. */
export function deviations(value: unknown, type: string, where = type, annotationsAllowed: readonly string[] = []): string[] {
  const t = TYPES[type];
  if (primitive[type]) return primitive[type](value) ? [] : [`${where}: ${JSON.stringify(value)} is no ${type}`];
  if (!t) return [`${where}: type ${type} is not among the derived types (add it to SERVED in scripts/derive-graph-metadata.mjs)`];
  if (t.kind === 'enum') {
    const ok = typeof value === 'string' && value.split(t.flags ? ',' : /$^/).every((v) => t.members!.includes(v.trim()));
    return ok ? [] : [`${where}: ${JSON.stringify(value)} is not a member of ${type}`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: not an object`];
  const structural = structuralOf(type);
  const navigation = navigationOf(type);
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('@odata.') || annotationsAllowed.includes(key)) continue;
    const at = key.indexOf('@odata.');
    if (at > 0 && (key.slice(0, at) in structural || key.slice(0, at) in navigation)) continue;
    const p = structural[key] ?? navigation[key];
    if (!p) {
      out.push(`${where}.${key}: no such property on microsoft.graph.${type} in v1.0`);
      continue;
    }
    if (v === null) {
      if (p.nullable === false && !p.collection) out.push(`${where}.${key}: null, but not nullable`);
      continue;
    }
    if (p.collection) {
      if (!Array.isArray(v)) out.push(`${where}.${key}: not a collection`);
      else v.forEach((x, i) => out.push(...deviations(x, p.type, `${where}.${key}[${i}]`)));
    } else out.push(...deviations(v, p.type, `${where}.${key}`));
  }
  return out;
}

/** Why a response body of `kind` deviates from v1.0 (collections: `value` plus paging annotations; delta: `@removed`). */
export function bodyDeviations(body: unknown, kind: ResourceKind, where: string): string[] {
  if (!kind.collection) return deviations(body, kind.type, where);
  if (typeof body !== 'object' || body === null) return [`${where}: not an object`];
  const out: string[] = [];
  for (const [key, v] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (key !== 'value') out.push(`${where}.${key}: a collection answer holds only value and @odata annotations`);
    else if (!Array.isArray(v)) out.push(`${where}.value: not an array`);
    else v.forEach((x, i) => out.push(...deviations(x, kind.type, `${where}.value[${i}]`, ['@removed'])));
  }
  return out;
}
