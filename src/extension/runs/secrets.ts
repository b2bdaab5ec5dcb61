// The secrets a plan names ({ secret: NAME }), read from SecretStorage for a start request. Values
// go to the runner only; the log learns them so that it can mask them, and sees only the names.
import type * as vscode from 'vscode';
import { secretKey } from '../common/ids';
import type { Logger } from '../common/logger';

export async function planSecrets(secrets: vscode.SecretStorage, names: readonly string[], logger: Logger): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const name of names) {
    const value = await secrets.get(secretKey(name));
    if (value !== undefined) found[name] = value;
  }
  logger.redact(Object.values(found));
  const missing = names.filter((n) => !(n in found));
  if (names.length) logger.info('secrets', `sending ${Object.keys(found).length} of ${names.length} secrets the plan names${missing.length ? `; not in SecretStorage: ${missing.join(', ')}` : ''}`);
  return found;
}
