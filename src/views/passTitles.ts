// How passes are named in notifications, the log and the tree ("Full pass of Demo, batch Wave 1").
import type { PassKind } from '../engine/statuses';

export const passNames: Record<PassKind | 'complete', string> = {
  verify: 'Verify credentials',
  trial: 'Trial pass',
  prestage: 'Pre-stage pass',
  full: 'Full pass',
  delta: 'Delta pass',
  retry: 'Retry errors',
  complete: 'Complete',
};

export function passTitle(kind: PassKind | 'complete', project: string, scope: { batch?: string; item?: string } = {}): string {
  const where = scope.item ? `, ${scope.item}` : scope.batch ? `, batch ${scope.batch}` : '';
  return `${passNames[kind]} of ${project}${where}`;
}
