// What the cursor is on, in valid and in half-typed plans: the kind of position, its YAML path,
// the word being typed and the keys already there. ‸ marks the cursor.
import * as assert from 'node:assert/strict';
import { cursorContext, type ContextKind } from '../../../src/plan/completion/cursorContext';
import type { PathSegment } from '../../../src/plan/yamlDocument';

export function withCursor(marked: string): { text: string; position: { line: number; character: number } } {
  const i = marked.indexOf('‸');
  if (i === -1 || marked.indexOf('‸', i + 1) !== -1) throw new Error('mark the cursor with exactly one ‸');
  const text = marked.slice(0, i) + marked.slice(i + 1);
  const before = text.slice(0, i).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

interface Case {
  name: string;
  text: string;
  kind: ContextKind;
  path?: PathSegment[];
  prefix?: string;
  existing?: string[];
  colonFollows?: boolean;
  flow?: boolean;
}

const ENDPOINT = `endpoints:
  src:
    type: imap
`;

const cases: Case[] = [
  { name: 'empty document', text: '‸', kind: 'key', path: [], existing: [] },
  { name: 'new top-level key', text: 'version: 1\n‸\nbatches: []\n', kind: 'key', path: [], existing: ['version', 'batches'] },
  { name: 'partial top-level key', text: 'version: 1\nproj‸', kind: 'key', path: [], prefix: 'proj' },
  { name: 'first line of an endpoint (keys below counted too)', text: `endpoints:\n  src:\n    ‸\n    type: imap\n    host: h\n`, kind: 'child', path: ['endpoints', 'src'], existing: ['type', 'host'] },
  { name: 'first line under a key: the child value', text: `${ENDPOINT}    auth:\n      ‸\n`, kind: 'child', path: ['endpoints', 'src', 'auth'], existing: [] },
  { name: 'value after key', text: `${ENDPOINT}    security: st‸`, kind: 'value', path: ['endpoints', 'src', 'security'], prefix: 'st' },
  { name: 'value right after the colon', text: `${ENDPOINT}    security:‸`, kind: 'value', path: ['endpoints', 'src', 'security'], prefix: '' },
  { name: 'entry after a dash', text: 'batches:\n  - name: a\n  - ‸\n', kind: 'item', path: ['batches', 1], existing: [] },
  { name: 'key of a list entry on its second line', text: 'batches:\n  - name: a\n    ‸\n', kind: 'key', path: ['batches', 0], existing: ['name'] },
  { name: 'compact list under a key', text: 'batches:\n- name: a\n- name: b\n  items:\n  - source: x\n  - ‸', kind: 'item', path: ['batches', 1, 'items', 1] },
  { name: 'blank line at the dash column of a list', text: 'batches:\n  - name: a\n    items:\n      - source: x\n      ‸\n', kind: 'child', path: ['batches', 0, 'items'] },
  { name: 'value of a key in a list entry', text: 'batches:\n  - name: a\n    items:\n      - source: ann@x\n        destination: ‸', kind: 'value', path: ['batches', 0, 'items', 0, 'destination'] },
  { name: 'editing an existing key', text: `${ENDPOINT}    ho‸st: x\n`, kind: 'key', path: ['endpoints', 'src'], prefix: 'ho', colonFollows: true },
  { name: 'inside a flow map, key', text: `${ENDPOINT}    auth:\n      password: { se‸ }\n`, kind: 'key', path: ['endpoints', 'src', 'auth', 'password'], prefix: 'se', flow: true },
  { name: 'inside a flow map, value', text: 'options:\n  dateRange: { from: 2020-01-01, to: ‸ }\n', kind: 'value', path: ['options', 'dateRange', 'to'], flow: true },
  { name: 'inside a flow list', text: 'options:\n  itemTypes: [mail, ca‸]\n', kind: 'item', path: ['options', 'itemTypes', 1], prefix: 'ca', flow: true },
  { name: 'in a comment', text: `${ENDPOINT}    # note ‸`, kind: 'none' },
  { name: 'in a block scalar', text: 'project:\n  description: |\n    Moves mail\n    ‸\n', kind: 'none' },
  { name: 'after a block scalar, back at key level', text: 'project:\n  description: |\n    Moves mail\n  ‸\n', kind: 'key', path: ['project'], existing: ['description'] },
  { name: 'broken line above does not matter', text: 'version: 1\nendpoints:\n  src:\n    type: imap\n    host imap.example\n    po‸', kind: 'key', path: ['endpoints', 'src'], prefix: 'po', existing: ['type'] },
  { name: 'unclosed quote above', text: 'project:\n  name: "Contoso\nendpoints:\n  a:\n    ‸', kind: 'child', path: ['endpoints', 'a'] },
  { name: 'multi-line flow collection above is skipped', text: 'options:\n  itemTypes: [\n    mail,\n    calendar]\n  ‸', kind: 'key', path: ['options'], existing: ['itemTypes'] },
  { name: 'multi-line flow collection closed on its own line', text: 'options:\n  itemTypes: [\n    mail,\n  ]\n  ‸', kind: 'key', path: ['options'], existing: ['itemTypes'] },
  { name: 'inside a multi-line flow collection', text: 'options:\n  itemTypes: [\n    mail,\n    ‸', kind: 'none' },
  { name: 'a compact list entry under a key of a list entry', text: 'batches:\n  - name: a\n    items:\n    - ‸', kind: 'item', path: ['batches', 0, 'items', 0] },
  { name: 'quoted key above', text: 'endpoints:\n  "my endpoint":\n    type: imap\n    ‸', kind: 'key', path: ['endpoints', 'my endpoint'], existing: ['type'] },
  { name: 'nested dashes', text: 'a:\n  - - x\n    - ‸', kind: 'item', path: ['a', 0, 1] },
  { name: 'CRLF line endings', text: 'version: 1\r\nendpoints:\r\n  src:\r\n    type: imap\r\n    ‸\r\n', kind: 'key', path: ['endpoints', 'src'], existing: ['type'] },
];

describe('plan completion: cursor context', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { text, position } = withCursor(c.text);
      const ctx = cursorContext(text, position);
      assert.equal(ctx.kind, c.kind);
      if (c.path) assert.deepEqual(ctx.path, c.path);
      if (c.prefix !== undefined) assert.equal(ctx.prefix, c.prefix);
      if (c.existing) assert.deepEqual([...ctx.existingKeys].sort(), [...c.existing].sort());
      if (c.colonFollows !== undefined) assert.equal(ctx.colonFollows, c.colonFollows);
      if (c.flow !== undefined) assert.equal(ctx.flow, c.flow);
    });
  }

  it('the range covers the whole word around the cursor', () => {
    const { text, position } = withCursor(`${ENDPOINT}    ho‸st: x\n`);
    assert.deepEqual(cursorContext(text, position).range, { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } });
  });

  it('a quoted value is replaced inside its quotes', () => {
    const { text, position } = withCursor(`${ENDPOINT}    security: "st‸"\n`);
    const ctx = cursorContext(text, position);
    assert.equal(ctx.prefix, 'st');
    assert.deepEqual(ctx.range, { start: { line: 3, character: 15 }, end: { line: 3, character: 17 } });
  });

  it('values around the cursor feed the schema (the endpoint type, even below the cursor)', () => {
    const { text, position } = withCursor('endpoints:\n  src:\n    auth:\n      ‸\n    type: imap\n');
    const ctx = cursorContext(text, position);
    assert.deepEqual(ctx.valueAt(['endpoints', 'src']), { auth: {}, type: 'imap' });
  });
});
