import * as assert from 'node:assert/strict';
import { allEntries, entriesIn, findSeedEntry, getEntry } from '../../../src/errors/catalog';
import { SEED_SECTIONS } from '../../../src/errors/seedCatalog';
import type { CatalogEntry } from '../../../src/errors/types';
import { sharedPath, requireShared } from '../helpers/sharedReference';
import { linkTargets, normalize, readSeed, SEED, type SeedRow, withTypoFixes } from './seedTables';

// The seed is reference material in ../shared: absent in a fresh clone, where the tests that hold
// the catalog against it skip (the rest run everywhere).
const found = sharedPath(SEED);
const seed = 'path' in found ? readSeed(found.path) : new Map<string, SeedRow[]>();
const sectionNames = Object.keys(SEED_SECTIONS) as (keyof typeof SEED_SECTIONS)[];

/** `MMS-001/002` -> [`MMS-001`, `MMS-002`]; other codes stay as they are. */
function expand(code: string): string[] {
  const pair = /^([A-Z]+-)(\d+)\/(\d+)$/.exec(code);
  return pair ? [pair[1] + pair[2], pair[1] + pair[3]] : [code];
}

/** The catalog entries written from each seed row, in seed order. */
function entriesForRows(section: keyof typeof SEED_SECTIONS, rows: readonly SeedRow[]): CatalogEntry[][] {
  const category = SEED_SECTIONS[section];
  const inSection = allEntries().filter((e) => e.source === 'seed-004' && e.section === section);
  const seen = new Map<string, number>();
  return rows.map((row, i) => {
    if (row.code === undefined) return [getEntry(`IDMAP-${String(i + 1).padStart(3, '0')}`)].filter((e): e is CatalogEntry => !!e);
    const code = row.code;
    if (/^[A-Z]+-\d+\/\d+$/.test(code)) return inSection.filter((e) => e.seedCode === code);
    const candidates = inSection.filter((e) => e.category === category && (e.seedCode ?? e.code) === code);
    const n = seen.get(code) ?? 0;
    seen.set(code, n + 1);
    return candidates[n] ? [candidates[n]] : [];
  });
}

