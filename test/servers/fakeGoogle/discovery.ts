// Google's discovery descriptions for the fake (discovery.json, derived by
// scripts/derive-google-discovery.mjs and committed): which method a request is, the query
// parameters that method takes (Google's 400 for an unknown name or a value of the wrong type or
// enum), its OAuth scopes, and a check of every JSON body against the method's schemas.
import Ajv, { type ValidateFunction } from 'ajv';
import discovery from './discovery.json';
import { googleError } from './errors';
import type { FakeResponse } from '../fakeM365/http';

export type ApiName = 'gmail.v1' | 'calendar.v3' | 'people.v1' | 'admin.directory_v1';

interface ParameterInfo {
  type: string;
  format?: string;
  location: string;
  required?: boolean;
  repeated?: boolean;
  enum?: string[];
  minimum?: string;
  maximum?: string;
}

export interface MethodInfo {
  httpMethod: string;
  path: string;
  parameters: Record<string, ParameterInfo>;
  scopes: string[];
  request?: string;
  response?: string;
  mediaUpload?: string;
}

interface ApiInfo {
  id: string;
  revision: string;
  servicePath: string;
  standardParameters: string[];
  methods: Record<string, MethodInfo>;
  schemas: Record<string, unknown>;
}

const APIS = discovery.apis as unknown as Record<ApiName, ApiInfo>;

/** Query parameters the one-platform (ESF) APIs reject by name; Calendar and Directory ignore unknown names. */
const STRICT_NAMES: Record<ApiName, boolean> = { 'gmail.v1': true, 'people.v1': true, 'calendar.v3': false, 'admin.directory_v1': false };

export interface Route {
  api: ApiName;
  id: string;
  method: MethodInfo;
  /** Path parameters by name, decoded. */
  path: Record<string, string>;
  /** True when the request came on the media upload path (`/upload/...`). */
  upload: boolean;
}

interface Compiled {
  api: ApiName;
  id: string;
  method: MethodInfo;
  regex: RegExp;
  names: string[];
  upload: boolean;
}

