// What a handler of the fake's APIs gets: the request, the method it is (from discovery), its
// typed parameters and the access token's grant; and the paging token helpers every API shares.
import type { FakeRequest, FakeResponse } from '../fakeM365/http';
import type { Grant } from './accessTokens';
import type { Params, Route } from './discovery';
import { googleError } from './errors';

export interface ApiContext {
  req: FakeRequest;
  route: Route;
  params: Params;
  grant: Grant;
}

export type Handler = (ctx: ApiContext) => FakeResponse | Promise<FakeResponse>;

/** An error a handler throws to answer with Google's error body. */
export class ApiError extends Error {
  constructor(readonly response: FakeResponse) {
    super(`fake Google: ${response.status}`);
  }
}

export const fail = (code: number, reason: string, message: string, options: Parameters<typeof googleError>[3] = {}): never => {
  throw new ApiError(googleError(code, reason, message, options));
};

/** Opaque page tokens: the position after the last item sent, tied to the listing's parameters. */
export function pageToken(position: unknown, scope: string): string {
  return Buffer.from(JSON.stringify({ p: position, s: scope })).toString('base64url');
}

export function readPageToken<T>(token: string | undefined, scope: string, invalid: () => never): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p: T; s: string };
    if (value.s !== scope) return invalid();
    return value.p;
  } catch {
    return invalid();
  }
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
export const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
