// The fake's cross-tenant migration jobs at the protocol level: the seed's API errors (422
// duplicateDisplayNameJob, 422 minThresholdFailed, 409 resourceTypeMismatch on deleting a job that
// is not final), the permission Graph asks for, cancel then delete, and the client's mapping of
// those answers to catalog codes.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Settings } from '../../../src/connectors/m365/m365Settings';
import { ConnectorError } from '../../../src/connectors/types';
import { CrossTenantClient } from '../../../src/orchestration/crossTenantClient';
import { crossTenantJobsOf } from '../../servers/fakeM365/crossTenantJobs';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { request, tokenRequest } from '../connectors/m365/fakeHttp';

const JOBS = '/solutions/migrations/crossTenantMigrationJobs';

describe('fake Microsoft 365: cross-tenant migration jobs', function () {
  this.timeout(20_000);
  let t: TestTenant;
  let token: string;
  const graph = (path: string, method = 'GET', body?: object) =>
    request(`${t.fake.url}/beta${path}`, t.fake.caPem, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const future = () => new Date(Date.now() + 3_600_000).toISOString();
  const job = (displayName: string, completeAfterDateTime = future()) => ({
    displayName,
    completeAfterDateTime,
    sourceTenantId: '12345678-1234-1234-1234-123456789012',
    exchangeSettings: { sourceEndpoint: 'T2T', targetDeliveryDomain: 'contoso.test' },
    workloads: ['Exchange'],
    resourceType: 'Users',
    resources: [annId],
  });
  let annId = '';

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    t.app.roles.push('CrossTenantContentMigration.ReadWrite.All');
    annId = t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id;
    token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  it('creates a job (201, submitted) and refuses a second one with the same displayName: 422 duplicateDisplayNameJob', async () => {
    const created = await graph(JOBS, 'POST', job('Wave A'));
    assert.equal(created.status, 201);
    assert.equal(created.json().status, 'submitted');
    assert.equal(created.json().jobType, 'migrate');
    const again = await graph(JOBS, 'POST', job('wave a'));
    assert.equal(again.status, 422);
    const error = again.json().error as { code: string; message: string; details: { code: string; target: string; message: string }[] };
    assert.equal(error.code, 'BadArgument');
    assert.equal(error.message, 'Error in displayName data field duplicateDisplayNameJob');
    assert.deepEqual(error.details[0], { code: 'duplicateDisplayNameJob', target: 'displayName', message: 'displayName already exists. Please provide a unique job displayName.' });
  });

  it('refuses a completeAfterDateTime in the past: 422 minThresholdFailed', async () => {
    const res = await graph(JOBS, 'POST', job('Wave B', new Date(Date.now() - 60_000).toISOString()));
    assert.equal(res.status, 422);
    const error = res.json().error as { code: string; details: { code: string; target: string; message: string }[] };
    assert.equal(error.code, 'BadArgument');
    assert.deepEqual(error.details[0], { code: 'minThresholdFailed', target: 'completeAfterDateTime', message: 'completeAfterDateTime must be greater than the current time.' });
  });

  it('deletes only in a final state: 409 Conflict (resourceTypeMismatch) before, 204 after cancel', async () => {
    const id = String((await graph(JOBS, 'POST', job('Wave C'))).json().id);
    const refused = await graph(`${JOBS}/${id}`, 'DELETE');
    assert.equal(refused.status, 409);
    const error = refused.json().error as { code: string; message: string; details: { code: string }[] };
    assert.equal(error.code, 'Conflict');
    assert.equal(error.message, `Cross Tenant Migration Job ${id} must be in final state (Completed, Failed, or Cancelled) before it can be deleted.`);
    assert.equal(error.details[0].code, 'resourceTypeMismatch');
    const cancel = await graph(`${JOBS}/${id}/cancel`, 'POST');
    assert.equal(cancel.status, 202);
    assert.equal(cancel.json().status, 'pendingCancel');
    assert.equal((await graph(`${JOBS}/${id}`)).json().status, 'cancelled');
    assert.equal((await graph(`${JOBS}/${id}`, 'DELETE')).status, 204);
    assert.equal((await graph(`${JOBS}/${id}`)).status, 404);
  });

  it('exists under /beta only (v1.0: 400), and takes the target users\' object ids as resources, not addresses (422)', async () => {
    const v1 = await request(`${t.fake.url}/v1.0${JOBS}`, t.fake.caPem, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(v1.status, 400);
    assert.match(String((v1.json().error as { message?: string }).message), /Resource not found for the segment 'migrations'/);
    const byAddress = await graph(JOBS, 'POST', { ...job('By address'), resources: ['ann@contoso.test'] });
    assert.equal(byAddress.status, 422);
    assert.equal((byAddress.json().error as { details: { code: string }[] }).details[0].code, 'invalidResource');
  });

  it('asks for CrossTenantContentMigration.ReadWrite.All', async () => {
    const other = t.fake.data.addApp(t.tenant, { secrets: ['other-secret'] });
    const weak = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, other.clientId, 'other-secret')).json().access_token);
    const res = await request(`${t.fake.url}/beta${JOBS}`, t.fake.caPem, { headers: { authorization: `Bearer ${weak}` } });
    assert.equal(res.status, 403);
  });

  it('the client maps the 422s and the 409 to their catalog entries', async () => {
    const settings = m365Settings(t.request('ann@contoso.test'));
    const client = await CrossTenantClient.open(settings, new AbortController().signal);
    const codeOf = async (op: () => Promise<unknown>) => {
      try {
        await op();
        return 'no error';
      } catch (err) {
        assert.ok(err instanceof ConnectorError, String(err));
        return err.code;
      }
    };
    const req = job('Wave D') as Parameters<CrossTenantClient['create']>[0];
    const created = await client.create(req);
    assert.equal(await codeOf(() => client.create(req)), 'duplicateDisplayNameJob');
    assert.equal(await codeOf(() => client.create({ ...req, displayName: 'Wave E', completeAfterDateTime: '2020-01-01T00:00:00Z' })), 'minThresholdFailed');
    assert.equal(await codeOf(() => client.remove(created.id)), 'resourceTypeMismatch');
    assert.ok(crossTenantJobsOf(t.fake.graph).job(created.id));
  });
});
