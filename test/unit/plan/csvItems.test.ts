// CSV items files: every problem on its own CSV line, and good lines kept around bad ones.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseItemsCsv, splitCsvLine } from '../../../src/plan/csvItems';
import { BASE_PLAN, PLAN_DIR, found, run } from './planTestUtil';

const FILE = path.join(PLAN_DIR, 'wave2.csv');

interface CsvCase {
  name: string;
  csv: string;
  /** [code, line (1-based)] of every finding. */
  expect: [string, number][];
  /** Sources of the items read, with their 1-based lines. */
  items: [string, number][];
}

const cases: CsvCase[] = [
  { name: 'a plain file', csv: 'source,destination\nann@contoso.example,ann@fabrikam.example\n', expect: [], items: [['ann@contoso.example', 2]] },
  { name: 'BOM, CRLF, comments, blank lines, quotes and capitalised headers', csv: '\uFEFFSource,Destination\r\n# wave 2\r\n\r\n"ann@contoso.example" , "a ""b"""\r\nbob@contoso.example,\r\n', expect: [], items: [['ann@contoso.example', 4], ['bob@contoso.example', 5]] },
  { name: 'too many fields, then a good line', csv: 'source,destination\nann@contoso.example,x@fabrikam.example,extra\nbob@contoso.example,\n', expect: [['PLAN-023', 2]], items: [['bob@contoso.example', 3]] },
  { name: 'an unclosed quote spoils its own line only', csv: 'source,destination\n"ann@contoso.example,x\nbob@contoso.example,\n', expect: [['PLAN-023', 2]], items: [['bob@contoso.example', 3]] },
  { name: 'text after a closing quote', csv: 'source,destination\nann@contoso.example,"x"y\nbob@contoso.example,\n', expect: [['PLAN-023', 2]], items: [['bob@contoso.example', 3]] },
  { name: 'a stray quote inside a field', csv: 'source,destination\nann"@contoso.example,\nbob@contoso.example,\n', expect: [['PLAN-023', 2]], items: [['bob@contoso.example', 3]] },
  { name: 'an empty source', csv: 'source,destination\n,x@fabrikam.example\nbob@contoso.example,\n', expect: [['PLAN-023', 2]], items: [['bob@contoso.example', 3]] },
  { name: 'missing source column', csv: 'destination\nx@fabrikam.example\n', expect: [['PLAN-024', 1]], items: [] },
  { name: 'unknown column (the items are still read)', csv: 'source,colour\nann@contoso.example,blue\n', expect: [['PLAN-024', 1]], items: [['ann@contoso.example', 2]] },
  { name: 'column twice', csv: 'source,source\nann@contoso.example,ann@contoso.example\n', expect: [['PLAN-024', 1]], items: [['ann@contoso.example', 2]] },
  { name: 'semicolon-separated file', csv: 'source;destination\nann@contoso.example;x@fabrikam.example\n', expect: [['PLAN-024', 1], ['PLAN-024', 1]], items: [] },
  { name: 'password column is a plaintext secret', csv: 'source,sourcePassword\nann@contoso.example,hunter2\n', expect: [['PLAN-020', 1]], items: [['ann@contoso.example', 2]] },
  { name: 'token column is a plaintext secret', csv: 'source,destination_token\nann@contoso.example,abc\n', expect: [['PLAN-020', 1]], items: [['ann@contoso.example', 2]] },
  { name: 'secret name columns are fine', csv: 'source,sourceUsername,sourcePasswordSecret\nann@contoso.example,ann,ANN_PW\n', expect: [], items: [['ann@contoso.example', 2]] },
  { name: 'invalid secret name in a cell', csv: 'source,sourceUsername,sourcePasswordSecret\nann@contoso.example,ann,ann pw\n', expect: [['PLAN-039', 2]], items: [['ann@contoso.example', 2]] },
  { name: 'secret without a user name', csv: 'source,sourcePasswordSecret\nann@contoso.example,ANN_PW\n', expect: [['PLAN-023', 2]], items: [['ann@contoso.example', 2]] },
  { name: 'approveOversize that is not a yes or no', csv: 'source,approveOversize\nann@contoso.example,maybe\nbob@contoso.example,yes\n', expect: [['PLAN-023', 2]], items: [['ann@contoso.example', 2], ['bob@contoso.example', 3]] },
  { name: 'an empty file', csv: '', expect: [['PLAN-024', 1]], items: [] },
];

describe('CSV items files', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = parseItemsCsv(FILE, c.csv);
      const message = result.diagnostics.map((d) => d.message).join('\n');
      assert.deepEqual(result.diagnostics.map((d) => [d.code, d.range.start.line + 1]), c.expect, message);
      assert.deepEqual(result.items.map((i) => [i.source, i.origin.kind === 'csv' ? i.origin.line + 1 : -1]), c.items);
      for (const d of result.diagnostics) {
        assert.equal(d.file, FILE);
        assert.equal(d.range.start.character, 0);
      }
    });
  }

  it('reads the user names, secret names and approval of a line', () => {
    const [item] = parseItemsCsv(FILE, 'source,destination,sourceUsername,sourcePasswordSecret,destinationUsername,approveOversize\nann@contoso.example,ann@fabrikam.example,ann,ANN_PW,ann.f,TRUE\n').items;
    assert.deepEqual(
      { source: item.source, destination: item.destination, sourceAuth: item.sourceAuth, destinationAuth: item.destinationAuth, approveOversize: item.approveOversize },
      { source: 'ann@contoso.example', destination: 'ann@fabrikam.example', sourceAuth: { username: 'ann', password: { secret: 'ANN_PW' } }, destinationAuth: { username: 'ann.f' }, approveOversize: true },
    );
  });

  it('a finding covers its whole CSV line', () => {
    const [d] = parseItemsCsv(FILE, 'source,destination\nann@contoso.example,a,b\n').diagnostics;
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 23 } });
    assert.match(d.message, /line 2/);
  });

  it('splits fields as RFC 4180 says', () => {
    assert.deepEqual(splitCsvLine('a, "b,c" ,"d""e",'), { fields: ['a', 'b,c', 'd"e', ''] });
    assert.ok('error' in splitCsvLine('"a'));
  });

  it('through validatePlan: CSV findings land in the CSV file, the good lines still count', () => {
    const result = run(BASE_PLAN, { 'wave2.csv': 'source,destination,password\ncarol@contoso.example,,x\n"bad,\ndave@contoso.example,,y\n' });
    assert.deepEqual(found(result.diagnostics), [
      ['PLAN-020', 1, 1, 'wave2.csv'],
      ['PLAN-023', 3, 1, 'wave2.csv'],
    ]);
    assert.deepEqual(result.plan.batches[1].items.map((i) => i.source), ['carol@contoso.example', 'dave@contoso.example']);
  });
});
