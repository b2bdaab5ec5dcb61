import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/plan/fixes/applyEdits';
import { addItemsEdit, appendCsvEdit, approveOversizeEdit, removeCsvLineEdit, removePlanItemEdits } from '../../../src/views/planEdits';
import { planOutline } from '../../../src/views/planOutline';
import { validatePlan } from '../../../src/plan/validate';
import { blockPlan, planFile } from './outlineFixtures';

const batch = (text: string, name: string) => planOutline(planFile, text).batches.find((b) => b.name === name)!;
const errorsOf = (text: string) => validatePlan(text, { file: planFile, readFile: () => 'source\n' }).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

describe('extension: plan edits', () => {
  it('adds mailboxes below the last item, in the list style of the plan', () => {
    const edit = addItemsEdit(blockPlan, batch(blockPlan, 'Pilot'), [{ source: 'dan@contoso.example' }, { source: 'o\'brien@contoso.example', destination: 'ob@fabrikam.example' }])!;
    const out = applyEdits(blockPlan, [edit]);
    assert.ok(out.includes(`      - { source: "carol@contoso.example", approveOversize: true }\n      - source: dan@contoso.example\n      - source: "o'brien@contoso.example"\n        destination: ob@fabrikam.example\n  - name: Wave 2`), out);
    assert.deepEqual(batch(out, 'Pilot').items.map((i) => i.source).slice(-2), ['dan@contoso.example', "o'brien@contoso.example"]);
  });

  const cases: [string, string, string][] = [
    ['a batch without items gets an items list', 'batches:\n  - name: A\n    description: x\n', 'batches:\n  - name: A\n    description: x\n    items:\n      - source: a@contoso.example\n'],
    ['an empty block list', 'batches:\n  - name: A\n    items:\n  - name: B\n', 'batches:\n  - name: A\n    items:\n      - source: a@contoso.example\n  - name: B\n'],
    ['an empty flow list', 'batches:\n  - name: A\n    items: []\n', 'batches:\n  - name: A\n    items: [{ source: a@contoso.example }]\n'],
    ['a flow list', 'batches:\n  - name: A\n    items: [{ source: z@contoso.example }]\n', 'batches:\n  - name: A\n    items: [{ source: z@contoso.example }, { source: a@contoso.example }]\n'],
    ['sequences not indented under their key', 'batches:\n- name: A\n  items:\n  - source: z@contoso.example\n', 'batches:\n- name: A\n  items:\n  - source: z@contoso.example\n  - source: a@contoso.example\n'],
  ];
  for (const [name, text, expected] of cases) {
    it(`adds a mailbox: ${name}`, () => {
      const edit = addItemsEdit(text, batch(text, 'A'), [{ source: 'a@contoso.example' }]);
      assert.equal(applyEdits(text, [edit!]), expected);
    });
  }

  it('appends to a CSV file in the order of its header', () => {
    const csv = 'destination,source\nx@fabrikam.example,x@contoso.example';
    assert.equal(applyEdits(csv, [appendCsvEdit(csv, [{ source: 'a@contoso.example', destination: 'b,c@fabrikam.example' }])]), 'destination,source\nx@fabrikam.example,x@contoso.example\n"b,c@fabrikam.example",a@contoso.example\n');
  });

  it('removes a plan item; the last one leaves an empty list, so the plan stays valid', () => {
    const pilot = batch(blockPlan, 'Pilot');
    const bob = pilot.items[1];
    const out = applyEdits(blockPlan, removePlanItemEdits(blockPlan, bob.lines!, pilot.itemsList!.keyLine, pilot.items.length));
    assert.deepEqual(batch(out, 'Pilot').items.map((i) => i.source), ['ann@contoso.example', 'carol@contoso.example']);
    const single = 'version: 1\nproject: { name: P }\nendpoints:\n  a: { type: maildir, path: ./a }\n  b: { type: maildir, path: ./b }\nsource: a\ndestination: b\nbatches:\n  - name: A\n    items:\n      - source: a@contoso.example\n        destination: b@contoso.example\n';
    const a = batch(single, 'A');
    const emptied = applyEdits(single, removePlanItemEdits(single, a.items[0].lines!, a.itemsList!.keyLine, 1));
    assert.ok(emptied.endsWith('    items: []\n'), emptied);
    assert.deepEqual(errorsOf(emptied).filter((e) => !e.startsWith('PLAN-0')), []);
  });

  it('removes a CSV line', () => {
    assert.equal(applyEdits('source\na\nb\n', [removeCsvLineEdit(1)]), 'source\nb\n');
  });

  it('approves an oversize mailbox in the plan: adds the key, or turns false into true', () => {
    const pilot = batch(blockPlan, 'Pilot');
    const ann = applyEdits(blockPlan, [approveOversizeEdit(blockPlan, pilot.items[0].lines!)!]);
    assert.equal(batch(ann, 'Pilot').items[0].approveOversize, true);
    const bob = applyEdits(blockPlan, [approveOversizeEdit(blockPlan, pilot.items[1].lines!)!]);
    assert.ok(bob.includes('        approveOversize: true\n      - {'), bob);
    assert.equal(approveOversizeEdit(blockPlan, pilot.items[2].lines!), undefined, 'a flow item is left to the approve command');
  });
});
