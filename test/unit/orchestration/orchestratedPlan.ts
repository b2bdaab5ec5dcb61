// The plan of the orchestrated-batch tests: one batch with `orchestrated: true` from the fake
// Microsoft 365 tenant to itself, users `<name>@fabrikam.test` to `<name>@contoso.test`.
import type { TestTenant } from '../../servers/fakeM365/testTenant';

export function orchestratedPlanYaml(t: TestTenant, batch: string, users: readonly string[], completeAfter: Date): string {
  const s = t.settings();
  const m365 = `tenantId: ${String(s.tenantId)}, clientId: ${String(s.clientId)}, clientSecret: { secret: M365_SECRET }, authorityHost: '${t.fake.url}', graphEndpoint: '${t.fake.url}'`;
  return `version: 1
project: { name: Orchestrated }
endpoints:
  src: { type: m365, ${m365} }
  dst:
    { type: m365, ${m365},
      crossTenant: { migrationEndpoint: T2T-Fabrikam, sourceTenantId: 12345678-1234-1234-1234-123456789012, workloads: [exchange] } }
source: src
destination: dst
batches:
  - name: ${batch}
    orchestrated: true
    completeAfter: ${completeAfter.toISOString()}
    items:
${users.map((u) => `      - { source: ${u}@fabrikam.test, destination: ${u}@contoso.test }`).join('\n')}
`;
}
