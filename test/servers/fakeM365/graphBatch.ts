// JSON batching: POST /v1.0/$batch with at most 20 requests. The envelope is 200 whatever the
// sub-requests get; each carries its own status, a throttled one its 429 and Retry-After.
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export const MAX_BATCH = 20;

function parse(req: FakeRequest): SubRequest[] | string {
  const body = jsonOf(req);
  const list = body?.requests;
  if (!Array.isArray(list)) return "The request body must hold a 'requests' array.";
  if (list.length > MAX_BATCH) return `Number of included requests in the request must be less than or equal to ${MAX_BATCH}.`;
  for (const r of list as SubRequest[]) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') return 'Each request needs an id, a method and a url.';
  }
  return list as SubRequest[];
}

function bodyOf(r: SubRequest): Buffer {
  if (r.body === undefined) return Buffer.alloc(0);
  return Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), 'utf8');
}

export async function handleBatch(req: FakeRequest, run: (sub: FakeRequest) => Promise<FakeResponse>): Promise<FakeResponse> {
  const parsed = parse(req);
  if (typeof parsed === 'string') return graphError(400, 'BadRequest', parsed);
  const responses = [];
  for (const r of parsed) {
    const url = new URL(r.url.replace(/^\/?(v1\.0\/)?/, '/v1.0/'), 'https://batch.invalid');
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const sub = await run({ method: r.method.toUpperCase(), path: url.pathname, query: url.searchParams, headers: { ...headers, authorization: req.headers.authorization ?? '' }, body: bodyOf(r) });
    const body = Buffer.isBuffer(sub.body) ? sub.body.toString('base64') : sub.body;
    responses.push({ id: r.id, status: sub.status, headers: sub.headers ?? {}, ...(body !== undefined ? { body } : {}) });
  }
  return json(200, { responses });
}
