// For tests: a fake Microsoft 365 with one tenant, one app (secret and certificate) and users,
// its CA trusted by this process, and plan settings / open requests for the m365 connector.
import * as tls from 'node:tls';
import type { OpenMailboxRequest } from '../../../src/connectors/types';
import type { PlanEndpoint } from '../../../src/plan/model';
import { makeAppCertificate, type AppCertificate } from './certs';
import type { AppRecord, TenantRecord } from './data';
import { startFakeM365, type FakeM365, type FakeM365Options } from './server';

export interface TestTenant {
  fake: FakeM365;
  tenant: TenantRecord;
  app: AppRecord;
  secret: string;
  certificate: AppCertificate;
  /** m365 endpoint settings signing in with the secret named `secretName`. */
  settings(secretName?: string): Record<string, unknown>;
  /**
   * The m365 endpoint as a YAML flow mapping for a plan: the secret named `secretName`, or
   * `deviceCode: true` when null; as `app` (another app of the tenant) when given.
   */
  endpointYaml(secretName?: string | null, app?: AppRecord): string;
  /** An open request for `mailbox` with the given secret values (default: the right secret as M365_SECRET). */
  request(mailbox: string, secrets?: Record<string, string>, settings?: Record<string, unknown>): OpenMailboxRequest;
}

/** Makes Node trust the fake's CA for every TLS connection of this process (msal-node and fetch alike). */
export function trustCa(caPem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/**
 * What a full-fidelity copy between two mailboxes of the tenant uses of the mailbox import/export
 * API (mailboxApi.md, Permissions): folders, items (delta), export and import.
 */
export const FULL_FIDELITY_ROLES = ['MailboxItem.ImportExport.All', 'MailboxFolder.Read.All', 'MailboxItem.Read.All'] as const;

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function startTestTenant(users: string[], options: FakeM365Options = {}): Promise<TestTenant> {
  const fake = await startFakeM365(options);
  trustCa(fake.caPem);
  const certificate = await makeAppCertificate(`${fake.data.dir}/tls`);
  const tenant = fake.data.addTenant('contoso.test');
  const secret = 'fake~secret.Value_0123456789';
  const app = fake.data.addApp(tenant, { secrets: [secret], certificates: [certificate.certificate] });
  for (const u of users) fake.data.addUser(tenant, u);
  const settings = (secretName = 'M365_SECRET') => ({ type: 'm365', tenantId: tenant.id, clientId: app.clientId, clientSecret: { secret: secretName }, authorityHost: fake.url, graphEndpoint: fake.url });
  return {
    fake,
    tenant,
    app,
    secret,
    certificate,
    settings,
    endpointYaml: (secretName = 'M365_SECRET', as = app) => `{ type: m365, tenantId: ${tenant.id}, clientId: ${as.clientId}, ${secretName === null ? 'deviceCode: true' : `clientSecret: { secret: ${secretName} }`}, authorityHost: '${fake.url}', graphEndpoint: '${fake.url}' }`,
    request(mailbox, secrets = { M365_SECRET: secret }, override) {
      const endpoint: PlanEndpoint = { name: 'm365', type: 'm365', settings: override ?? settings(), nameRange: range };
      return { endpoint, planDir: '/', mailbox, credentials: { secrets: new Map(Object.entries(secrets)) }, signal: new AbortController().signal };
    },
  };
}
