// Microsoft sign-in for the runner's Microsoft 365 endpoints. Token caches (app tokens, and the
// account and refresh token of a device-code sign-in) are kept in SecretStorage and handed to each
// runner when it starts; the runner sends every change back. A device-code sign-in asks the
// operator through a notification that copies the code and opens Microsoft's page.
import * as vscode from 'vscode';
import type { DeviceCodeRequest } from '../../connectors/m365/auth/deviceCode';
import { tokenCacheIndex, tokenCacheKey } from '../common/ids';
import type { Logger } from '../common/logger';

export interface RunnerHooks {
  tokenCaches(): Promise<Record<string, string>>;
  saveTokenCache(key: string, data: string): Promise<void>;
  signIn(request: DeviceCodeRequest): void;
}

export class MicrosoftSignIn implements RunnerHooks {
  constructor(private readonly context: vscode.ExtensionContext, private readonly logger: Logger) {}

  async tokenCaches(): Promise<Record<string, string>> {
    const caches: Record<string, string> = {};
    for (const key of this.keys()) {
      const data = await this.context.secrets.get(tokenCacheKey(key));
      if (data) caches[key] = data;
    }
    return caches;
  }

  async saveTokenCache(key: string, data: string): Promise<void> {
    await this.context.secrets.store(tokenCacheKey(key), data);
    const keys = this.keys();
    if (!keys.includes(key)) await this.context.globalState.update(tokenCacheIndex, [...keys, key]);
  }

  /** Forgets every kept sign-in (the operator signs in afresh). */
  async clear(): Promise<void> {
    for (const key of this.keys()) await this.context.secrets.delete(tokenCacheKey(key));
    await this.context.globalState.update(tokenCacheIndex, []);
  }

  signIn(request: DeviceCodeRequest): void {
    this.logger.info('sign-in', `device code sign-in requested at ${request.verificationUri}`);
    const open = 'Copy Code and Open Browser';
    void vscode.window.showInformationMessage(`Ferry: sign in to Microsoft 365. ${request.message}`, open).then(async (choice) => {
      if (choice !== open) return;
      await vscode.env.clipboard.writeText(request.userCode);
      await vscode.env.openExternal(vscode.Uri.parse(request.verificationUri));
    });
  }

  private keys(): string[] {
    return this.context.globalState.get<string[]>(tokenCacheIndex) ?? [];
  }
}
