// Issue 14: a batch name used twice (a plan error the editor flags) must not hide the second
// batch's mailboxes from the Projects view: each batch keeps its node and its own mailboxes.
import * as assert from 'node:assert/strict';
import { planOutline } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { childrenOf } from '../../../src/views/tree/children';
import { NodeCache } from '../../../src/views/tree/nodes';

const planFile = '/work/plans/dup.migration.yaml';
const plan = `version: 1
project: { name: Duplicates }
endpoints:
  src: { type: maildir, path: ./source }
  dst: { type: maildir, path: ./destination }
source: src
destination: dst
batches:
  - name: Wave 1
    items:
      - source: ann@contoso.example
  - name: Wave 1
    items:
      - source: carol@contoso.example
      - source: dave@contoso.example
`;

describe('Projects view: batches that share a name', () => {
  it('shows both batches, each with its own mailboxes', () => {
    const view = projectView(planFile, planOutline(planFile, plan), undefined, undefined);
    const cache = new NodeCache();
    const project = cache.project(planFile);
    const batchesNode = childrenOf(project, view, cache, () => 200).find((n) => n.kind === 'batches')!;
    const batchNodes = childrenOf(batchesNode, view, cache, () => 200);
    assert.equal(batchNodes.length, 2);
    assert.equal(new Set(batchNodes.map((n) => n.id)).size, 2, 'tree ids are unique');
    assert.deepEqual(
      batchNodes.map((n) => childrenOf(n, view, cache, () => 200).map((c) => c.ref.item)),
      [['ann@contoso.example'], ['carol@contoso.example', 'dave@contoso.example']],
    );
  });
});
