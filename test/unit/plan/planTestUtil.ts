// Shared by the plan tests: a valid base plan, an in-memory file system for its CSV files, and
// findings reduced to [code, line, column] (1-based, as the command line prints them).
import * as path from 'node:path';
import { validatePlan, type ValidationResult } from '../../../src/plan/validate';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';

export const NOW = new Date('2026-11-21T12:00:00Z');
export const PLAN_DIR = path.resolve('/plans/contoso');
export const PLAN_FILE = path.join(PLAN_DIR, 'contoso.migration.yaml');

/** A plan with zero findings; each rule case changes one thing in it. Line numbers are used by the tests. */
export const BASE_PLAN = `version: 1
project:
  name: Contoso to Fabrikam
  owner: ops@fabrikam.example
endpoints:
  contoso-imap:
    type: imap
    host: imap.contoso.example
    port: 993
    security: tls
    auth:
      username: admin@contoso.example
      password: { secret: CONTOSO_IMAP }
  fabrikam:
    type: m365
    tenantId: fabrikam.onmicrosoft.com
    clientId: 11111111-2222-3333-4444-555555555555
    clientSecret: { secret: FABRIKAM_APP }
source: contoso-imap
destination: fabrikam
options:
  folders:
    exclude: ['^Junk$']
    map:
      - from: '^Archive/(.*)$'
        to: 'Old Archive/$1'
  dateRange: { from: '2020-01-01', to: '2026-12-31' }
  maxConcurrentMigrations: 5
  notifications: { to: [ops@fabrikam.example] }
identityMapping:
  domains:
    - { from: contoso.example, to: fabrikam.example }
  pairs:
    - { source: ceo@contoso.example, destination: chief@fabrikam.example }
batches:
  - name: Wave 1
    startAfter: 2026-12-01T20:00:00Z
    completeAfter: 2026-12-05T20:00:00Z
    items:
      - source: ann@contoso.example
      - source: bob@contoso.example
        destination: robert@fabrikam.example
  - name: Wave 2
    itemsFile: wave2.csv
`;

export const BASE_CSV = `source,destination
carol@contoso.example,
dave@contoso.example,david@fabrikam.example
`;

export type Files = Record<string, string>;

/** Validates a plan with CSV files given by path relative to the plan's folder. */
export function run(text: string, files: Files = { 'wave2.csv': BASE_CSV }): ValidationResult {
  const byPath = new Map(Object.entries(files).map(([name, content]) => [path.resolve(PLAN_DIR, name), content]));
  return validatePlan(text, { file: PLAN_FILE, now: NOW, readFile: (absolute) => byPath.get(absolute) });
}

/** [code, line, column] with 1-based positions; a fourth element names a file other than the plan. */
export type Found = [string, number, number] | [string, number, number, string];

export function found(diagnostics: readonly PlanDiagnostic[]): Found[] {
  return diagnostics.map((d): Found => {
    const at: Found = [d.code, d.range.start.line + 1, d.range.start.character + 1];
    return d.file === PLAN_FILE ? at : [...at, path.relative(PLAN_DIR, d.file)] as Found;
  });
}

/** Replaces exactly one occurrence of `from` (a test that edits nothing would prove nothing). */
export function edit(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i === -1 || text.indexOf(from, i + 1) !== -1) throw new Error(`edit: "${from}" must occur exactly once in the plan`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: PlanDiagnostic): string {
  const lines = text.split('\n');
  const { start, end } = d.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}
