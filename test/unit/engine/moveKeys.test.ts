// Moves paired by a key the source keeps (src/engine/moveKeys.ts): one gone item and one new item
// with the same key are a move; a key that a copy shares (several new items, or several gone
// items) pairs nothing, and those items are left to the content match.
import * as assert from 'node:assert/strict';
import { moveKeyOf, pairOneToOne } from '../../../src/engine/moveKeys';

interface Item { name: string; id: string; moveKey?: string }
const key = (i: Item) => moveKeyOf(i.id, i.moveKey);
const pairs = (gone: Item[], arrived: Item[]) => [...pairOneToOne(gone, arrived, key, key)].map(([n, g]) => `${g.name}->${n.name}`).sort();

describe('moves paired by a move key, one to one', () => {
  it('pairs a gone item with the new item of its key, whatever their ids', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'old-1', moveKey: 'K1' }, { name: 'b', id: 'old-2', moveKey: 'K2' }], [{ name: 'b2', id: 'new-9', moveKey: 'K2' }, { name: 'c', id: 'new-8', moveKey: 'K3' }]), ['b->b2']);
  });

  it('pairs by id where the source gives no move key (ids kept across folders)', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'AAMk1' }], [{ name: 'a2', id: 'AAMk1' }]), ['a->a2']);
  });

  it('never takes an id for a move key or the other way round', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'K1' }], [{ name: 'b', id: 'new-1', moveKey: 'K1' }]), []);
  });

  it('takes an empty move key (the source gave none) for none', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'old-1', moveKey: '' }, { name: 'b', id: 'old-2', moveKey: '' }], [{ name: 'c', id: 'new-1', moveKey: '' }]), []);
  });

  it('pairs nothing by a key that several new items carry (the original moved and a copy made)', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'old-1', moveKey: 'K1' }], [{ name: 'a-moved', id: 'new-1', moveKey: 'K1' }, { name: 'a-copy', id: 'new-2', moveKey: 'K1' }]), []);
  });

  it('pairs nothing by a key that several gone items carry (an item and its copy both gone)', () => {
    assert.deepEqual(pairs([{ name: 'a', id: 'old-1', moveKey: 'K1' }, { name: 'a-copy', id: 'old-2', moveKey: 'K1' }], [{ name: 'a2', id: 'new-1', moveKey: 'K1' }]), []);
  });
});
