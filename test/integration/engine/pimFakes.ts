// The fakes a delta test of contacts and calendars needs, for a describe block: a Microsoft 365
// tenant (the fake Graph), a Google Workspace domain (the fake Google) and an Exchange server (the
// fake EWS, with an impersonation account); started before its tests, stopped after them, and every
// Graph and Google answer checked against Microsoft's and Google's descriptions after each test.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { pimOf, type PimRecord } from '../../servers/fakeM365/graphPim';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { tempDir } from '../../unit/helpers/repoRoot';

export const EWS_ORG = 'contoso.local';
export const EWS_ADMIN = { address: `migadmin@${EWS_ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;

export interface PimFakes {
  t: TestTenant;
  google: TestDomain;
  ews: FakeEws;
  /** EX_ADMIN, M365_SECRET and GKEY, as the plan's endpoints name them. */
  secrets: Record<string, string>;
  /** A Microsoft 365 user's contacts, calendars and To Do lists as the fake holds them. */
  pim(user: string): PimRecord;
  /** The plan's Exchange endpoint (the impersonation account). */
  exchange(): string;
}

/** `tenant`: the Microsoft 365 users; `google`: the Workspace users; `ews`: Exchange users (beside the admin) and their seeded mailboxes. */
export function usePimFakes(o: { tenant: string[]; google: string[]; ews: { users: FakeEwsUser[]; mailboxes?: Record<string, SeedMailbox> } }): PimFakes {
  const f = {
    secrets: { EX_ADMIN: EWS_ADMIN.password } as Record<string, string>,
    pim: (user: string) => pimOf(f.t.fake.data.mailbox(f.t.fake.data.findUser(f.t.tenant, user)!.id)),
    exchange: () => `{ type: exchange, url: '${f.ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`,
  } as PimFakes;
  before(async () => {
    [f.t, f.google] = await Promise.all([startTestTenant(o.tenant, { latencyMs: 1 }), startTestDomain({ users: o.google })]);
    f.secrets.M365_SECRET = f.t.secret;
    f.secrets.GKEY = JSON.stringify(f.google.key);
    const dataDir = tempDir('ferry-pim-fakes-ews');
    createFakeEwsData(dataDir, { users: [EWS_ADMIN, ...o.ews.users], ...(o.ews.mailboxes ? { mailboxes: o.ews.mailboxes } : {}) });
    f.ews = await startFakeEws({ dataDir });
  });
  afterEach(() => {
    assert.deepEqual(f.t?.fake.graph.deviations ?? [], []);
    assert.deepEqual(f.google?.fake.admin.schemaProblems ?? [], []);
  });
  after(async () => {
    await f.ews?.close();
    await f.google?.fake.stop();
    await f.t?.fake.close();
    resetTokenProviders();
  });
  return f;
}
