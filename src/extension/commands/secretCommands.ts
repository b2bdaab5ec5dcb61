// Secrets named by plans live only in SecretStorage; these commands put them there and remove them.
import * as vscode from 'vscode';
import { secretKey } from '../common/ids';
import type { Logger } from '../common/logger';

const namePattern = /^[A-Za-z0-9_.-]+$/;

/** `ferry.setSecret [name] [value]`: the quick fix passes both; the palette asks for them. */
export function setSecret(context: vscode.ExtensionContext, logger: Logger) {
  return async (name?: string, value?: string): Promise<boolean> => {
    const secretName =
      typeof name === 'string' && namePattern.test(name)
        ? name
        : await vscode.window.showInputBox({
            title: 'Ferry: Set Secret',
            prompt: 'Name the plan refers to as { secret: NAME }',
            validateInput: (v) => (namePattern.test(v) ? undefined : 'Letters, digits, _, - and . only'),
          });
    if (!secretName) return false;
    const secretValue =
      typeof value === 'string' && value.length > 0
        ? value
        : await vscode.window.showInputBox({ title: `Ferry: Set Secret ${secretName}`, prompt: 'The secret value (stored in VS Code SecretStorage, never in the plan)', password: true, ignoreFocusOut: true });
    if (!secretValue) return false;
    await context.secrets.store(secretKey(secretName), secretValue);
    logger.info('secrets', `stored secret ${secretName}`);
    void vscode.window.showInformationMessage(`Ferry: secret ${secretName} is stored in SecretStorage.`);
    return true;
  };
}

export function deleteSecret(context: vscode.ExtensionContext, logger: Logger) {
  return async (name?: string): Promise<boolean> => {
    const secretName = name ?? (await vscode.window.showInputBox({ title: 'Ferry: Delete Secret', prompt: 'Secret name' }));
    if (!secretName) return false;
    await context.secrets.delete(secretKey(secretName));
    logger.info('secrets', `deleted secret ${secretName}`);
    return true;
  };
}
