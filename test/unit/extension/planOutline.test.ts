import * as assert from 'node:assert/strict';
import { largePlan } from '../../bench/planGenerator';
import { planOutline, withCsvItems } from '../../../src/views/planOutline';
import { blockPlan, planFile } from './outlineFixtures';

describe('extension: plan outline', () => {
  const outline = planOutline(planFile, blockPlan);

  it('reads the head with the real parser: name, endpoints with their lines, identity mapping, secrets', () => {
    assert.equal(outline.name, 'Demo project');
    assert.deepEqual(outline.endpoints.map((e) => [e.name, e.type, e.nameRange.start.line]), [['src', 'maildir', 8], ['dst', 'imap', 11]]);
    assert.deepEqual(outline.secretNames, ['DST_PW']);
    assert.equal(outline.identityMapping.domains[0].to, 'fabrikam.example');
  });

  it('reads batches and items line by line, block and flow style, skipping block scalars', () => {
    assert.deepEqual(outline.batches.map((b) => b.name), ['Pilot', 'Wave 2', 'Empty']);
    const [pilot, wave2, empty] = outline.batches;
    assert.deepEqual(pilot.items.map((i) => [i.source, i.destination, i.approveOversize]), [
      ['ann@contoso.example', 'ann@fabrikam.example', false],
      ['bob@contoso.example', 'robert@fabrikam.example', false],
      ['carol@contoso.example', 'carol@fabrikam.example', true],
    ]);
    assert.deepEqual(pilot.items.map((i) => i.lines), [{ first: 27, last: 27 }, { first: 29, last: 31 }, { first: 32, last: 32 }]);
    const ann = pilot.items[0].origin;
    assert.equal(ann.kind, 'plan');
    assert.deepEqual(ann.range, { start: { line: 27, character: 16 }, end: { line: 27, character: 35 } });
    assert.deepEqual(pilot.nameRange.start, { line: 23, character: 10 });
    assert.equal(pilot.itemsList?.keyLine, 26);
    assert.equal(pilot.itemsList?.dashCol, 6);
    assert.equal(pilot.keyCol, 4);
    assert.deepEqual([pilot.source, pilot.destination, wave2.source, wave2.destination], ['src', 'dst', 'src', 'src']);
    assert.equal(wave2.itemsFile, 'wave2.csv');
    assert.deepEqual(outline.csvFiles, ['/work/plans/wave2.csv']);
    assert.equal(empty.keyCol, 4);
    assert.equal(empty.items.length, 0);
  });

  it('adds the items of CSV files on their lines', () => {
    const withCsv = withCsvItems(outline, new Map([['/work/plans/wave2.csv', 'source,destination,sourceUsername,sourcePasswordSecret\ndave@contoso.example,,dave,DAVE_PW\n\nerin@contoso.example,e@fabrikam.example,,\n']]));
    const wave2 = withCsv.batches[1];
    assert.deepEqual(wave2.items.map((i) => [i.source, i.destination, i.origin.kind === 'csv' ? i.origin.line : -1]), [['dave@contoso.example', 'dave@fabrikam.example', 1], ['erin@contoso.example', 'e@fabrikam.example', 3]]);
    assert.deepEqual(withCsv.secretNames.sort(), ['DAVE_PW', 'DST_PW']);
  });

  it('keeps endpoint lines right when keys follow the batches block', () => {
    const text = 'version: 1\nbatches:\n  - name: A\n    items:\n      - source: a@contoso.example\nendpoints:\n  late:\n    type: maildir\n    path: ./x\n';
    assert.equal(planOutline(planFile, text).endpoints[0].nameRange.start.line, 6);
  });

  it('names for reading only the items files validation would read: none outside the plan\'s folder', () => {
    const hostile = blockPlan.replace('itemsFile: wave2.csv\n', 'itemsFile: /etc/passwd.csv\n  - name: Out\n    itemsFile: ../../dev/zero.csv\n  - name: In\n    itemsFile: waves/w3.csv\n');
    assert.deepEqual(planOutline(planFile, hostile).csvFiles, ['/work/plans/waves/w3.csv']);
  });

  it('tolerates half-typed text', () => {
    const text = 'version: 1\nproject: { name: "Half\nbatches:\n  - name: B\n    items:\n      - source:\n      - sou';
    const o = planOutline(planFile, text);
    assert.deepEqual(o.batches.map((b) => [b.name, b.items.length]), [['B', 0]]);
  });

  // Its time is a figure of `npm run bench:validate` ("tree outline"), not an assertion here.
  it('reads 10,000 mailboxes in 10 batches', () => {
    const o = planOutline(planFile, largePlan(10_000, 10));
    assert.equal(o.batches.length, 10);
    assert.equal(o.batches.reduce((s, b) => s + b.items.length, 0), 10_000);
  });
});
