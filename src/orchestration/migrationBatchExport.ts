// A batch as Exchange Online migration-batch input, for operators who run the move with
// Microsoft's own service: the CSV New-MigrationBatch reads (`EmailAddress`, plus `UserName` and
// `Password` for an IMAP migration, `Username` for a Google Workspace one) and a PowerShell script
// with the New-MigrationBatch command.
import type { Plan, PlanBatch } from '../plan/model';
import { crossTenantSettings } from './runOrchestrated';

export type MigrationType = 'crossTenant' | 'remoteMove' | 'imap' | 'gmail';

export interface ExportedBatch {
  batch: string;
  migrationType: MigrationType;
  /** File names (no folder): `<name>.csv` and `<name>.ps1`. */
  csvFile: string;
  scriptFile: string;
  csv: string;
  script: string;
}

export interface ExportProblem {
  batch: string;
  reason: string;
}

/** A file name from a batch name: letters, digits, `-`, `_` and `.` kept, the rest `-`. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'batch';
}

/** A PowerShell single-quoted string. */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** What kind of migration batch New-MigrationBatch runs for the batch's source, or why there is none. */
export function migrationTypeOf(plan: Plan, batch: PlanBatch): MigrationType | string {
  const source = batch.source ? plan.endpoints.get(batch.source) : undefined;
  const destination = batch.destination ? plan.endpoints.get(batch.destination) : undefined;
  if (!source || !destination) return 'its source or destination endpoint is missing';
  if (destination.type !== 'm365') return `its destination "${destination.name}" is not Microsoft 365 (m365)`;
  switch (source.type) {
    case 'm365':
      return 'crossTenant';
    case 'exchange':
      return 'remoteMove';
    case 'imap':
      return 'imap';
    case 'gmail':
      return 'gmail';
    default:
      return `Exchange Online has no migration batch for a ${source.type ?? 'typeless'} source`;
  }
}

const GMAIL_NO_DELIVERY_DOMAIN =
  'a Google Workspace migration batch needs -TargetDeliveryDomain, the subdomain that routes mail to Microsoft 365 (e.g. o365.contoso.com): set targetDeliveryDomain on the gmail endpoint or pass --delivery-domain';

/** The gmail endpoint's `targetDeliveryDomain`, if set. */
function gmailDeliveryDomain(settings: Readonly<Record<string, unknown>>): string | undefined {
  return typeof settings.targetDeliveryDomain === 'string' && settings.targetDeliveryDomain.trim() ? settings.targetDeliveryDomain.trim() : undefined;
}

/** Exchange Online's DateTime parameters, given in UTC. */
function psDate(date: Date): string {
  return `([DateTime]::Parse(${psQuote(date.toISOString())}).ToUniversalTime())`;
}

export function exportBatch(plan: Plan, batch: PlanBatch, options: { targetDeliveryDomain?: string } = {}): ExportedBatch | ExportProblem {
  const type = migrationTypeOf(plan, batch);
  if (type !== 'crossTenant' && type !== 'remoteMove' && type !== 'imap' && type !== 'gmail') return { batch: batch.name, reason: type };
  const items = batch.items.filter((i) => i.resolvedDestination);
  if (!items.length) return { batch: batch.name, reason: 'it has no mailbox with a destination address' };
  const base = safeFileName(batch.name);
  const csvFile = `${base}.csv`;
  const scriptFile = `${base}.ps1`;
  // Cross-tenant and remote moves name the target mail user; IMAP adds how to log in to the source.
  // Google Workspace: EmailAddress the Microsoft 365 mailbox, Username the Gmail primary address.
  const rows =
    type === 'imap'
      ? [['EmailAddress', 'UserName', 'Password'], ...items.map((i) => [i.resolvedDestination!, i.sourceAuth?.username ?? i.source, ''])]
      : type === 'gmail'
        ? [['EmailAddress', 'Username'], ...items.map((i) => [i.resolvedDestination!, i.source])]
        : [['EmailAddress'], ...items.map((i) => [i.resolvedDestination!])];
  const csv = rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  const source = plan.endpoints.get(batch.source!)!;
  const sourceEndpoint = type === 'crossTenant' ? (crossTenantSettings(plan.endpoints.get(batch.destination!)!.settings).migrationEndpoint ?? source.name) : source.name;
  const planned = type === 'gmail' ? gmailDeliveryDomain(source.settings) : crossTenantSettings(plan.endpoints.get(batch.destination!)?.settings ?? {}).targetDeliveryDomain;
  // A Google Workspace batch forwards new mail to the routing subdomain of Microsoft 365: the
  // destination's own domain still points at Google, so there is no safe default.
  if (type === 'gmail' && !options.targetDeliveryDomain && !planned) return { batch: batch.name, reason: GMAIL_NO_DELIVERY_DOMAIN };
  const deliveryDomain = options.targetDeliveryDomain ?? planned ?? items[0].resolvedDestination!.split('@')[1];
  const args = [
    `-Name ${psQuote(batch.name)}`,
    `-SourceEndpoint ${psQuote(sourceEndpoint)}`,
    `-CSVData ([System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot ${psQuote(csvFile)})))`,
    ...(type === 'crossTenant' || type === 'remoteMove' || type === 'gmail' ? [`-TargetDeliveryDomain ${psQuote(deliveryDomain)}`] : []),
    ...(batch.startAfter ? [`-StartAfter ${psDate(batch.startAfter)}`] : []),
    ...(batch.completeAfter ? [`-CompleteAfter ${psDate(batch.completeAfter)}`] : []),
    ...(plan.options.notifications.to.length ? [`-NotificationEmails ${plan.options.notifications.to.map(psQuote).join(',')}`] : []),
    `-BadItemLimit ${plan.options.badItemLimit}`,
    '-AutoStart',
  ];
  const label = { crossTenant: 'cross-tenant mailbox migration', remoteMove: 'remote move migration (onboarding)', imap: 'IMAP migration', gmail: 'Google Workspace migration' }[type];
  const script = [
    `# Ferry export of batch ${JSON.stringify(batch.name)} from ${plan.file}`,
    `# Migration type: ${label}. Run in Exchange Online PowerShell (Connect-ExchangeOnline) of the target tenant.`,
    `# The migration endpoint ${psQuote(sourceEndpoint)} must exist (Get-MigrationEndpoint).`,
    ...(type === 'imap' ? [`# Fill the Password column of ${csvFile} first: Ferry never writes secrets.`] : []),
    ...(type === 'gmail' ? [`# The endpoint is New-MigrationEndpoint -Gmail with the service account's JSON key; ${psQuote(deliveryDomain)} must route to Microsoft 365.`] : []),
    '',
    `New-MigrationBatch \`\n  ${args.join(' `\n  ')}`,
    '',
  ].join('\n');
  return { batch: batch.name, migrationType: type, csvFile, scriptFile, csv, script };
}
