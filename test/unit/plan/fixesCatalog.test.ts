import * as assert from 'node:assert/strict';
import { allEntries } from '../../../src/errors/catalog';
import { fixesFor, fixProviders } from '../../../src/plan/fixes';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';

const csvFinding = (column: string): PlanDiagnostic => ({
  file: '/p/wave.csv',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 40 } },
  severity: 'error',
  code: 'PLAN-024',
  message: '',
  data: { column },
});

describe('quick fixes and the catalog', () => {
  it('every plan edit the catalog promises has an implementation', () => {
    const promised = new Set(allEntries().flatMap((e) => e.fixes.flatMap((f) => (f.kind === 'planEdit' ? [f.id] : []))));
    const missing = [...promised].filter((id) => !(id in fixProviders));
    assert.deepEqual(missing, []);
  });

  const csvCases: [string, string, string, string | undefined][] = [
    ['a misspelt column is renamed', 'source,destinaton\na@x.example,b@y.example\n', 'destinaton', 'source,destination'],
    ['a known column in another case needs no rename', 'source,sourceUserName\n', 'sourceUserName', undefined],
    ['an address column stands in for source', 'email,destination\na@x.example,b@y.example\n', 'source', 'source,destination'],
    ['an unrelated column gets no rename', 'source,notes\n', 'notes', undefined],
  ];
  for (const [name, text, column, header] of csvCases) {
    it(`CSV header: ${name}`, () => {
      const fixes = fixesFor(text, csvFinding(column), { file: '/p/wave.csv', now: new Date() });
      if (header === undefined) return assert.equal(fixes.length, 0);
      assert.equal(fixes.length, 1);
      const [edit] = fixes[0].edits;
      const line = text.split('\n')[0];
      assert.equal(line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character), header);
    });
  }
});
