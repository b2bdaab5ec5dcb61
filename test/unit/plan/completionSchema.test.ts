// The schema navigator: which subschemas apply at a path, given the document's values.
import * as assert from 'node:assert/strict';
import { deref, docOf, enumValuesOf, matches, propertiesOf, rootSchema, schemasAt, typesOf } from '../../../src/plan/completion/schemaNavigator';
import { renderBlock, renderFlow, isPlainSafe } from '../../../src/plan/completion/snippets';
import type { PathSegment } from '../../../src/plan/yamlDocument';

const plan = {
  endpoints: { src: { type: 'imap' }, dst: { type: 'm365' }, bare: {} },
  batches: [{ name: 'a', items: [{ source: 'a@x.example' }] }],
};

function valueAt(path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], plan);
}

const names = (path: PathSegment[]) => propertiesOf(schemasAt(path, valueAt)).map((p) => p.name);

describe('plan completion: schema navigator', () => {
  it('the if/then branch of an endpoint follows its type', () => {
    assert.deepEqual(names(['endpoints', 'src']), ['type', 'description', 'host', 'port', 'security', 'allowInvalidCertificates', 'auth', 'maxConnections', 'oauth']);
    assert.ok(names(['endpoints', 'dst']).includes('clientSecret'));
    assert.deepEqual(names(['endpoints', 'bare']), ['type', 'description']);
  });

  it('alternatives of a oneOf are not required properties', () => {
    const required = propertiesOf(schemasAt(['endpoints', 'dst'], valueAt)).filter((p) => p.required).map((p) => p.name);
    assert.deepEqual(required.sort(), ['clientId', 'tenantId', 'type']);
  });

  it('follows $ref through lists, and annotations next to $ref win over the target', () => {
    assert.equal(docOf(schemasAt(['batches', 0, 'items', 0, 'source'], valueAt)), 'Source mailbox address.');
    assert.equal(docOf(schemasAt(['project', 'owner'], valueAt)), "Who is responsible for the migration (the dashboard's *Created by*).");
    assert.deepEqual([...typesOf(schemasAt(['project', 'owner'], valueAt))], ['string']);
  });

  it('additionalProperties give the schema of any key (endpoint names)', () => {
    assert.match(docOf(schemasAt(['endpoints', 'anything'], valueAt)) ?? '', /Connection settings/);
  });

  it('nothing at a path the schema does not know', () => {
    assert.deepEqual(schemasAt(['nope', 'deeper'], valueAt), []);
  });

  it('enum values carry their enumDescriptions', () => {
    assert.deepEqual(enumValuesOf(schemasAt(['options', 'itemTypes', 0], valueAt))[1], { value: 'calendar', description: 'Calendar items' });
  });

  it('matches() checks what if-conditions use', () => {
    const cond = { properties: { type: { const: 'imap' } }, required: ['type'] };
    assert.equal(matches(cond, { type: 'imap' }), true);
    assert.equal(matches(cond, { type: 'm365' }), false);
    assert.equal(matches(cond, {}), false);
    assert.equal(matches({ type: 'integer' }, 2.5), false);
  });

  it('deref caches and keeps the root intact', () => {
    const item = deref({ $ref: '#/definitions/item' });
    assert.equal(deref({ $ref: '#/definitions/item' }).required?.[0], 'source');
    assert.equal(item.markdownDescription?.startsWith('One mailbox'), true);
    assert.equal(rootSchema.title, 'Ferry migration project');
  });

  it('renders snippet bodies as YAML, quoting only what would not read back as text', () => {
    const style = { indentUnit: 2, indentSequences: true };
    assert.deepEqual(renderBlock({ a: { b: '${1:x}' }, c: [{ d: 1, e: true }], f: 'yes', g: '^${1:Archive}/(.*)$' }, style), [
      'a:',
      '  b: ${1:x}',
      'c:',
      '  - d: 1',
      '    e: true',
      "f: 'yes'",
      'g: ^${1:Archive}/(.*)$',
    ]);
    assert.equal(renderFlow({ secret: '${1:NAME}', list: ['a, b'] }), "{ secret: ${1:NAME}, list: ['a, b'] }");
    for (const [text, plain] of [['abc', true], ['a: b', false], ['#x', false], ['1.5', false], ['null', false], ['a,b', true], ['', false], [' x', false]] as const) {
      assert.equal(isPlainSafe(text), plain, text);
    }
  });
});
