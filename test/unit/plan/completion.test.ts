// Completion in plans: what is offered where, and that accepting an item (snippet resolved,
// indented as VS Code indents it) leaves a plan whose YAML holds the new value where expected.
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { completePlan, type PlanCompletion } from '../../../src/plan/completion/complete';
import { validatePlan } from '../../../src/plan/validate';
import { withCursor } from './completionContext.test';

function complete(marked: string): PlanCompletion[] {
  const { text, position } = withCursor(marked);
  return completePlan(text, position);
}

const labels = (items: PlanCompletion[], kind?: PlanCompletion['kind']) => items.filter((c) => !kind || c.kind === kind).map((c) => c.label);

function find(items: PlanCompletion[], label: string): PlanCompletion {
  const item = items.find((c) => c.label === label);
  assert.ok(item, `no completion '${label}' among ${JSON.stringify(labels(items))}`);
  return item;
}

/** The text a snippet inserts with every tab stop at its default (the first choice, or nothing). */
export function resolveSnippet(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length) {
      out += snippet[++i];
    } else if (c === '$' && snippet[i + 1] === '{') {
      const close = snippet.indexOf('}', i);
      const body = snippet.slice(i + 2, close);
      const m = /^\d+(?::(.*)|\|([^,|]*)[^|]*\|)?$/s.exec(body);
      out += m?.[1] ?? m?.[2] ?? '';
      i = close;
    } else if (c === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      while (/\d/.test(snippet[i + 1] ?? '')) i++;
    } else out += c;
  }
  return out;
}

/** Accepts a completion as VS Code does: resolve the snippet, indent new lines like the cursor line, replace the range. */
export function accept(marked: string, item: PlanCompletion): string {
  const { text, position } = withCursor(marked);
  const lines = text.split('\n');
  const indent = (/^ */.exec(lines[position.line])?.[0] ?? '').slice(0, position.character);
  const inserted = (item.isSnippet ? resolveSnippet(item.insertText) : item.insertText).split('\n').map((l, i) => (i === 0 ? l : indent + l)).join('\n');
  const range = item.range ?? { start: position, end: position };
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + inserted + text.slice(offset(range.end));
}

const IMAP = `version: 1
endpoints:
  src:
    type: imap
    host: imap.example.com
`;

