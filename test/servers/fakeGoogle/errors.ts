// Google's error bodies. The APIs answer the JSON error format every Google API shares
// (`{ error: { code, message, errors: [{ message, domain, reason, ... }], status } }`, see
// https://cloud.google.com/apis/design/errors and each API's "Resolve errors" page); the OAuth 2.0
// token endpoint answers RFC 6749's `{ error, error_description }`.
import { json, type FakeResponse } from '../fakeM365/http';

/** google.rpc.Code names for the HTTP statuses the fake sends. */
const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  410: 'FAILED_PRECONDITION',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface ErrorOptions {
  domain?: string;
  /** The `errors[0].message` when it differs from the top message (401s do). */
  itemMessage?: string;
  /** The google.rpc status name when it is not the usual one for the HTTP status. */
  status?: string;
  location?: string;
  locationType?: string;
  /** Older APIs (Calendar's 410, Directory) leave `status` out. */
  noStatus?: boolean;
  details?: object[];
  headers?: Record<string, string>;
}

export function googleError(code: number, reason: string, message: string, options: ErrorOptions = {}): FakeResponse {
  const item = { message: options.itemMessage ?? message, domain: options.domain ?? 'global', reason, ...(options.location ? { location: options.location, locationType: options.locationType ?? 'parameter' } : {}) };
  const status = options.status ?? STATUS[code];
  return json(code, { error: { code, message, errors: [item], ...(options.noStatus || !status ? {} : { status }), ...(options.details ? { details: options.details } : {}) } }, options.headers ?? {});
}

/** `invalid_grant`, `unauthorized_client`, ... at the token endpoint. */
export function oauthError(status: number, error: string, description: string): FakeResponse {
  return json(status, { error, error_description: description });
}

export const notFound = (message = 'Requested entity was not found.') => googleError(404, 'notFound', message);
export const badRequest = (message: string, reason = 'invalidArgument') => googleError(400, reason, message);
