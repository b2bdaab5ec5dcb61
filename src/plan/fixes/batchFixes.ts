// Quick fixes on batches and their items: a unique name, removing a duplicate (or unwanted) item
// from the plan or from its CSV file, removing an empty batch.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Range } from '../diagnostic';
import { keyText, type PathSegment, type PlanYaml } from '../yamlDocument';
import { splitLines } from '../completion/yamlLines';
import { deleteEntry, inFlow, replaceScalar, type TextEdit } from './yamlEdits';
import { entryOf } from './locate';
import { str, type FixInput, type FixProvider, type PlanFix } from './fixTypes';

/** Every batch name in the plan, lower-cased. */
function batchNames(yaml: PlanYaml): Set<string> {
  const names = new Set<string>();
  const batches = yaml.nodeAt(['batches']);
  if (!isSeq(batches)) return names;
  for (const batch of batches.items) {
    if (!isMap(batch)) continue;
    const name = batch.items.find((p) => keyText(p.key) === 'name')?.value;
    if (isScalar(name)) names.add(String(name.value).trim().toLowerCase());
  }
  return names;
}

/** `Wave 1 (2)`, `Wave 1 (3)`, ...: the first that no batch uses. */
export function uniqueBatchName(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** The batch a path is in: `batches.<i>`. */
function batchPath(path: readonly PathSegment[] | undefined): PathSegment[] | undefined {
  return path && path[0] === 'batches' && typeof path[1] === 'number' ? path.slice(0, 2) : undefined;
}

export const makeBatchNameUnique: FixProvider = ({ yaml, diagnostic, path }) => {
  const batch = batchPath(path);
  if (!batch) return [];
  const namePath = [...batch, 'name'];
  const node = yaml.nodeAt(namePath);
  if (!isScalar(node)) return [];
  const taken = batchNames(yaml);
  const suggested = str(diagnostic.data?.suggestion);
  const name = suggested && !taken.has(suggested.trim().toLowerCase()) ? suggested : uniqueBatchName(String(node.value), taken);
  return [{ title: `Rename the batch to '${name}'`, code: diagnostic.code, edits: [replaceScalar(yaml, node, name, inFlow(yaml, namePath))], isPreferred: true }];
};

/** Deletes a CSV line; `text` is the CSV's content when the editor offers the fix in the CSV file. */
export function deleteCsvLine({ text, diagnostic, context }: FixInput): TextEdit {
  const line = diagnostic.range.start.line;
  const whole: Range = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
  if (diagnostic.file !== context.file) return { range: whole, newText: '' };
  const lines = splitLines(text);
  if (line + 1 < lines.length) return { range: whole, newText: '' };
  // The last line has no newline after it: take the one before it instead.
  if (line === 0) return { range: { start: { line, character: 0 }, end: { line, character: lines[line]?.length ?? 0 } }, newText: '' };
  return { range: { start: { line: line - 1, character: lines[line - 1].length }, end: { line, character: lines[line].length } }, newText: '' };
}

/** The item a path is in: `batches.<i>.items.<j>`. */
function itemPath(path: readonly PathSegment[] | undefined): PathSegment[] | undefined {
  return path && path[0] === 'batches' && path[2] === 'items' && typeof path[3] === 'number' ? path.slice(0, 4) : undefined;
}

function removeItemFix(input: FixInput, title: (source: string) => string, preferred: boolean): PlanFix[] {
  const { yaml, diagnostic, inCsv } = input;
  const source = str(diagnostic.data?.source) ?? str(diagnostic.data?.address) ?? '';
  if (inCsv) return [{ title: `${title(source)} (line ${diagnostic.range.start.line + 1} of the CSV file)`, code: diagnostic.code, edits: [deleteCsvLine(input)], isPreferred: preferred }];
  const item = itemPath(input.path);
  const entry = item && entryOf(yaml, item);
  if (!item || !entry) return [];
  const edit = deleteEntry(yaml, entry.collection, entry.index, entry.parentPath);
  const written = yaml.nodeAt([...item, 'source']);
  const name = isScalar(written) ? String(written.value) : source;
  return edit ? [{ title: title(name), code: diagnostic.code, edits: [edit], isPreferred: preferred }] : [];
}

export const removeDuplicateItem: FixProvider = (input) => removeItemFix(input, (s) => `Remove the duplicate item ${s}`.trim(), true);

export const removeItem: FixProvider = (input) => removeItemFix(input, (s) => `Remove the item ${s}`.trim(), false);

export const removeEmptyBatch: FixProvider = ({ yaml, diagnostic, path }) => {
  const batch = batchPath(path);
  const entry = batch && entryOf(yaml, batch);
  if (!batch || !entry) return [];
  const name = yaml.nodeAt([...batch, 'name']);
  const edit = deleteEntry(yaml, entry.collection, entry.index, entry.parentPath);
  return edit ? [{ title: `Remove the empty batch${isScalar(name) ? ` '${String(name.value)}'` : ''}`, code: diagnostic.code, edits: [edit] }] : [];
};
