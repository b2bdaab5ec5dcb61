// Request and response shapes shared by the identity and Graph handlers. Handlers are plain
// functions of a FakeRequest so `$batch` can run its sub-requests through the same code.
import { randomUUID } from 'node:crypto';

export interface FakeRequest {
  method: string;
  /** Path without the query, e.g. '/v1.0/users/ann@contoso.test/mailFolders'. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: Buffer | string | object;
  /** Served, but the connection is cut instead of answering (the client never learns the outcome). */
  cut?: boolean;
}

export function json(status: number, body: object, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

/** Graph's error envelope: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeResponse {
  const id = randomUUID();
  return json(status, { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': id, 'client-request-id': id } } }, headers);
}

/** The Microsoft identity platform's error JSON (`AADSTSnnnn: ...` in error_description). */
export function aadError(status: number, error: string, aadsts: number, description: string): FakeResponse {
  const trace = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${trace} Correlation ID: ${randomUUID()} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: trace,
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
}

/** Form fields of an application/x-www-form-urlencoded body. */
export function formOf(req: FakeRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export function jsonOf(req: FakeRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
