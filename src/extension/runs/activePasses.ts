// Passes this window started and has not seen end, kept in workspaceState: after a window reload
// the ones still listed were cut off, and the extension offers to resume them.
import type * as vscode from 'vscode';
import type { PassKind } from '../../engine/statuses';

export interface ActivePass {
  planFile: string;
  kind: PassKind;
  batch?: string;
  item?: string;
  startedAt: string;
  passId?: number;
}

const key = 'ferry.activePasses';

export class ActivePasses {
  constructor(private readonly state: vscode.Memento) {}

  all(): ActivePass[] {
    return Object.values(this.state.get<Record<string, ActivePass>>(key, {}));
  }

  get(planFile: string): ActivePass | undefined {
    return this.state.get<Record<string, ActivePass>>(key, {})[planFile];
  }

  async set(pass: ActivePass): Promise<void> {
    await this.state.update(key, { ...this.state.get<Record<string, ActivePass>>(key, {}), [pass.planFile]: pass });
  }

  async clear(planFile: string): Promise<void> {
    const all = { ...this.state.get<Record<string, ActivePass>>(key, {}) };
    delete all[planFile];
    await this.state.update(key, all);
  }
}
