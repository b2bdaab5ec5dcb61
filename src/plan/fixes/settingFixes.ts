// Quick fixes that set one option: the supported plan version, the recommended concurrency, an
// items file path relative to the plan, and the items file itself (a command, not an edit).
import * as path from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { PathSegment, PlanYaml } from '../yamlDocument';
import { addToMap, inFlow, replaceScalar } from './yamlEdits';
import { str, type FixProvider } from './fixTypes';

export const CREATE_ITEMS_FILE_COMMAND = 'ferry.createItemsFile';
export const SUPPORTED_VERSION = 1;
export const RECOMMENDED_CONCURRENCY = 5;

function setScalar(yaml: PlanYaml, target: PathSegment[], value: unknown) {
  const node = yaml.nodeAt(target);
  return isScalar(node) ? replaceScalar(yaml, node, value, inFlow(yaml, target)) : undefined;
}

export const setSupportedVersion: FixProvider = ({ yaml, diagnostic }) => {
  const change = setScalar(yaml, ['version'], SUPPORTED_VERSION);
  return change ? [{ title: `Set version to ${SUPPORTED_VERSION}`, code: diagnostic.code, edits: [change], isPreferred: true }] : [];
};

export const setRecommendedConcurrency: FixProvider = ({ yaml, diagnostic }) => {
  const recommended = typeof diagnostic.data?.recommended === 'number' ? diagnostic.data.recommended : RECOMMENDED_CONCURRENCY;
  const value = Math.max(1, Math.min(RECOMMENDED_CONCURRENCY, Math.floor(recommended)));
  const existing = yaml.nodeAt(['options', 'maxConcurrentMigrations']);
  const change = existing ? setScalar(yaml, ['options', 'maxConcurrentMigrations'], value) : addToMap(yaml, ['options'], { maxConcurrentMigrations: value });
  return change ? [{ title: `Set maxConcurrentMigrations to ${value}`, code: diagnostic.code, edits: [change] }] : [];
};

/** A path relative to the plan's folder, with `/` separators (plans are shared across systems). */
function relativeToPlan(planFile: string, itemsFile: string): string | undefined {
  const dir = path.dirname(path.resolve(planFile));
  const relative = path.relative(dir, path.resolve(dir, itemsFile));
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

export const makeItemsFilePathRelative: FixProvider = ({ yaml, diagnostic, context, path: at }) => {
  if (!at || at[0] !== 'batches' || typeof at[1] !== 'number') return [];
  const target = [...at.slice(0, 2), 'itemsFile'];
  const node = yaml.nodeAt(target);
  if (!isScalar(node) || typeof node.value !== 'string') return [];
  const relative = relativeToPlan(context.file, node.value);
  if (!relative || relative === node.value) return [];
  return [{ title: `Use the relative path ${relative}`, code: diagnostic.code, edits: [replaceScalar(yaml, node, relative, inFlow(yaml, target))], isPreferred: true }];
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'items';

/**
 * PLAN-022: create the CSV file the batch names (the `ferry.createItemsFile` command with its
 * absolute path). PLAN-031: also point the empty batch at a new file named after it.
 */
export const createItemsFile: FixProvider = ({ yaml, diagnostic, context, path: at }) => {
  if (!at || at[0] !== 'batches' || typeof at[1] !== 'number') return [];
  const batch = at.slice(0, 2);
  const dir = path.dirname(path.resolve(context.file));
  const written = yaml.nodeAt([...batch, 'itemsFile']);
  const command = (absolute: string) => ({ command: CREATE_ITEMS_FILE_COMMAND, title: 'Create the items file', arguments: [absolute] });
  if (isScalar(written) && typeof written.value === 'string') {
    const absolute = str(diagnostic.data?.absolute) ?? path.resolve(dir, written.value);
    return [{ title: `Create the items file ${written.value}`, code: diagnostic.code, edits: [], command: command(absolute) }];
  }
  if (!isMap(yaml.nodeAt(batch))) return [];
  const name = yaml.nodeAt([...batch, 'name']);
  const file = `${slug(isScalar(name) ? String(name.value) : `batch-${Number(batch[1]) + 1}`)}.csv`;
  const change = addToMap(yaml, batch, { itemsFile: file });
  return change ? [{ title: `Take the items from a new file ${file}`, code: diagnostic.code, edits: [change], command: command(path.resolve(dir, file)) }] : [];
};
