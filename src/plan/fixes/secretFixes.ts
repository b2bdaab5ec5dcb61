// PLAN-020: the plaintext secret leaves the plan for SecretStorage (the `ferry.setSecret` command
// runs after the edit with the name and the value) and `{ secret: NAME }` takes its place.
// PLAN-039: an invalid secret reference name gets the suggested one.
import { isScalar } from 'yaml';
import type { PathSegment } from '../yamlDocument';
import { edit, inFlow, replaceScalar, scalarText } from './yamlEdits';
import { str, type FixProvider } from './fixTypes';

export const SET_SECRET_COMMAND = 'ferry.setSecret';

const upperSnake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** A name from where the secret sits: endpoint `contoso-imap` auth.password → CONTOSO_IMAP_PASSWORD. */
export function deriveSecretName(path: readonly PathSegment[], itemSource?: string): string {
  const last = upperSnake(String(path[path.length - 1] ?? 'secret'));
  if (path[0] === 'endpoints' && typeof path[1] === 'string') return `${upperSnake(path[1])}_${last}`;
  if (itemSource) {
    const side = path.find((p) => p === 'sourceAuth' || p === 'destinationAuth');
    return [upperSnake(itemSource), side ? upperSnake(String(side).replace('Auth', '')) : '', last].filter(Boolean).join('_');
  }
  return path.filter((p) => typeof p === 'string').map((p) => upperSnake(String(p))).join('_') || 'SECRET';
}

export const moveSecretToStorage: FixProvider = ({ yaml, diagnostic, path, inCsv }) => {
  if (inCsv || !path) return [];
  const node = yaml.nodeAt(path);
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return [];
  const plaintext = String(node.value);
  const source = path[0] === 'batches' && path[2] === 'items' ? yaml.nodeAt(path.slice(0, 4).concat('source')) : undefined;
  const name = str(diagnostic.data?.suggestedName) ?? deriveSecretName(path, isScalar(source) ? String(source.value) : undefined);
  const [start, valueEnd] = node.range ?? [0, 0];
  let end = valueEnd;
  while (end > start + 1 && /\s/.test(yaml.text[end - 1])) end--;
  return [
    {
      title: `Move the secret to secret storage as '${name}'`,
      code: diagnostic.code,
      edits: [edit(yaml, start, end, `{ secret: ${scalarText(name, true)} }`)],
      isPreferred: true,
      command: { command: SET_SECRET_COMMAND, title: `Store secret ${name}`, arguments: [name, plaintext] },
    },
  ];
};

export const renameSecretReference: FixProvider = ({ yaml, diagnostic, path }) => {
  const name = str(diagnostic.data?.suggestedName);
  if (!path || !name) return [];
  const target = path[path.length - 1] === 'secret' ? path : [...path, 'secret'];
  const node = yaml.nodeAt(target);
  if (!isScalar(node)) return [];
  return [{ title: `Rename the secret reference to '${name}'`, code: diagnostic.code, edits: [replaceScalar(yaml, node, name, inFlow(yaml, target))], isPreferred: true }];
};