function compile(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\+?([^}]+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^/${source}$`), names };
}

const ROUTES: Compiled[] = [];
for (const [api, info] of Object.entries(APIS) as [ApiName, ApiInfo][]) {
  for (const [id, method] of Object.entries(info.methods)) {
    const full = `${info.servicePath}${method.path}`;
    ROUTES.push({ api, id, method, upload: false, ...compile(full) });
    if (method.mediaUpload) ROUTES.push({ api, id, method, upload: true, ...compile(method.mediaUpload.replace(/^\//, '')) });
  }
}
// Literal segments first (`messages/import` before `messages/{id}`).
ROUTES.sort((a, b) => a.names.length - b.names.length);

export function routeOf(httpMethod: string, path: string): Route | undefined {
  for (const r of ROUTES) {
    if (r.method.httpMethod !== httpMethod) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    return { api: r.api, id: r.id, method: r.method, upload: r.upload, path: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return undefined;
}

export type Params = Record<string, string | string[] | number | boolean | undefined>;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function protoType(p: ParameterInfo): string {
  if (p.enum) return 'TYPE_ENUM';
  if (p.type === 'boolean') return 'TYPE_BOOL';
  if (p.type === 'integer') return p.format === 'uint32' ? 'TYPE_UINT32' : 'TYPE_INT32';
  return p.format === 'uint64' ? 'TYPE_UINT64' : p.format === 'int64' ? 'TYPE_INT64' : 'TYPE_STRING';
}

/**
 * The query parameters of a request as the method's description types them, or Google's 400:
 * the one-platform wording (`Invalid value at 'max_results' (TYPE_UINT32), "x"`, `Unknown name
 * "foo": Cannot bind query parameter.`) for Gmail and People, Apiary's `Invalid Value` for Calendar
 * and Directory.
 */
export function parseParameters(route: Route, query: URLSearchParams): { params: Params } | { error: FakeResponse } {
  const info = APIS[route.api];
  const strict = STRICT_NAMES[route.api];
  const params: Params = { ...route.path };
  const invalid = (name: string, p: ParameterInfo, value: string): { error: FakeResponse } =>
    strict
      ? { error: googleError(400, 'invalid', `Invalid value at '${snake(name)}' (${protoType(p)}), "${value}"`, { details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: snake(name), description: `Invalid value at '${snake(name)}' (${protoType(p)}), "${value}"` }] }] }) }
      : { error: googleError(400, 'invalid', 'Invalid Value', { noStatus: true }) };
  for (const name of new Set(query.keys())) {
    const p = route.method.parameters[name];
    if (!p || p.location !== 'query') {
      if (info.standardParameters.includes(name)) continue;
      if (!strict) continue;
      return { error: googleError(400, 'invalid', `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`, { details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.` }] }] }) };
    }
    const values = query.getAll(name);
    const typed: (string | number | boolean)[] = [];
    for (const v of values) {
      if (p.enum && !p.enum.includes(v)) return invalid(name, p, v);
      if (p.type === 'integer') {
        if (!/^-?\d+$/.test(v) || (p.format === 'uint32' && v.startsWith('-'))) return invalid(name, p, v);
        const n = Number(v);
        if ((p.minimum !== undefined && n < Number(p.minimum)) || (p.maximum !== undefined && n > Number(p.maximum))) return invalid(name, p, v);
        typed.push(n);
      } else if (p.type === 'boolean') {
        if (v !== 'true' && v !== 'false') return invalid(name, p, v);
        typed.push(v === 'true');
      } else if ((p.format === 'uint64' || p.format === 'int64') && !(p.format === 'uint64' ? /^\d+$/ : /^-?\d+$/).test(v)) return invalid(name, p, v);
      else typed.push(v);
    }
    params[name] = p.repeated ? (typed as string[]) : typed[typed.length - 1];
  }
  for (const [name, p] of Object.entries(route.method.parameters)) {
    if (p.required && p.location === 'query' && params[name] === undefined) {
      return { error: strict ? googleError(400, 'invalidArgument', `Missing required field '${name}'.`) : googleError(400, 'required', `Required parameter: ${name}`, { noStatus: true, location: name }) };
    }
  }
  return { params };
}

/** Discovery's schema language as JSON Schema: objects closed to undocumented members, int64 as strings. */
function toJsonSchema(api: ApiName, s: Record<string, unknown>): Record<string, unknown> {
  if (typeof s.$ref === 'string') return { $ref: `${api}#/definitions/${s.$ref}` };
  const out: Record<string, unknown> = {};
  if (Array.isArray(s.enum)) out.enum = s.enum;
  switch (s.type) {
    case 'any':
      return {};
    case 'array':
      out.type = 'array';
      if (s.items) out.items = toJsonSchema(api, s.items as Record<string, unknown>);
      return out;
    case 'object': {
      out.type = 'object';
      const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toJsonSchema(api, v)]));
      out.additionalProperties = s.additionalProperties ? toJsonSchema(api, s.additionalProperties as Record<string, unknown>) : false;
      return out;
    }
    default:
      if (typeof s.type === 'string') out.type = s.type;
      return out;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
for (const [api, info] of Object.entries(APIS) as [ApiName, ApiInfo][]) {
  ajv.addSchema({ $id: api, definitions: Object.fromEntries(Object.entries(info.schemas).map(([name, s]) => [name, toJsonSchema(api, s as Record<string, unknown>)])) });
}
const validators = new Map<string, ValidateFunction>();

/** Why a body is not an instance of the API's schema `name` (empty when it is). */
export function schemaProblems(api: ApiName, name: string, body: unknown): string[] {
  const key = `${api}#${name}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.getSchema(`${api}#/definitions/${name}`);
    if (!v) throw new Error(`no schema ${name} in ${api}`);
    validators.set(key, v);
  }
  return v(body) ? [] : (v.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** Every OAuth scope some served method accepts (the token endpoint refuses others as invalid). */
export const KNOWN_SCOPES = new Set(Object.values(APIS).flatMap((a) => Object.values(a.methods).flatMap((m) => m.scopes)));

export const apiRevision = (api: ApiName) => `${APIS[api].id} ${APIS[api].revision}`;
