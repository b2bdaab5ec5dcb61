// Status icons: theme icons in theme colours, so they follow every colour theme.
import * as vscode from 'vscode';
import type { BatchStatus, ItemStatus } from '../../engine/statuses';
import type { PassStatus } from '../../store/rows';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const passed = 'testing.iconPassed';
const failed = 'testing.iconFailed';
const warned = 'list.warningForeground';

const batchIcons: Record<BatchStatus, [string, string?]> = {
  Created: ['circle-large-outline'],
  Stopped: ['debug-pause', 'disabledForeground'],
  Starting: ['loading~spin', 'charts.blue'],
  Syncing: ['sync~spin', 'charts.blue'],
  Synced: ['pass', passed],
  SyncedWithErrors: ['warning', warned],
  Stopping: ['loading~spin', 'charts.yellow'],
  Completing: ['loading~spin', 'charts.green'],
  Completed: ['pass-filled', 'charts.green'],
  Removing: ['trash', 'disabledForeground'],
  Failed: ['error', failed],
};

const itemIcons: Record<ItemStatus, [string, string?]> = {
  Queued: ['clock'],
  AnalysisStarted: ['loading~spin', 'charts.blue'],
  ConfirmationRequired: ['question', 'charts.yellow'],
  InProgress: ['sync~spin', 'charts.blue'],
  Completed: ['pass', passed],
  FinishedWithErrors: ['warning', warned],
  Failed: ['error', failed],
  Waiting: ['watch', 'charts.yellow'],
  InsufficientLicenses: ['error', failed],
  NotValid: ['circle-slash', failed],
  ResyncStarted: ['sync~spin', 'charts.blue'],
  Resynced: ['pass-filled', passed],
  Stopped: ['debug-pause', 'disabledForeground'],
  Interrupted: ['debug-disconnect', warned],
};

const passIcons: Record<PassStatus, [string, string?]> = {
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', passed],
  interrupted: ['debug-disconnect', warned],
  failed: ['error', failed],
  stopped: ['debug-pause', 'disabledForeground'],
};

export const batchIcon = (s: BatchStatus | undefined) => (s ? icon(...batchIcons[s]) : icon('circle-large-outline'));
export const itemIcon = (s: ItemStatus | undefined) => (s ? icon(...itemIcons[s]) : icon('mail'));
export const passIcon = (s: PassStatus) => icon(...passIcons[s]);
export const errorIcon = (severity: 'error' | 'warning' = 'error') => icon(severity === 'error' ? 'error' : 'warning', severity === 'error' ? 'list.errorForeground' : warned);
export const plainIcon = (id: string, color?: string) => icon(id, color);
