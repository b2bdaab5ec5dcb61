// A plain HTTPS client for checking the fake Microsoft 365 at the protocol level (no msal, no Graph client).
import * as https from 'node:https';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

export function request(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** client_credentials with a secret, straight to the token endpoint. */
export function tokenRequest(base: string, ca: string, tenant: string, clientId: string, secret: string): Promise<RawResponse> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${base}/.default` }).toString();
  return request(`${base}/${tenant}/oauth2/v2.0/token`, ca, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}
