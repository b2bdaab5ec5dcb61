// `ferry export`: each batch as Exchange Online migration-batch input, a CSV with the column
// New-MigrationBatch reads and a PowerShell script with the command, dates and notifications
// from the plan.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { usage } from '../../../src/cli/usage';
import { tempDir } from '../helpers/repoRoot';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const m365 = "tenantId: 7a6f7b1e-0000-4000-8000-000000000001, clientId: 0d5c0a3e-0000-4000-8000-000000000002, clientSecret: { secret: M365 }";
const plan = `version: 1
project: { name: Export }
endpoints:
  fabrikam: { type: m365, ${m365} }
  contoso:
    { type: m365, ${m365},
      crossTenant: { migrationEndpoint: T2T-Fabrikam, sourceTenantId: 12345678-1234-1234-1234-123456789012, workloads: [exchange] } }
  imap: { type: imap, host: imap.example.com, auth: { username: admin, password: { secret: IMAP } } }
source: fabrikam
destination: contoso
options:
  notifications:
    to: [ops@contoso.test, "o'brien@contoso.test"]
batches:
  - name: Wave 1
    orchestrated: true
    startAfter: 2099-05-01T18:00:00Z
    completeAfter: 2099-05-03T18:00:00Z
    items:
      - { source: ann@fabrikam.test, destination: ann@contoso.test }
      - { source: bob@fabrikam.test, destination: bob@contoso.test }
  - name: From IMAP
    source: imap
    items:
      - { source: cat@example.com, destination: cat@contoso.test, sourceAuth: { username: cat, password: { secret: CAT } } }
`;

describe('ferry export', () => {
  it('writes a CSV and a New-MigrationBatch script per batch', async () => {
    const dir = tempDir('export');
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), plan);
    const io = capture(dir);
    assert.equal(await main(['export', 'p.migration.yaml', '--out', 'out'], io), 0, io.stderr.join('\n'));
    assert.equal(io.stdout.length, 2);
    const out = path.join(dir, 'out');
    assert.deepEqual(fs.readdirSync(out).sort(), ['From-IMAP.csv', 'From-IMAP.ps1', 'Wave-1.csv', 'Wave-1.ps1']);

    assert.equal(fs.readFileSync(path.join(out, 'Wave-1.csv'), 'utf8'), 'EmailAddress\r\nann@contoso.test\r\nbob@contoso.test\r\n');
    const script = fs.readFileSync(path.join(out, 'Wave-1.ps1'), 'utf8');
    assert.match(script, /^# Migration type: cross-tenant mailbox migration\./m);
    const command = script.slice(script.indexOf('New-MigrationBatch')).replace(/ `\n\s*/g, ' ').trim();
    assert.equal(
      command,
      "New-MigrationBatch -Name 'Wave 1' -SourceEndpoint 'T2T-Fabrikam' -CSVData ([System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot 'Wave-1.csv'))) " +
        "-TargetDeliveryDomain 'contoso.test' -StartAfter ([DateTime]::Parse('2099-05-01T18:00:00.000Z').ToUniversalTime()) " +
        "-CompleteAfter ([DateTime]::Parse('2099-05-03T18:00:00.000Z').ToUniversalTime()) -NotificationEmails 'ops@contoso.test','o''brien@contoso.test' -BadItemLimit 100 -AutoStart",
    );

    assert.equal(fs.readFileSync(path.join(out, 'From-IMAP.csv'), 'utf8'), 'EmailAddress,UserName,Password\r\ncat@contoso.test,cat,\r\n');
    const imap = fs.readFileSync(path.join(out, 'From-IMAP.ps1'), 'utf8');
    assert.match(imap, /IMAP migration/);
    assert.match(imap, /-SourceEndpoint 'imap'/);
    assert.doesNotMatch(imap, /-TargetDeliveryDomain/);
    assert.match(imap, /Fill the Password column/);
  });

  it('exports one batch with --batch, takes --delivery-domain, and fails on an unknown batch', async () => {
    const dir = tempDir('export-one');
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), plan);
    const io = capture(dir);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'Wave 1', '--delivery-domain', 'contoso.mail.onmicrosoft.com'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['Wave-1.csv', 'Wave-1.ps1', 'p.migration.yaml']);
    assert.match(fs.readFileSync(path.join(dir, 'Wave-1.ps1'), 'utf8'), /-TargetDeliveryDomain 'contoso\.mail\.onmicrosoft\.com'/);
    const missing = capture(dir);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'Nope'], missing), 1);
    assert.match(missing.stderr.join('\n'), /no batch named "Nope"/);
    assert.equal(await main(['export'], capture(dir)), 2);
  });

  it('takes the target delivery domain from the plan (crossTenant.targetDeliveryDomain); --delivery-domain wins', async () => {
    const dir = tempDir('export-planned');
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), plan.replace('sourceTenantId: 12345678-1234-1234-1234-123456789012,', 'sourceTenantId: 12345678-1234-1234-1234-123456789012, targetDeliveryDomain: contoso.mail.onmicrosoft.com,'));
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'Wave 1'], capture(dir)), 0);
    assert.match(fs.readFileSync(path.join(dir, 'Wave-1.ps1'), 'utf8'), /-TargetDeliveryDomain 'contoso\.mail\.onmicrosoft\.com'/);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'Wave 1', '--delivery-domain', 'other.mail.onmicrosoft.com'], capture(dir)), 0);
    assert.match(fs.readFileSync(path.join(dir, 'Wave-1.ps1'), 'utf8'), /-TargetDeliveryDomain 'other\.mail\.onmicrosoft\.com'/);
  });

  it('writes a Google Workspace batch: EmailAddress (Microsoft 365) and Username (Gmail) columns, -TargetDeliveryDomain the routing subdomain', async () => {
    const gmailPlan = plan
      .replace('  imap: {', '  google: { type: gmail, domain: gmail.test, serviceAccount: { clientEmail: sa@p.iam.gserviceaccount.com, privateKey: { secret: G } }, targetDeliveryDomain: o365.contoso.test }\n  imap: {')
      .replace('batches:\n', 'batches:\n  - name: From Google\n    source: google\n    items:\n      - { source: dan@gmail.test, destination: daniel@contoso.test }\n');
    const dir = tempDir('export-gmail');
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), gmailPlan);
    const io = capture(dir);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'From Google'], io), 0, io.stderr.join('\n'));
    assert.equal(fs.readFileSync(path.join(dir, 'From-Google.csv'), 'utf8'), 'EmailAddress,Username\r\ndaniel@contoso.test,dan@gmail.test\r\n');
    const script = fs.readFileSync(path.join(dir, 'From-Google.ps1'), 'utf8');
    assert.match(script, /^# Migration type: Google Workspace migration\./m);
    assert.match(script, /-SourceEndpoint 'google'/);
    assert.match(script, /-TargetDeliveryDomain 'o365\.contoso\.test'/);
    // Without a routing subdomain there is no safe default (the primary domain still points at Google).
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), gmailPlan.replace(', targetDeliveryDomain: o365.contoso.test', ''));
    const refused = capture(dir);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'From Google'], refused), 1);
    assert.match(refused.stderr.join('\n'), /needs -TargetDeliveryDomain.*--delivery-domain/);
    assert.equal(await main(['export', 'p.migration.yaml', '--batch', 'From Google', '--delivery-domain', 'o365.contoso.test'], capture(dir)), 0);
  });

  it('is documented in the usage text', () => {
    assert.match(usage, /export <file> \[--batch NAME\] \[--out DIR\]/);
    assert.match(usage, /New-MigrationBatch/);
  });
});
