// Schema errors as findings: each at the key or value it is about, one finding per problem, and
// none where a rule already says it better.
import * as assert from 'node:assert/strict';
import { BASE_PLAN, covered, edit, found, run, type Found } from './planTestUtil';

interface SchemaCase {
  name: string;
  plan: string;
  expect: Found[];
  /** Text the first finding underlines. */
  underlines?: string;
  /** Words its message contains. */
  says?: string[];
}

const cases: SchemaCase[] = [
  { name: 'unknown property, at the key', plan: edit(BASE_PLAN, '    port: 993\n', '    port: 993\n    colour: blue\n'), expect: [['PLAN-011', 10, 5]], underlines: 'colour', says: ['colour'] },
  { name: 'unknown top-level property', plan: `${BASE_PLAN}extra: 1\n`, expect: [['PLAN-011', 45, 1]], underlines: 'extra' },
  { name: 'wrong enum value, at the value', plan: edit(BASE_PLAN, 'security: tls', 'security: ssl'), expect: [['PLAN-012', 10, 15]], underlines: 'ssl', says: ['"tls"', '"starttls"', '"none"'] },
  { name: 'wrong type, at the value', plan: edit(BASE_PLAN, 'port: 993', 'port: "993"'), expect: [['PLAN-012', 9, 11]], underlines: '"993"', says: ['integer'] },
  { name: 'missing required property, at the parent key', plan: edit(BASE_PLAN, '    host: imap.contoso.example\n', ''), expect: [['PLAN-010', 6, 3]], underlines: 'contoso-imap', says: ['host'] },
  { name: 'missing batch name', plan: edit(BASE_PLAN, '  - name: Wave 2\n    itemsFile', '  - itemsFile'), expect: [['PLAN-010', 43, 5]], says: ['name'] },
  {
    name: 'm365 without any credential: one finding naming the alternatives',
    plan: edit(BASE_PLAN, '    clientSecret: { secret: FABRIKAM_APP }\n', ''),
    expect: [['PLAN-010', 14, 3]],
    underlines: 'fabrikam',
    says: ['clientSecret', 'certificate', 'deviceCode'],
  },
  { name: 'm365 with two credentials', plan: edit(BASE_PLAN, '    clientSecret: { secret: FABRIKAM_APP }\n', '    clientSecret: { secret: FABRIKAM_APP }\n    deviceCode: true\n'), expect: [['PLAN-012', 14, 3]], says: ['only one'] },
  { name: 'plaintext password: PLAN-020 and not also a schema error', plan: edit(BASE_PLAN, 'password: { secret: CONTOSO_IMAP }', 'password: hunter2'), expect: [['PLAN-020', 13, 17]], underlines: 'hunter2' },
  { name: 'plaintext gmail private key: PLAN-020 only', plan: edit(BASE_PLAN, 'source: contoso-imap', '  google:\n    type: gmail\n    domain: contoso.example\n    serviceAccount: { clientEmail: sa@contoso.example, privateKey: "-----BEGIN PRIVATE KEY-----" }\nsource: google'), expect: [['PLAN-030', 6, 3], ['PLAN-020', 22, 68]] },
  { name: 'YAML syntax error (a key twice)', plan: edit(BASE_PLAN, '  name: Contoso to Fabrikam\n', '  name: Contoso to Fabrikam\n  name: Contoso\n'), expect: [['PLAN-001', 4, 3]], says: ['unique'] },
];

describe('schema errors as findings', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = run(c.plan);
      const messages = result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
      assert.deepEqual(found(result.diagnostics), c.expect, messages);
      assert.equal(result.diagnostics.length, c.expect.length, messages);
      const first = result.diagnostics.find((d) => d.code === c.expect[c.expect.length - 1][0])!;
      if (c.underlines) assert.equal(covered(c.plan, first), c.underlines);
      for (const word of c.says ?? []) assert.ok(first.message.includes(word), `"${first.message}" mentions ${word}`);
    });
  }
});
