import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIX_COMMAND_IDS,
  FIX_VARIABLES,
  PLAN_EDIT_IDS,
  allEntries,
  describeMarkdown,
  fillPlaceholders,
  formatMessage,
  getEntry,
  matchMessage,
  resolveFixes,
} from '../../../src/errors/catalog';
import { repoRoot } from '../helpers/repoRoot';

const CATEGORIES = ['api', 'general', 'crossTenant', 'exchange', 'teamsChat', 'teamsMeeting', 'oneDrive', 'identityMapping', 'plan', 'connector'];
const SEVERITIES = ['error', 'warning', 'information', 'hint'];

describe('error catalog', () => {
  it('has no duplicate codes or aliases', () => {
    const keys = allEntries().flatMap((e) => [e.code, ...(e.aliases ?? [])]);
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    assert.deepEqual(duplicates, []);
  });

  it('finds every entry by its code and its aliases, case-sensitively', () => {
    for (const e of allEntries()) {
      assert.equal(getEntry(e.code), e);
      for (const alias of e.aliases ?? []) assert.equal(getEntry(alias), e);
    }
    assert.equal(getEntry('migr-001'), undefined);
    assert.equal(getEntry('NO-SUCH-CODE'), undefined);
  });

  for (const e of allEntries()) {
    it(`${e.code} is complete`, () => {
      assert.match(e.code, /^[A-Za-z][A-Za-z0-9-]*$/);
      assert.ok(CATEGORIES.includes(e.category), e.category);
      assert.ok(SEVERITIES.includes(e.severity), e.severity);
      for (const field of ['title', 'message', 'description', 'action'] as const) assert.ok(e[field].trim().length > 0, `${field} empty`);
      assert.ok(e.fixes.length > 0, 'no fix');
      for (const f of e.fixes) {
        assert.ok(f.title.trim().length > 0, 'fix without title');
        if (f.kind === 'docs') assert.match(f.url, /^https:\/\/[^\s]+$/);
        if (f.kind === 'planEdit') assert.ok(f.id in PLAN_EDIT_IDS, `unknown plan edit ${f.id}`);
        if (f.kind === 'command') assert.ok((FIX_COMMAND_IDS as readonly string[]).includes(f.command), `unknown command ${f.command}`);
        if (f.kind === 'adminCommand') {
          for (const [, name] of f.template.matchAll(/\{([A-Za-z0-9_.]+)\}/g)) assert.ok(name in FIX_VARIABLES, `unknown placeholder {${name}}`);
        }
      }
      if (e.source === 'seed-004') assert.ok(e.section, 'seed entry without section');
    });
  }

  describe('formatMessage', () => {
    const cases: readonly [string, string[], string][] = [
      ['MIGR-002', ['ann@contoso.com', 'Migrators'], 'User migration failed. User ann@contoso.com is not authorized to migrate. To authorize ann@contoso.com, add them to security group Migrators and then retry the migration.'],
      ['CTTM-010', ['app-1', 'tenant-2', 'Reader'], 'Teams migration failed. App app-1 in tenant tenant-2 is missing the Reader role assignment. Refer to tenant configuration documentation and retry migration.'],
      ['CTTM-001', ['ann'], 'Teams migration for user ann failed. Correlation Id: {1}. Retry migration.'],
      ['MnAOdbFailedToGetUrlForSourceUPN', ['ann@contoso.com', 'not found'], 'Unable to get a OneDrive URL for source user UPN [ann@contoso.com]. Error: not found.'],
      ['MIGR-001', ['ignored'], 'Tenant authorization error. The tenants are not configured to support migration.'],
      ['PLAN-011', ['mxConcurrentMigrations', 'options'], "Unknown property 'mxConcurrentMigrations' in options."],
      ['NO-SUCH-CODE', ['a', 'b'], 'NO-SUCH-CODE: a, b'],
      ['NO-SUCH-CODE', [], 'NO-SUCH-CODE'],
    ];
    for (const [code, args, expected] of cases) {
      it(`${code} (${args.length} args)`, () => assert.equal(formatMessage(code, args), expected));
    }

    it('fills a repeated placeholder everywhere and keeps $ patterns literal', () => {
      assert.equal(fillPlaceholders('{0} and {0} then {1}', ['$&', 'x']), '$& and $& then x');
    });
  });

  describe('resolveFixes', () => {
    it('fills admin-command placeholders from the plan', () => {
      const fixes = resolveFixes('MIGR-002', { securityGroup: 'Migrators', userPrincipalName: 'ann@contoso.com' });
      const admin = fixes.find((f) => f.kind === 'adminCommand');
      assert.ok(admin && admin.kind === 'adminCommand');
      assert.equal(admin.template, 'Add-DistributionGroupMember -Identity "Migrators" -Member "ann@contoso.com"');
    });

    it('shows a missing value as <name> for the operator to fill', () => {
      const admin = resolveFixes('MIGR-002', { userPrincipalName: 'ann@contoso.com' }).find((f) => f.kind === 'adminCommand');
      assert.ok(admin && admin.kind === 'adminCommand');
      assert.equal(admin.template, 'Add-DistributionGroupMember -Identity "<securityGroup>" -Member "ann@contoso.com"');
    });

    it('escapes values for the shell and keeps the other fixes as they are', () => {
      const fixes = resolveFixes('MIGR-002', { securityGroup: 'a"$(rm)`', userPrincipalName: 'x' });
      const admin = fixes.find((f) => f.kind === 'adminCommand');
      assert.ok(admin && admin.kind === 'adminCommand');
      assert.equal(admin.template, 'Add-DistributionGroupMember -Identity "a`"`$(rm)``" -Member "x"');
      assert.equal(fixes.length, getEntry('MIGR-002')!.fixes.length);
      assert.deepEqual(fixes.filter((f) => f.kind !== 'adminCommand'), getEntry('MIGR-002')!.fixes.filter((f) => f.kind !== 'adminCommand'));
      const graph = resolveFixes('CTTM-015', { userPrincipalName: 'ann o@contoso.com' }).find((f) => f.kind === 'adminCommand');
      assert.ok(graph && graph.kind === 'adminCommand');
      assert.match(graph.template, /users\/ann%20o%40contoso\.com\?/);
    });

    it('returns nothing for an unknown code', () => assert.deepEqual(resolveFixes('NO-SUCH-CODE', {}), []));
  });

  describe('describeMarkdown', () => {
    it('explains a code with title, filled message, description, action, fixes and source', () => {
      const md = describeMarkdown('MIGR-002', ['ann@contoso.com', 'Migrators']);
      assert.match(md, /^\*\*MIGR-002: User is not authorized to migrate\*\* \(error\)/);
      assert.match(md, /> User migration failed\. User ann@contoso\.com is not authorized/);
      assert.match(md, /The user must be a member of the security group\./);
      assert.match(md, /\*\*What to do:\*\* Add the user to the security group on the source tenant\./);
      assert.match(md, /```powershell\n\s+Add-DistributionGroupMember -Identity "\{securityGroup\}"/);
      assert.match(md, /- Command: Retry the failed items \(`ferry\.retryErrors`\)/);
      assert.match(md, /- \[Resolve errors during orchestrated migration\]\(https:\/\/learn\.microsoft\.com\//);
      assert.match(md, /section "General errors"/);
    });

    it('shows alternative messages, HTTP status and escapes arguments', () => {
      assert.match(describeMarkdown('EXCH-08'), /Or:\n\n> `Test-MigrationServerAvailability` failed with: \{0\}/);
      assert.match(describeMarkdown('resourceTypeMismatch'), /\(error · HTTP 409\)/);
      assert.match(describeMarkdown('MIGR-003', ['*bold*']), /User \\\*bold\\\* migration failed/);
      assert.match(describeMarkdown('MIGR-002', [], { securityGroup: 'G' }), /-Identity "G" -Member "<userPrincipalName>"/);
      assert.match(describeMarkdown('PLAN-030'), /Source: Ferry, section "Ferry plan rules"/);
      assert.equal(describeMarkdown('NOPE'), '**NOPE**: unknown error code.');
    });
  });

  describe('matchMessage', () => {
    it('finds identity-mapping errors, which arrive without a code, and their arguments', () => {
      const m = matchMessage("ArchiveGuid mismatch, expected 'a-1', found 'b-2'.");
      assert.equal(m?.entry.code, 'IDMAP-003');
      assert.deepEqual(m?.args, ['a-1', 'b-2']);
      assert.equal(matchMessage("Couldn't find 'x@t.com' user in MS Graph for 'y@s.com'=>'x@t.com'.")?.entry.code, 'IDMAP-018');
    });

    it('tells the Teams meeting variant of a shared code apart by category, and reads alternative messages', () => {
      assert.equal(matchMessage('Teams Meeting migration for user ann failed. Retry migration.')?.entry.code, 'MTG-MIGR-003');
      assert.equal(matchMessage('User ann migration failed. Please retry user migration.', 'general')?.entry.code, 'MIGR-003');
      const m = matchMessage('Test-MigrationServerAvailability failed with: timeout');
      assert.equal(m?.entry.code, 'EXCH-08');
      assert.deepEqual(m?.args, ['timeout']);
      assert.equal(matchMessage('something else entirely'), undefined);
    });
  });

  it('imports nothing outside src/errors, and never vscode', () => {
    const dir = path.join(repoRoot(), 'src', 'errors');
    const files = (function walk(d: string): string[] {
      return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
    })(dir);
    assert.ok(files.length > 0);
    for (const file of files) {
      for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+['"]([^'"]+)['"]/g)) {
        assert.ok(spec.startsWith('.'), `${path.relative(dir, file)} imports ${spec}`);
        const target = path.resolve(path.dirname(file), spec);
        assert.ok(target.startsWith(dir + path.sep), `${path.relative(dir, file)} imports ${spec} outside src/errors`);
      }
    }
  });
});
