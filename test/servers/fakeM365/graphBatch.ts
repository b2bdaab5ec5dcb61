// JSON batching: POST /v1.0/$batch (or /beta/$batch) with at most 20 requests. The envelope is 200
// whatever the sub-requests get; each carries its own status. As Microsoft documents it, the
// sub-requests run in no set order and concurrently, except where `dependsOn` orders them; Outlook
// runs at most 4 of one mailbox at a time, and each counts against that mailbox's concurrency limit
// (so one meeting the client's other requests in flight gets its own 429 with Retry-After). A
// request whose dependency failed is not run: 424 Failed Dependency.
import { Semaphore } from '../../../src/connectors/m365/mailboxLimiter';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export const MAX_BATCH = 20;
/** Sub-requests of one mailbox that one batch runs at once (Outlook's parallelism inside a batch). */
export const BATCH_PARALLEL_PER_MAILBOX = 4;

function parse(req: FakeRequest): SubRequest[] | string {
  const body = jsonOf(req);
  const list = body?.requests;
  if (!Array.isArray(list)) return "The request body must hold a 'requests' array.";
  if (list.length > MAX_BATCH) return `Number of included requests in the request must be less than or equal to ${MAX_BATCH}.`;
  const ids = new Set<string>();
  for (const r of list as SubRequest[]) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') return 'Each request needs an id, a method and a url.';
    if (ids.has(r.id)) return `Request id '${r.id}' is used more than once.`;
    ids.add(r.id);
  }
  for (const r of list as SubRequest[]) {
    if (r.dependsOn === undefined) continue;
    if (!Array.isArray(r.dependsOn) || !r.dependsOn.every((d) => typeof d === 'string' && ids.has(d) && d !== r.id)) return `Request '${r.id}' depends on a request that is not in the batch.`;
  }
  return list as SubRequest[];
}

function bodyOf(r: SubRequest): Buffer {
  if (r.body === undefined) return Buffer.alloc(0);
  return Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), 'utf8');
}

/** The mailbox a sub-request's URL addresses (`/users/{id}/...`, `/me/...`), for the per-mailbox parallelism. */
function mailboxOf(url: URL): string {
  const [first, second] = url.pathname.split('/').filter(Boolean).slice(1);
  return first === 'users' && second ? decodeURIComponent(second).toLowerCase() : first === 'me' ? 'me' : '';
}

export async function handleBatch(req: FakeRequest, version: string, run: (sub: FakeRequest) => Promise<FakeResponse>): Promise<FakeResponse> {
  const parsed = parse(req);
  if (typeof parsed === 'string') return graphError(400, 'BadRequest', parsed);
  const slots = new Map<string, Semaphore>();
  const slotsOf = (mailbox: string) => slots.get(mailbox) ?? (slots.set(mailbox, new Semaphore(BATCH_PARALLEL_PER_MAILBOX)), slots.get(mailbox)!);
  const done = new Map<string, Promise<number>>();
  const responses: object[] = [];
  const runOne = async (r: SubRequest): Promise<number> => {
    const statuses = await Promise.all((r.dependsOn ?? []).map((d) => started(d)));
    if (statuses.some((s) => s >= 400)) {
      const failed = graphError(424, 'FailedDependency', 'The request could not be run: a request it depends on failed.');
      responses.push({ id: r.id, status: 424, headers: failed.headers ?? {}, body: failed.body });
      return 424;
    }
    const url = new URL(r.url.replace(/^\/?((v1\.0|beta)\/)?/, `/${version}/`), 'https://batch.invalid');
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const release = await slotsOf(mailboxOf(url)).acquire();
    let sub: FakeResponse;
    try {
      sub = await run({ method: r.method.toUpperCase(), path: url.pathname, query: url.searchParams, headers: { ...headers, authorization: req.headers.authorization ?? '' }, body: bodyOf(r) });
    } finally {
      release();
    }
    const body = Buffer.isBuffer(sub.body) ? sub.body.toString('base64') : sub.body;
    responses.push({ id: r.id, status: sub.status, headers: sub.headers ?? {}, ...(body !== undefined ? { body } : {}) });
    return sub.status;
  };
  const byId = new Map(parsed.map((r) => [r.id, r]));
  const started = (id: string): Promise<number> => {
    let p = done.get(id);
    if (!p) done.set(id, (p = runOne(byId.get(id)!)));
    return p;
  };
  // A cycle of dependsOn never settles: refuse it before running anything.
  if (hasCycle(parsed)) return graphError(400, 'BadRequest', 'The dependsOn of the requests form a cycle.');
  await Promise.all(parsed.map((r) => started(r.id)));
  return json(200, { responses });
}

function hasCycle(list: SubRequest[]): boolean {
  const deps = new Map(list.map((r) => [r.id, r.dependsOn ?? []]));
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 2) return false;
    if (state.get(id) === 1) return true;
    state.set(id, 1);
    const cyclic = (deps.get(id) ?? []).some(visit);
    state.set(id, 2);
    return cyclic;
  };
  return list.some((r) => visit(r.id));
}
