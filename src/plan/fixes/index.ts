// Quick fixes for plan findings, as plain text edits: the catalog names the plan-edit fixes of
// each code (FixAction kind 'planEdit'), this module implements them. Pure; the VS Code layer
// turns a PlanFix into a CodeAction.
//
// `text` is the content of `context.file`; the edits apply to `diagnostic.file`. For a finding in
// a CSV items file that is the CSV (an edit deletes its line), for everything else the plan.
import { isMap, isScalar, isSeq } from 'yaml';
import type { PlanDiagnostic } from '../diagnostic';
import { getEntry } from '../../errors/catalog';
import type { FixAction } from '../../errors/types';
import { PlanYaml } from '../yamlDocument';
import { diagnosticPath } from './locate';
import type { FixInput, FixProvider, PlanFix } from './fixTypes';
import { makeBatchNameUnique, removeDuplicateItem, removeEmptyBatch, removeItem } from './batchFixes';
import { moveCompleteAfterToFuture, swapDateRange, swapSchedule } from './scheduleFixes';
import { pickExistingEndpoint, removeUnusedEndpoint, useHttpsUrl, useTlsSecurity } from './endpointFixes';
import { addIdentityRule, removeDuplicateIdentityRule } from './identityFixes';
import { moveSecretToStorage, renameSecretReference } from './secretFixes';
import { addMissingProperty, removeUnknownProperty, replaceWithAllowedValue, replaceWithKnownProperty } from './schemaFixes';
import { addCsvColumn } from './csvFixes';
import { reindentKey } from './indentFixes';
import { createItemsFile, makeItemsFilePathRelative, setRecommendedConcurrency, setSupportedVersion } from './settingFixes';

export type { TextEdit, PlanFix, FixContext } from './fixTypes';

/** Fix id (the catalog's planEdit ids, plus removeUnknownProperty) → implementation. */
export const fixProviders: Readonly<Record<string, FixProvider>> = {
  makeBatchNameUnique,
  moveCompleteAfterToFuture,
  removeDuplicateItem,
  removeItem,
  removeEmptyBatch,
  pickExistingEndpoint,
  addIdentityRule,
  moveSecretToStorage,
  renameSecretReference,
  swapSchedule,
  swapDateRange,
  removeUnusedEndpoint,
  useHttpsUrl,
  useTlsSecurity,
  createItemsFile,
  makeItemsFilePathRelative,
  setSupportedVersion,
  setRecommendedConcurrency,
  removeDuplicateIdentityRule,
  addMissingProperty,
  replaceWithKnownProperty,
  removeUnknownProperty,
  replaceWithAllowedValue,
  addCsvColumn,
  reindentKey,
};

/** Fixes every code gets even if its catalog entry does not list them (the catalog's come first). */
const extraFixes: Readonly<Record<string, readonly string[]>> = {
  duplicateDisplayNameJob: ['makeBatchNameUnique'],
  minThresholdFailed: ['moveCompleteAfterToFuture'],
  'PLAN-051': ['moveCompleteAfterToFuture'],
  'CTM-001': ['removeDuplicateItem'],
  'CTM-002': ['removeDuplicateItem'],
  'EXCH-07': ['pickExistingEndpoint'],
  'IM-003': ['addIdentityRule'],
  'PLAN-010': ['addMissingProperty'],
  'PLAN-011': ['replaceWithKnownProperty', 'removeUnknownProperty'],
  'PLAN-012': ['replaceWithAllowedValue'],
  'PLAN-020': ['moveSecretToStorage'],
  'PLAN-022': ['createItemsFile'],
  'PLAN-026': ['swapSchedule'],
  'PLAN-027': ['pickExistingEndpoint'],
  'PLAN-030': ['removeUnusedEndpoint'],
};

/** The plan-edit fix ids for a code, in the catalog's order. */
export function fixIdsFor(code: string): string[] {
  const fromCatalog = (getEntry(code)?.fixes ?? []).flatMap((f) => (f.kind === 'planEdit' ? [f.id] : []));
  return [...new Set([...fromCatalog, ...(extraFixes[code] ?? [])])];
}

let lastParsed: PlanYaml | undefined;

/** Hands over the parse validation just made of a text, so fixes for that text need no second parse. */
export function rememberParsed(yaml: PlanYaml): void {
  lastParsed = yaml;
}

/** Code actions ask once per finding under the cursor: parse each text once. */
function parsed(text: string): PlanYaml {
  if (lastParsed?.text !== text) lastParsed = new PlanYaml(text);
  return lastParsed;
}

const isCsvFinding = (diagnostic: PlanDiagnostic, file: string) =>
  /\.csv$/i.test(diagnostic.file) || (diagnostic.file !== file && !/\.ya?ml$/i.test(diagnostic.file));

export function fixesFor(text: string, diagnostic: PlanDiagnostic, context: { file: string; now: Date }): PlanFix[] {
  const ids = fixIdsFor(diagnostic.code).filter((id) => id in fixProviders);
  if (!ids.length) return [];
  const inCsv = isCsvFinding(diagnostic, context.file);
  const yaml = inCsv ? new PlanYaml('') : parsed(text);
  const input: FixInput = { text, yaml, diagnostic, context, inCsv, path: inCsv ? undefined : diagnosticPath(yaml, diagnostic) };
  const fixes: PlanFix[] = [];
  for (const id of ids) {
    try {
      fixes.push(...fixProviders[id](input));
    } catch {
      // A fix that cannot make sense of a half-edited document offers nothing rather than failing the editor.
    }
  }
  return fixes;
}

/** What the quick-fix menu (and the hover's Fixes list) offers for one finding: the plan edits that apply, then the catalog's other actions that fit this plan. */
export interface OfferedFixes {
  edits: PlanFix[];
  actions: FixAction[];
  /** Whether the plan runs orchestrated batches (the seed's service wording applies). */
  orchestrated: boolean;
}

/** The offered fixes as the catalog's actions, for a Fixes list (the hover's). */
export function offeredAsActions(offered: OfferedFixes): FixAction[] {
  return [...offered.edits.map((f): FixAction => ({ kind: 'planEdit', id: f.code, title: f.title })), ...offered.actions];
}

/** Whether a batch of the plan runs on Microsoft's orchestrated cross-tenant service (`orchestrated: true`). */
export function isOrchestratedPlan(yaml: PlanYaml): boolean {
  const batches = yaml.nodeAt(['batches']);
  if (!isSeq(batches)) return false;
  return batches.items.some((b) => {
    if (!isMap(b)) return false;
    const flag = b.get('orchestrated', true);
    return isScalar(flag) && flag.value === true;
  });
}

/**
 * The catalog's commands, admin commands and documentation for a code. The seed's rows come from
 * Microsoft's orchestrated-migration catalog: their articles and PowerShell apply only to a plan
 * with orchestrated batches; elsewhere only the plan edits and Ferry's own commands are offered.
 */
export function catalogActions(code: string, orchestrated: boolean): FixAction[] {
  const entry = getEntry(code);
  if (!entry) return [];
  return entry.fixes.filter((f) => f.kind !== 'planEdit' && (orchestrated || entry.source !== 'seed-004' || f.kind === 'command'));
}

export function offeredFixes(text: string, diagnostic: PlanDiagnostic, context: { file: string; now: Date }): OfferedFixes {
  const orchestrated = /\.ya?ml$/i.test(context.file) && isOrchestratedPlan(parsed(text));
  return { edits: fixesFor(text, diagnostic, context), actions: catalogActions(diagnostic.code, orchestrated), orchestrated };
}
