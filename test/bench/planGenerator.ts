// Generates large, valid plans for benchmarks and scale tests.
export function largePlan(items: number, batches = 10): string {
  const lines = [
    'version: 1',
    'project:',
    '  name: Scale test',
    'endpoints:',
    '  src:',
    '    type: imap',
    '    host: imap.contoso.example',
    '    auth:',
    '      username: admin@contoso.example',
    '      password: { secret: SRC_ADMIN }',
    '  dst:',
    '    type: m365',
    '    tenantId: fabrikam.onmicrosoft.com',
    '    clientId: 11111111-2222-3333-4444-555555555555',
    '    clientSecret: { secret: DST_APP }',
    'source: src',
    'destination: dst',
    'identityMapping:',
    '  domains:',
    '    - from: contoso.example',
    '      to: fabrikam.example',
    'batches:',
  ];
  const perBatch = Math.ceil(items / batches);
  for (let b = 0; b < batches; b++) {
    lines.push(`  - name: Wave ${b + 1}`, '    items:');
    for (let i = b * perBatch; i < Math.min(items, (b + 1) * perBatch); i++) {
      lines.push(`      - source: user${i}@contoso.example`);
      if (i % 2 === 0) lines.push(`        destination: user${i}@fabrikam.example`);
    }
  }
  return `${lines.join('\n')}\n`;
}
