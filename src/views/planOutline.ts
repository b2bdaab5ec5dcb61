// The shape of a plan the views need (endpoints, batches, items and the lines they sit on), read
// fast enough for a 10,000-item plan on the extension host. The head of the plan (everything but
// `batches`, a few dozen lines) goes through the real parser and buildPlan; the batches block,
// which is what grows, is read line by line like completion does (the parser needs ~1 s for
// 10,000 items, the line reader ~10 ms). Pure: no vscode, no I/O.
import * as path from 'node:path';
import { isInside } from '../plan/projectFiles';
import { buildPlan } from '../plan/buildPlan';
import { parseItemsCsv } from '../plan/csvItems';
import { deriveDestination } from '../plan/identityMapping';
import type { Range } from '../plan/diagnostic';
import type { IdentityMapping, PlanEndpoint } from '../plan/model';
import { PlanYaml } from '../plan/yamlDocument';
import { splitLines, topLevelBlock } from '../plan/completion/yamlLines';
import { scanBatches } from './batchScanner';
import type { OutlineBatch, OutlineItem } from './outlineTypes';

export type { OutlineBatch, OutlineItem } from './outlineTypes';

export interface PlanOutline {
  file: string;
  name: string;
  endpoints: PlanEndpoint[];
  /** Top-level endpoint names; batches may override them. */
  source?: string;
  destination?: string;
  batches: OutlineBatch[];
  identityMapping: IdentityMapping;
  /** Every secret the plan (and its CSV files, once attached) names. */
  secretNames: string[];
  /** Absolute paths of the CSV items files the batches name. */
  csvFiles: string[];
}

const secretRef = /secret:\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))/g;

/** The outline of a plan's text; CSV items come later through withCsvItems. */
export function planOutline(file: string, text: string): PlanOutline {
  const lines = splitLines(text);
  const block = topLevelBlock(lines, 'batches');
  // The head without the batches block: small enough for the parser at any plan size.
  const head = block ? [...lines.slice(0, block.header), ...lines.slice(block.to)].join('\n') : text;
  const yaml = new PlanYaml(head);
  const plan = buildPlan(yaml, safeValue(yaml), file, () => []);
  const removed = block ? block.to - block.header : 0;
  const endpoints = [...plan.endpoints.values()].map((e) => (block && e.nameRange.start.line >= block.header ? { ...e, nameRange: shift(e.nameRange, removed) } : e));
  const batches = block ? scanBatches(lines, block.header, block.to, file) : [];
  for (const b of batches) {
    b.source ??= plan.source;
    b.destination ??= plan.destination;
    for (const item of b.items) item.destination ??= deriveDestination(item.source, plan.identityMapping);
  }
  const dir = path.dirname(file);
  return {
    file,
    name: plan.project.name,
    endpoints,
    source: plan.source,
    destination: plan.destination,
    batches,
    identityMapping: plan.identityMapping,
    secretNames: [...new Set([...text.matchAll(secretRef)].map((m) => m[1] ?? m[2] ?? m[3]))],
    // Only files validation would read: relative and inside the plan's folder (PLAN-038 otherwise).
    csvFiles: [...new Set(batches.flatMap((b) => (b.itemsFile && !path.isAbsolute(b.itemsFile) && isInside(dir, path.resolve(dir, b.itemsFile)) ? [path.resolve(dir, b.itemsFile)] : [])))],
  };
}

const shift = (r: Range, lines: number): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });

/** Adds the items of the batches' CSV files (texts by absolute path; a missing file adds none). */
export function withCsvItems(outline: PlanOutline, texts: ReadonlyMap<string, string>): PlanOutline {
  const dir = path.dirname(outline.file);
  const secrets = new Set(outline.secretNames);
  const batches = outline.batches.map((b) => {
    if (!b.itemsFile) return b;
    const text = texts.get(path.resolve(dir, b.itemsFile));
    if (text === undefined) return b;
    const csv: OutlineItem[] = parseItemsCsv(path.resolve(dir, b.itemsFile), text).items.map((i) => {
      for (const s of [i.sourceAuth?.password?.secret, i.destinationAuth?.password?.secret]) if (s) secrets.add(s);
      return { source: i.source, destination: i.destination ?? deriveDestination(i.source, outline.identityMapping), approveOversize: i.approveOversize, origin: i.origin };
    });
    return { ...b, items: [...b.items, ...csv] };
  });
  return { ...outline, batches, secretNames: [...secrets] };
}

/** A half-typed plan still shows what can be read of it. */
function safeValue(yaml: PlanYaml): unknown {
  try {
    return yaml.toJS();
  } catch {
    return {};
  }
}