describe('error catalog: seed 004', () => {
  describe('against the seed text', function () {
    before(function () {
      requireShared(this, SEED);
    });

    it('the seed has the eight sections the catalog maps', () => {
      assert.deepEqual([...seed.keys()].filter((s) => s !== ''), sectionNames);
    });

    for (const section of sectionNames) {
      const rows = seed.get(section) ?? [];
      const category = SEED_SECTIONS[section];

      describe(section, () => {
        it(`has at least as many '${category}' entries as the seed has rows`, () => {
          assert.ok(rows.length > 0, 'no rows parsed');
          const inSection = allEntries().filter((e) => e.section === section && e.source === 'seed-004');
          assert.ok(inSection.length >= rows.length, `${inSection.length} entries for ${rows.length} rows`);
          assert.ok(entriesIn(category).length >= rows.length);
          for (const e of inSection) assert.equal(e.category, category, e.code);
        });

        it('every code of the first column is in the catalog', () => {
          for (const row of rows) {
            if (row.code === undefined) continue;
            const http = /^HTTP (\d{3})\b/.exec(row.code);
            if (http) {
              const status = Number(http[1]);
              const sameStatus = rows.filter((r) => r.code === row.code).length;
              const entries = entriesIn(category).filter((e) => e.httpStatus === status);
              assert.ok(entries.length >= sameStatus, `${row.code}: ${entries.length} entries for ${sameStatus} rows`);
              continue;
            }
            for (const code of expand(row.code)) {
              const entry = getEntry(code) ?? findSeedEntry(code, category);
              assert.ok(entry, `${code} missing`);
              assert.ok(findSeedEntry(code, category), `${code} missing in category ${category}`);
            }
          }
        });

        it('every row has its entry, with message, description and action as published', () => {
          entriesForRows(section, rows).forEach((entries, i) => {
            const row = rows[i];
            const label = row.code ?? `row ${i + 1}`;
            assert.ok(entries.length > 0, `${label}: no entry`);
            const seedMessage = normalize(withTypoFixes(row.message));
            for (const entry of entries) {
              const ours = normalize([entry.message, ...(entry.altMessages ?? [])].join(' Or '));
              if (category === 'api') assert.ok(seedMessage.includes(ours), `${entry.code}: "${ours}" not in "${seedMessage}"`);
              else assert.equal(ours, seedMessage, `${entry.code} message`);
              if (row.description !== undefined) {
                assert.equal(normalize(entry.description), normalize(withTypoFixes(row.description)), `${entry.code} description`);
              }
              if (row.action !== undefined) {
                assert.equal(normalize(entry.action), normalize(withTypoFixes(row.action)), `${entry.code} action`);
              }
            }
          });
        });

        it("every link of a row is one of its entry's documentation fixes", () => {
          entriesForRows(section, rows).forEach((entries, i) => {
            const links = rows[i].cells.flatMap(linkTargets);
            for (const entry of entries) {
              const urls = entry.fixes.flatMap((f) => (f.kind === 'docs' ? [f.url] : []));
              for (const link of links) assert.ok(urls.includes(link), `${entry.code}: ${link} missing`);
            }
          });
        });
      });
    }

    it('gives the identity-mapping rows stable codes IDMAP-001.. in seed order', () => {
      const rows = seed.get('Identity mapping errors') ?? [];
      const codes = entriesIn('identityMapping').map((e) => e.code);
      assert.deepEqual(codes, rows.map((_, i) => `IDMAP-${String(i + 1).padStart(3, '0')}`));
    });
  });

  it('keeps seed typos and Markdown out of our text', () => {
    for (const e of allEntries()) {
      for (const text of [e.title, e.message, e.description, e.action, ...(e.altMessages ?? [])]) {
        assert.doesNotMatch(text, /missmatch|\byjr\b|to the follow|required required|documentation retry/, e.code);
        assert.doesNotMatch(text, /\]\(|<br>|<\/?li>|\\</, `${e.code}: Markdown left in "${text}"`);
        assert.doesNotMatch(text, /<(X|Y|ID|state from IM)>|\[[A-Z]\]/, `${e.code}: seed placeholder left in "${text}"`);
        assert.doesNotMatch(text, /^"|"$/, `${e.code}: stray quotes`);
      }
    }
  });

  it('turns seed placeholders into numbered ones', () => {
    assert.match(getEntry('resourceTypeMismatch')!.message, /Job \{0\} must be in final state/);
    assert.match(getEntry('IM-003')!.message, /User \{0\} is not mapped to an identity on tenant \{1\}\. User \{0\} must be added/);
    assert.match(getEntry('MIGR-002')!.message, /To authorize \{0\}, add them to security group \{1\}/);
    assert.match(getEntry('MIGR-003')!.message, /^User \{0\} migration failed/);
    assert.match(getEntry('CTM-101')!.message, /Mapping state is \{0\}\./);
  });

  it('resolves codes the seed reuses in the Teams meeting section to their own entries', () => {
    assert.equal(getEntry('IM-003')?.category, 'general');
    assert.equal(findSeedEntry('IM-003')?.code, 'IM-003');
    assert.equal(findSeedEntry('IM-003', 'teamsMeeting')?.code, 'MTG-IM-003');
    assert.equal(findSeedEntry('MIGR-001', 'teamsMeeting')?.code, 'MTG-MIGR-001');
    assert.equal(findSeedEntry('MIGR-003', 'teamsMeeting')?.code, 'MTG-MIGR-003');
    assert.equal(findSeedEntry('MMS-001/002', 'teamsMeeting')?.code, 'MMS-001');
    assert.equal(getEntry('HTTP-409')?.code, 'resourceTypeMismatch');
  });

  const expectedFixes: readonly [string, (e: CatalogEntry) => boolean, string][] = [
    ['resourceTypeMismatch', (e) => e.fixes.some((f) => f.kind === 'command' && f.command === 'ferry.stopBatch'), 'ferry.stopBatch'],
    ['duplicateDisplayNameJob', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'makeBatchNameUnique'), 'makeBatchNameUnique'],
    ['minThresholdFailed', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'moveCompleteAfterToFuture'), 'moveCompleteAfterToFuture'],
    ['IM-003', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'addIdentityRule'), 'addIdentityRule'],
    ['CTM-001', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'removeDuplicateItem'), 'removeDuplicateItem'],
    ['CTM-002', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'removeDuplicateItem'), 'removeDuplicateItem'],
    ['EXCH-07', (e) => e.fixes.some((f) => f.kind === 'planEdit' && f.id === 'pickExistingEndpoint'), 'pickExistingEndpoint'],
    ...['MIGR-001', 'MIGR-004'].flatMap((code): [string, (e: CatalogEntry) => boolean, string][] => [
      [code, (e) => e.fixes.some((f) => f.kind === 'adminCommand' && f.template === 'Get-OrganizationRelationship | fl'), 'Get-OrganizationRelationship'],
      [code, (e) => e.fixes.some((f) => f.kind === 'adminCommand' && f.template.startsWith('Set-OrganizationRelationship ')), 'Set-OrganizationRelationship'],
    ]),
    [
      'MIGR-002',
      (e) => e.fixes.some((f) => f.kind === 'adminCommand' && /^Add-DistributionGroupMember -Identity "\{securityGroup\}" -Member "\{userPrincipalName\}"$/.test(f.template)),
      'Add-DistributionGroupMember',
    ],
    ...['MIGR-003', 'MTG-MIGR-003', 'CTM-102', 'CTM-103', 'EXCH-15', 'CTTM-001'].map((code): [string, (e: CatalogEntry) => boolean, string] => [
      code,
      (e) => e.retryable === true && e.fixes.some((f) => f.kind === 'command' && f.command === 'ferry.retryErrors'),
      'retryable, ferry.retryErrors',
    ]),
  ];
  for (const [code, check, what] of expectedFixes) {
    it(`${code} offers ${what}`, () => {
      const entry = getEntry(code);
      assert.ok(entry, code);
      assert.ok(check(entry), `${code}: ${JSON.stringify(entry.fixes)}`);
    });
  }

  it('keeps seed errors at severity error, CTM-001/002 included', () => {
    for (const code of ['CTM-001', 'CTM-002', 'IM-003', 'MIGR-001', 'EXCH-08', 'IDMAP-001', 'MnAPartnersFarmsAreIncompatible']) {
      assert.equal(getEntry(code)?.severity, 'error', code);
    }
  });
});
