// Plans and store snapshots for the unit tests of the extension's pure modules.
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import type { ItemStatistics } from '../../../src/engine/statistics';
import type { ItemStatus } from '../../../src/engine/statuses';
import type { StoreSnapshot } from '../../../src/views/projectView';

export const planFile = '/work/plans/demo.migration.yaml';

export const blockPlan = `# comment
version: 1
project:
  name: Demo project
  description: |
    A block scalar
    - source: not-an-item@contoso.example
endpoints:
  src:
    type: maildir
    path: ./source
  dst:
    type: imap
    host: imap.fabrikam.example
    auth:
      username: admin@fabrikam.example
      password: { secret: DST_PW }
source: src
destination: dst
identityMapping:
  domains:
    - { from: contoso.example, to: fabrikam.example }
batches:
  - name: Pilot
    description: >
      folded text
    items:
      - source: ann@contoso.example
      # a comment between items
      - source: bob@contoso.example
        destination: robert@fabrikam.example
        approveOversize: false
      - { source: "carol@contoso.example", approveOversize: true }
  - name: Wave 2
    destination: src
    itemsFile: wave2.csv
  -
    name: Empty
options:
  maxConcurrentMigrations: 5
`;

export function item(source: string, status: ItemStatus, extra: Partial<ItemStatistics> = {}): ItemStatistics {
  return { batch: 'Pilot', source, destination: source.replace('contoso', 'fabrikam'), status, syncState: status === 'Completed' ? 'InSync' : 'NeverSynced', items: 0, bytes: 0, skipped: {}, skippedItems: [], excludedFolders: [], errors: 0, retryable: 0, folders: [], ...extra };
}

export function snapshot(items: ItemStatistics[], errors: StoreSnapshot['errors'] = []): StoreSnapshot {
  const status: ProjectStatus = {
    planFile,
    name: 'Demo project',
    batches: [{ batch: { name: 'Pilot', status: 'SyncedWithErrors', total: items.length, synced: items.filter((i) => i.syncState === 'InSync').length, finalized: 0, failed: 0, percentSynced: 0, createdAt: '2026-01-01T00:00:00.000Z' }, items }],
    passes: [{ id: 1, projectId: 1, kind: 'full', status: 'completed', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:02.000Z', runnerPid: 1 }],
  };
  return { readAt: 0, status, errors };
}
