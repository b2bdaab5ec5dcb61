// Secrets never sit in the plan: plaintext values under secret-like keys (and PEM private keys
// anywhere) are errors, and secret references must have names the environment can carry.
// PLAN-020 args: [where]           e.g. ["endpoints.contoso-imap.auth.password"] (csvItems.ts passes ['column "password"'])
//          data: {path, suggestedName}
// PLAN-039 args: [name, where]     data: {path, name, suggestedName}
// Both replace the schema's error at the same path ("must be object", "must match pattern").
import type { PathSegment } from '../yamlDocument';
import { at, isObj, nonEmpty, upperSnake, type Obj } from './located';
import type { Rule, RuleContext } from './ruleContext';

const secretKeys = new Set(['password', 'passwd', 'clientsecret', 'privatekey', 'secret', 'token', 'accesstoken', 'refreshtoken', 'apikey']);
const secretName = /^[A-Za-z0-9_.-]+$/;
const pemPrivateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const isSecretKey = (key: string) => secretKeys.has(key.toLowerCase());

/** `{ secret: NAME }`: an object whose only key is `secret`, or any object with `secret` under a secret-like key. */
function isReference(value: unknown, key: string | undefined): value is Obj {
  if (!isObj(value) || !('secret' in value)) return false;
  return Object.keys(value).length === 1 || (key !== undefined && isSecretKey(key));
}

/**
 * A name for the secret, from where it sits: endpoint `contoso-imap` auth.password →
 * CONTOSO_IMAP_PASSWORD; item `ann@contoso.com` sourceAuth.password → ANN_CONTOSO_COM_SOURCE_PASSWORD.
 */
export function suggestSecretName(value: unknown, path: readonly PathSegment[]): string {
  const last = upperSnake(String(path[path.length - 1] ?? 'secret'));
  if (path[0] === 'endpoints' && typeof path[1] === 'string') return `${upperSnake(path[1])}_${last}`;
  if (path[0] === 'batches' && path[2] === 'items') {
    const source = at(value, 'batches', path[1] as number, 'items', path[3] as number, 'source');
    const side = typeof path[4] === 'string' ? upperSnake(path[4].replace(/Auth$/, '')) : '';
    if (nonEmpty(source)) return [upperSnake(source), side, last].filter(Boolean).join('_');
  }
  return upperSnake(path.filter((s) => typeof s === 'string').join('_')) || 'SECRET';
}

function walk(value: unknown, path: PathSegment[], visit: (value: unknown, path: PathSegment[], key: string | undefined) => boolean): void {
  const key = typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : undefined;
  if (!visit(value, path, key)) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

function referenceNames(value: unknown): Set<string> {
  const names = new Set<string>();
  walk(value, [], (v, _p, key) => {
    if (isReference(v, key) && typeof v.secret === 'string') names.add(v.secret.toUpperCase());
    return true;
  });
  return names;
}

function unique(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`${name}_${n}`)) n++;
  return `${name}_${n}`;
}

export const noPlaintextSecrets: Rule = (ctx: RuleContext) => {
  let taken: Set<string> | undefined;
  walk(ctx.value, [], (value, path, key) => {
    if (isReference(value, key)) {
      const name = value.secret;
      if (typeof name === 'string' && !secretName.test(name)) {
        const p = [...path, 'secret'];
        const suggestedName = upperSnake(name) || suggestSecretName(ctx.value, path);
        ctx.report({ code: 'PLAN-039', args: [name, path.join('.')], path: p, data: { name, suggestedName }, coversSchema: true });
      }
      return false;
    }
    const plaintext =
      (key !== undefined && isSecretKey(key) && (nonEmpty(value) || typeof value === 'number')) || (typeof value === 'string' && pemPrivateKey.test(value));
    if (plaintext) {
      taken ??= referenceNames(ctx.value);
      ctx.report({ code: 'PLAN-020', args: [path.join('.')], path, data: { suggestedName: unique(suggestSecretName(ctx.value, path), taken) }, coversSchema: true });
      return false;
    }
    return true;
  });
};
