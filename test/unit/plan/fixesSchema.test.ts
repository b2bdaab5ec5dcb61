// Quick fixes for schema findings (PLAN-010 missing, PLAN-011 unknown, PLAN-012 not allowed),
// on the findings the validator really reports (they carry no data.path: the fix finds its node
// from the range), and the fixes of Ferry's other plan rules.
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { validatePlan } from '../../../src/plan/validate';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';
import { FILE, NOW, applied, finding, fixes } from './fixes.test';

function schemaFinding(text: string, code: string, messagePart: string): PlanDiagnostic {
  const { diagnostics } = validatePlan(text, { file: FILE, now: NOW, readFile: () => undefined });
  const d = diagnostics.find((x) => x.code === code && x.message.includes(messagePart));
  assert.ok(d, `no ${code} '${messagePart}' among ${JSON.stringify(diagnostics.map((x) => x.message))}`);
  return d;
}

const PLAN = `version: 1
project:
  nmae: Contoso
endpoints:
  contoso-imap:
    type: imap
    hots: imap.contoso.example
    security: ssl
  fabrikam: { type: m365, clientId: 11111111-2222-3333-4444-555555555555, deviceCode: true }
  spare:
    path: ./mail
source: contoso-imap
destination: fabrikam
options:
  itemTypes: [mail, calender]
batches:
  - nmae: Wave 1
    items:
      - { destination: a@fabrikam.example }
`;

