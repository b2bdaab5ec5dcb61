// An Exchange source (the fake EWS, one source mailbox) and a Microsoft 365 tenant (the fake Graph)
// for a describe block: started before its tests, stopped after them; every Graph JSON body checked
// against v1.0's metadata after each test.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { pimOf, type PimRecord } from '../../servers/fakeM365/graphPim';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { tempDir } from '../../unit/helpers/repoRoot';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;

export interface EwsToM365 {
  t: TestTenant;
  ews: FakeEws;
  /** The source mailboxes' addresses (`<name>@contoso.local`), in the order of their names. */
  sources: string[];
  secrets: Record<string, string>;
  /** The plan's Exchange endpoint. */
  exchange(): string;
  /** A Microsoft 365 user's contacts, calendars and To Do lists as the fake holds them. */
  pim(user: string): PimRecord;
}

/** Registers the hooks; `names`: the source mailboxes' local parts (each seeded with `seed`), `destinations`: the tenant's users. */
export function useEwsToM365(names: string[], seed: SeedMailbox, destinations: string[]): EwsToM365 {
  const sources = names.map((n) => `${n}@${ORG}`);
  const f = {
    sources,
    secrets: { EX_ADMIN: ADMIN.password } as Record<string, string>,
    exchange: () => `{ type: exchange, url: '${f.ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`,
    pim: (user: string) => pimOf(f.t.fake.data.mailbox(f.t.fake.data.findUser(f.t.tenant, user)!.id)),
  } as EwsToM365;
  before(async () => {
    f.t = await startTestTenant(destinations, { latencyMs: 1 });
    f.secrets.M365_SECRET = f.t.secret;
    const dataDir = tempDir(`ferry-${names[0]}`);
    const users = names.map((n, i) => ({ address: sources[i], login: `CONTOSO\\${n}`, password: `${n}-Pass1` }));
    createFakeEwsData(dataDir, { users: [ADMIN, ...users], mailboxes: Object.fromEntries(sources.map((a) => [a, seed])) });
    f.ews = await startFakeEws({ dataDir });
  });
  afterEach(() => assert.deepEqual(f.t?.fake.graph.deviations ?? [], []));
  after(async () => {
    await f.ews?.close();
    await f.t?.fake.close();
    resetTokenProviders();
  });
  return f;
}