describe('plan completion', () => {
  describe('keys', () => {
    it('offers the keys of the endpoint branch its type selects, minus those present', () => {
      const items = complete(`${IMAP}    ‸\n`);
      const props = labels(items, 'property');
      for (const key of ['port', 'security', 'auth', 'maxConnections', 'allowInvalidCertificates', 'description']) assert.ok(props.includes(key), key);
      assert.ok(!props.includes('host'), 'host is already there');
      assert.ok(!props.includes('type'), 'type is already there');
      assert.ok(!props.includes('tenantId'), 'm365 keys do not apply to imap');
    });

    it('selects the branch by a type written below the cursor', () => {
      const props = labels(complete('endpoints:\n  t:\n    ‸\n    type: m365\n'), 'property');
      assert.ok(props.includes('tenantId') && props.includes('clientSecret') && props.includes('certificate'));
      assert.ok(!props.includes('host'));
    });

    it('an endpoint without a type offers type (required first)', () => {
      const items = complete('endpoints:\n  new:\n    ‸\n');
      const type = find(items, 'type');
      assert.equal(type.detail, 'required · maildir | imap | exchange | m365 | gmail');
      assert.equal(type.insertText, 'type: ${1|maildir,imap,exchange,m365,gmail|}');
      assert.ok(type.isSnippet);
    });

    it('documents a key with its markdownDescription, allowed values and default', () => {
      const security = find(complete(`${IMAP}    ‸\n`), 'security');
      assert.match(security.documentation ?? '', /Transport security/);
      assert.match(security.documentation ?? '', /`starttls`: Plain connection upgraded with STARTTLS/);
      assert.match(security.documentation ?? '', /Default: `tls`/);
    });

    it('sorts required keys first', () => {
      const items = complete('version: 1\n‸');
      const sorted = [...items].filter((c) => c.kind === 'property').sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
      assert.deepEqual(sorted.slice(0, 5).map((c) => c.label), ['project', 'endpoints', 'source', 'destination', 'batches']);
    });

    it('inserts a map key with its required children, indented under it', () => {
      const marked = `${IMAP}    ‸\n`;
      const text = accept(marked, find(complete(marked), 'auth'));
      assert.equal(text, `${IMAP}    auth:\n      username: \n`);
      assert.deepEqual(parse(text).endpoints.src.auth, { username: null });
    });

    it('inserts a list key with a first entry (compact lists when the document uses them)', () => {
      const marked = 'version: 1\nendpoints:\n  a:\n    type: maildir\n    path: x\noptions:\n  folders:\n    include:\n    - Inbox\n‸';
      const text = accept(marked, find(complete(marked), 'batches'));
      assert.match(text, /\nbatches:\n- name: \n?$/);
      assert.deepEqual(parse(text).batches, [{ name: null }]);
    });

    it('only the name when a colon already follows the word', () => {
      const marked = `${IMAP}    secu‸rity: tls\n`;
      const item = find(complete(marked), 'security');
      assert.equal(item.insertText, 'security');
      assert.equal(parse(accept(marked, item)).endpoints.src.security, 'tls');
    });

    it('keys of a new list entry after the dash', () => {
      const marked = 'batches:\n  - name: Wave 1\n    items:\n      - ‸';
      const items = complete(marked);
      assert.deepEqual(labels(items, 'property'), ['source', 'destination', 'sourceAuth', 'destinationAuth', 'approveOversize']);
      const text = accept(marked, find(items, 'sourceAuth'));
      assert.deepEqual(parse(text).batches[0].items[0], { sourceAuth: { username: null } });
    });

    it('keys inside a flow map', () => {
      const items = complete(`${IMAP}    auth: { username: admin, ‸ }\n`);
      assert.deepEqual(labels(items, 'property'), ['password', 'mechanism', 'authorizationIdentity']);
      assert.equal(find(items, 'password').insertText, 'password: { secret: ${1} }');
    });

    it('still completes when the document has a syntax error elsewhere', () => {
      const items = complete('version: 1\nproject:\n  name: "unterminated\nendpoints:\n  x: [\n    1\n  ]\nbatches:\n  - name: a\n    ‸\n');
      assert.ok(labels(items, 'property').includes('itemsFile'));
    });
  });

  describe('snippets', () => {
    it('the whole project in an empty document, which validates against the schema', () => {
      const items = complete('‸');
      const project = find(items, 'New migration project');
      assert.equal(project.kind, 'snippet');
      assert.equal(project.sortText, '0');
      assert.match(project.insertText, /\$\{1:Contoso to Microsoft 365\}/);
      const text = accept('‸', project);
      const { diagnostics } = validatePlan(text, { file: '/tmp/new.migration.yaml', now: new Date('2026-11-21T12:00:00Z'), readFile: () => undefined });
      assert.deepEqual(diagnostics.filter((d) => /^PLAN-01\d|PLAN-001/.test(d.code)).map((d) => d.message), []);
      assert.equal(parse(text).endpoints['source-imap'].auth.password.secret, 'SOURCE_ADMIN');
    });

    it('no whole-project snippet once the document has content', () => {
      assert.ok(!labels(complete('version: 1\n‸')).includes('New migration project'));
    });

    it("the endpoints map's defaultSnippets as entries, tab stops kept", () => {
      const marked = 'endpoints:\n  a:\n    type: maildir\n    path: x\n  ‸';
      const items = complete(marked);
      const imap = find(items, 'IMAP endpoint');
      assert.match(imap.insertText, /^\$\{1:imap\}:\n {2}type: imap\n {2}host: \$\{2:imap\.example\.com\}/);
      const text = accept(marked, imap);
      assert.deepEqual(parse(text).endpoints.imap, { type: 'imap', host: 'imap.example.com', port: 993, security: 'tls', auth: { username: 'admin@example.com', password: { secret: 'IMAP_ADMIN' } } });
    });

    it("a property's defaultSnippets as extra entries", () => {
      const marked = 'version: 1\n‸';
      const csv = find(complete(marked), 'batches: Batch from a CSV file');
      assert.deepEqual(parse(accept(marked, csv)).batches, [{ name: 'Wave 1', itemsFile: 'wave1.csv' }]);
    });

    it('a new list entry on the line below the key, before the dash is typed', () => {
      const marked = 'batches:\n  - name: a\n    items:\n      - source: ann@x.example\n      ‸';
      const items = complete(marked);
      const entry = find(items, 'Item');
      const text = accept(marked, entry);
      assert.deepEqual(parse(text).batches[0].items[1], { source: 'user@example.com', destination: 'user@example.org' });
    });

    it('a secret reference as a value', () => {
      const marked = `${IMAP}    auth:\n      username: admin\n      password: ‸`;
      const item = find(complete(marked), '{ secret: NAME }');
      assert.equal(item.kind, 'snippet');
      assert.deepEqual(parse(accept(marked, item)).endpoints.src.auth.password, { secret: 'NAME' });
    });
  });

  describe('values', () => {
    it('enum values with their descriptions', () => {
      const items = complete(`${IMAP}    security: ‸`);
      assert.deepEqual(labels(items, 'enum'), ['tls', 'starttls', 'none']);
      assert.equal(find(items, 'none').documentation, 'No encryption: only for test servers on your own machine');
    });

    it('booleans', () => {
      assert.deepEqual(labels(complete('batches:\n  - name: a\n    orchestrated: ‸')), ['true', 'false']);
    });

    it('defaults', () => {
      const five = find(complete('options:\n  maxConcurrentMigrations: ‸'), '5');
      assert.equal(five.detail, 'default');
      assert.equal(five.insertText, '5');
    });

    it('const', () => {
      assert.deepEqual(labels(complete('endpoints:\n  t:\n    type: m365\n    deviceCode: ‸')), ['true']);
    });

    it('a space first when the cursor is right after the colon', () => {
      const marked = `${IMAP}    security:‸`;
      const text = accept(marked, find(complete(marked), 'starttls'));
      assert.equal(parse(text).endpoints.src.security, 'starttls');
    });

    it('replaces the partial value', () => {
      const marked = `${IMAP}    security: sta‸`;
      assert.equal(parse(accept(marked, find(complete(marked), 'starttls'))).endpoints.src.security, 'starttls');
    });

    it('list entries of an enum, without those already listed (uniqueItems)', () => {
      assert.deepEqual(labels(complete('options:\n  itemTypes:\n    - mail\n    - ‸')), ['calendar', 'contacts', 'tasks']);
      assert.deepEqual(labels(complete('options:\n  itemTypes: [mail, tasks, ‸]')), ['calendar', 'contacts']);
    });

    it('a value that would not read back as a string is quoted', () => {
      const marked = 'endpoints:\n  "2024": { type: maildir, path: x }\nsource: ‸';
      assert.equal(find(complete(marked), '2024').insertText, '"2024"');
    });
  });

  describe('endpoint names', () => {
    const PLAN = `version: 1
endpoints:
  contoso-imap:
    type: imap
    host: imap.contoso.example
  google:
    type: gmail
    domain: contoso.example
  fabrikam: { type: m365, tenantId: fabrikam.example, clientId: 11111111-2222-3333-4444-555555555555, deviceCode: true }
`;
    it('at the top-level source and destination, with their types', () => {
      const items = complete(`${PLAN}source: ‸`);
      assert.deepEqual(labels(items, 'endpoint'), ['contoso-imap', 'google', 'fabrikam']);
      assert.equal(find(items, 'fabrikam').detail, 'm365');
    });

    it('an endpoint that cannot play the role sorts last and says why', () => {
      const items = complete(`${PLAN}destination: ‸`);
      const google = find(items, 'google');
      assert.equal(google.detail, 'gmail (cannot be a destination)');
      const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
      assert.equal(sorted[sorted.length - 1].label, 'google');
    });

    it('at batch overrides, but not at item addresses', () => {
      assert.deepEqual(labels(complete(`${PLAN}batches:\n  - name: a\n    destination: fa‸`), 'endpoint'), ['contoso-imap', 'google', 'fabrikam']);
      assert.deepEqual(labels(complete(`${PLAN}batches:\n  - name: a\n    items:\n      - source: ‸`), 'endpoint'), []);
    });

    it('replaces the partial name', () => {
      const marked = `${PLAN}batches:\n  - name: a\n    destination: fa‸`;
      assert.equal(parse(accept(marked, find(complete(marked), 'fabrikam'))).batches[0].destination, 'fabrikam');
    });
  });

  it('a 5,000-item plan: completion time (printed; the benchmark checks the budget)', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `      - source: user${i}@contoso.example\n        destination: user${i}@fabrikam.example\n`).join('');
    const plan = `${IMAP}source: src\ndestination: src\nbatches:\n  - name: Wave 1\n    items:\n${items}`;
    const spots: [string, string][] = [
      ['endpoint key near the top', plan.replace('    host: imap.example.com\n', '    host: imap.example.com\n    ‸\n')],
      ['item key at the end', `${plan}        ‸`],
      ['batch destination after the items', `${plan}    destination: ‸`],
    ];
    for (const [name, marked] of spots) {
      const { text, position } = withCursor(marked);
      completePlan(text, position);
      const started = performance.now();
      const result = completePlan(text, position);
      const ms = performance.now() - started;
      console.log(`      completion, ${name}: ${ms.toFixed(1)} ms (${result.length} items)`);
      assert.ok(result.length > 0);
    }
  });
});