describe('plan quick fixes: schema findings', () => {
  describe('addMissingProperty (PLAN-010)', () => {
    it('adds the property at the indentation of its siblings', () => {
      const d = schemaFinding(PLAN, 'PLAN-010', 'endpoints.contoso-imap: host');
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, "Add the missing property 'host'");
      const out = applied(PLAN, fix);
      assert.ok(out.includes('    security: ssl\n    host: \n  fabrikam:'));
      assert.equal(parse(out).endpoints['contoso-imap'].host, null);
    });

    it('a required map gets its own required children', () => {
      const text = 'version: 1\nendpoints:\n  a: { type: maildir, path: x }\nsource: a\ndestination: a\nbatches: []\n';
      const out = applied(text, fixes(text, schemaFinding(text, 'PLAN-010', 'project'))[0]);
      assert.ok(out.endsWith('batches: []\nproject:\n  name: \n'));
    });

    it('inside a flow map', () => {
      const d = schemaFinding(PLAN, 'PLAN-010', 'batches.0.items.0: source');
      const out = applied(PLAN, fixes(PLAN, d)[0]);
      assert.ok(out.includes('      - { destination: a@fabrikam.example, source: }\n'));
      assert.deepEqual(parse(out).batches[0].items[0], { destination: 'a@fabrikam.example', source: null });
    });

    it('a list entry (reported on its first line)', () => {
      const d = schemaFinding(PLAN, 'PLAN-010', 'batches.0: name');
      const out = applied(PLAN, fixes(PLAN, d)[0]);
      assert.deepEqual(Object.keys(parse(out).batches[0]), ['nmae', 'items', 'name']);
      assert.ok(out.includes('      - { destination: a@fabrikam.example }\n    name: \n'));
    });

    it('one fix per alternative of a oneOf, and per value of a short enum', () => {
      const alternatives = fixes(PLAN, schemaFinding(PLAN, 'PLAN-010', 'endpoints.fabrikam: tenantId'));
      assert.deepEqual(alternatives.map((f) => f.title), ["Add the missing property 'tenantId'"]);
      assert.ok(applied(PLAN, alternatives[0]).includes('deviceCode: true, tenantId: }'));
      const types = fixes(PLAN, schemaFinding(PLAN, 'PLAN-010', 'endpoints.spare: type'));
      assert.deepEqual(types.map((f) => f.title), ['maildir', 'imap', 'exchange', 'm365', 'gmail'].map((t) => `Add the missing property 'type: ${t}'`));
      assert.equal(parse(applied(PLAN, types[0])).endpoints.spare.type, 'maildir');
    });

    it('a top-level key', () => {
      const text = 'version: 1\nproject: { name: x }\nendpoints:\n  a: { type: maildir, path: x }\nsource: a\ndestination: a\n';
      const out = applied(text, fixes(text, schemaFinding(text, 'PLAN-010', 'batches'))[0]);
      assert.ok(out.endsWith('destination: a\nbatches: []\n'));
    });
  });

  describe('replaceWithKnownProperty and removeUnknownProperty (PLAN-011)', () => {
    it('did you mean: renames to the closest property of that place (the endpoint type branch)', () => {
      const d = schemaFinding(PLAN, 'PLAN-011', "'hots'");
      const [rename, remove] = fixes(PLAN, d);
      assert.equal(rename.title, "Rename 'hots' to 'host'");
      assert.equal(rename.isPreferred, true);
      assert.equal(parse(applied(PLAN, rename)).endpoints['contoso-imap'].host, 'imap.contoso.example');
      assert.equal(remove.title, "Remove the unknown property 'hots'");
      assert.ok(applied(PLAN, remove).includes('    type: imap\n    security: ssl\n'));
    });

    it('the first key of a list entry: renamed in place, or removed with the next key moving up', () => {
      const d = schemaFinding(PLAN, 'PLAN-011', "'nmae' in batches.0");
      const [rename, remove] = fixes(PLAN, d);
      assert.equal(parse(applied(PLAN, rename)).batches[0].name, 'Wave 1');
      const out = applied(PLAN, remove);
      assert.ok(out.includes('batches:\n  - items:\n      - { destination'));
    });

    it('no rename when nothing is close', () => {
      const text = 'project:\n  name: x\n  colour: blue\n';
      const found = fixes(text, schemaFinding(text, 'PLAN-011', "'colour'"));
      assert.deepEqual(found.map((f) => f.title), ["Remove the unknown property 'colour'"]);
      assert.equal(applied(text, found[0]), 'project:\n  name: x\n');
    });

    it('a key inside a flow map', () => {
      const text = 'endpoints:\n  a: { type: maildir, path: x, layuot: fs }\n';
      const [rename, remove] = fixes(text, schemaFinding(text, 'PLAN-011', "'layuot'"));
      assert.equal(applied(text, rename), 'endpoints:\n  a: { type: maildir, path: x, layout: fs }\n');
      assert.equal(applied(text, remove), 'endpoints:\n  a: { type: maildir, path: x }\n');
    });
  });

  describe('replaceWithAllowedValue (PLAN-012)', () => {
    it("one fix per allowed value; the schema's default first when nothing is close", () => {
      const found = fixes(PLAN, schemaFinding(PLAN, 'PLAN-012', 'security'));
      assert.deepEqual(found.map((f) => f.title), ["Change to 'tls'", "Change to 'starttls'", "Change to 'none'"]);
      assert.equal(parse(applied(PLAN, found[0])).endpoints['contoso-imap'].security, 'tls');
    });

    it('the closest value first, in a flow list', () => {
      const [first] = fixes(PLAN, schemaFinding(PLAN, 'PLAN-012', 'itemTypes.1'));
      assert.equal(first.title, "Change to 'calendar'");
      assert.deepEqual(parse(applied(PLAN, first)).options.itemTypes, ['mail', 'calendar']);
    });

    it('a number for a number', () => {
      const text = 'version: "2"\n';
      const [fix] = fixes(text, { file: FILE, range: { start: { line: 0, character: 9 }, end: { line: 0, character: 12 } }, severity: 'error', code: 'PLAN-012', message: '', data: { allowedValues: [1] } });
      assert.equal(applied(text, fix), 'version: 1\n');
    });
  });

  describe("Ferry's other plan rules", () => {
    const RULES = `version: 2
endpoints:
  imap:
    type: imap
    host: imap.example.com
    port: 143
    security: none
    auth: { username: a, password: { secret: "bad name!" } }
  ews:
    type: exchange
    url: http://mail.example.com/EWS/Exchange.asmx
    auth: { username: a, password: { secret: EWS } }
options:
  maxConcurrentMigrations: 40
  bandwidthMbps: 1
  dateRange: { from: 2026-01-01, to: 2020-01-01 }
identityMapping:
  domains:
    - { from: contoso.example, to: fabrikam.example }
    - { from: contoso.example, to: other.example }
batches:
  - name: Wave 1
    itemsFile: /plans/contoso/waves/w1.csv
    items:
      - source: ann@contoso.example
        destination: ann@contoso.example
      - source: bob@contoso.example
`;
    const cases: [string, string, string, Record<string, unknown>, (value: ReturnType<typeof parse>) => void][] = [
      ['setSupportedVersion', 'PLAN-002', 'version', { version: 2 }, (v) => assert.equal(v.version, 1)],
      ['useTlsSecurity', 'PLAN-034', 'endpoints.imap.security', { host: 'imap.example.com' }, (v) => assert.deepEqual([v.endpoints.imap.security, v.endpoints.imap.port], ['tls', 993])],
      ['useHttpsUrl', 'PLAN-044', 'endpoints.ews.url', { key: 'url' }, (v) => assert.equal(v.endpoints.ews.url, 'https://mail.example.com/EWS/Exchange.asmx')],
      ['renameSecretReference', 'PLAN-039', 'endpoints.imap.auth.password.secret', { name: 'bad name!', suggestedName: 'BAD_NAME' }, (v) => assert.equal(v.endpoints.imap.auth.password.secret, 'BAD_NAME')],
      ['setRecommendedConcurrency', 'PLAN-035', 'options.maxConcurrentMigrations', { recommended: 3 }, (v) => assert.equal(v.options.maxConcurrentMigrations, 3)],
      ['swapDateRange', 'PLAN-032', 'options.dateRange.from', {}, (v) => assert.deepEqual(v.options.dateRange, { from: '2020-01-01', to: '2026-01-01' })],
      ['removeDuplicateIdentityRule', 'PLAN-036', 'identityMapping.domains.1.from', { from: 'contoso.example', firstLine: 19 }, (v) => assert.deepEqual(v.identityMapping.domains, [{ from: 'contoso.example', to: 'fabrikam.example' }])],
      ['makeItemsFilePathRelative', 'PLAN-038', 'batches.0.itemsFile', { itemsFile: '/plans/contoso/waves/w1.csv' }, (v) => assert.equal(v.batches[0].itemsFile, 'waves/w1.csv')],
      ['removeItem', 'PLAN-028', 'batches.0.items.0.destination', { address: 'ann@contoso.example' }, (v) => assert.deepEqual(v.batches[0].items, [{ source: 'bob@contoso.example' }])],
    ];
    for (const [id, code, path, data, check] of cases) {
      it(`${id} (${code})`, () => {
        const found = fixes(RULES, finding(RULES, code, path, data));
        assert.ok(found.length > 0, `no fix for ${code}`);
        check(parse(applied(RULES, found[0])));
      });
    }

    it('setRecommendedConcurrency adds the option when only the bandwidth is written', () => {
      const text = 'options:\n  bandwidthMbps: 1\n';
      const [fix] = fixes(text, finding(text, 'PLAN-035', 'options.bandwidthMbps', { recommended: 3 }));
      assert.equal(applied(text, fix), 'options:\n  bandwidthMbps: 1\n  maxConcurrentMigrations: 3\n');
    });
  });
});
