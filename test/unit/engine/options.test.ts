import * as assert from 'node:assert/strict';
import { FolderRules } from '../../../src/engine/folderRules';
import { ItemRules } from '../../../src/engine/itemRules';
import { defaultOptions, type PlanOptions } from '../../../src/plan/model';
import { secretEnvName, mapSecrets, secretNames } from '../../../src/engine/secrets';
import { harness, simplePlan } from './engineTestUtil';

const opts = (o: Partial<PlanOptions>): PlanOptions => ({ ...defaultOptions, ...o }) as PlanOptions;
const folder = (path: string[], role?: 'sent' | 'inbox') => ({ id: path.join('/'), path, role, itemType: 'mail' as const });

describe('engine: folder and item options', () => {
  it('includes, excludes and renames folders by regular expression on the joined path', () => {
    const rules = new FolderRules(opts({ folders: { include: ['^(INBOX|Archive)'], exclude: ['^INBOX/Junk$'], map: [{ from: '^Archive/(.*)$', to: 'Old Archive/$1' }] } }));
    assert.equal(rules.decide(folder(['Drafts']), []).copy, false);
    assert.equal(rules.decide(folder(['INBOX', 'Junk']), []).copy, false);
    assert.deepEqual(rules.decide(folder(['Archive', '2024', 'Été']), []).destinationPath, ['Old Archive', '2024', 'Été']);
    assert.deepEqual(rules.decide(folder(['INBOX', 'Projects']), []).destinationPath, ['INBOX', 'Projects']);
  });

  it('maps a role folder onto the destination folder of the same role', () => {
    const rules = new FolderRules(opts({}));
    const d = rules.decide(folder(['Sent Messages'], 'sent'), [folder(['Sent Items'], 'sent')]);
    assert.deepEqual([d.destinationPath, d.role], [['Sent Items'], 'sent']);
  });

  it('skips item types the plan leaves out, with a code', () => {
    const rules = new FolderRules(opts({ itemTypes: ['mail'] }));
    assert.deepEqual(rules.decide({ id: 'c', path: ['Contacts'], itemType: 'contacts' }, []), { copy: false, skipCode: 'ENG-022', destinationPath: ['Contacts'], role: undefined });
  });

  it('skips item types the destination cannot hold (IMAP: mail only), with its own code', () => {
    const rules = new FolderRules(opts({}), ['mail', 'contacts', 'calendar'], ['mail']);
    assert.deepEqual(rules.decide({ id: 'k', path: ['Calendar'], itemType: 'calendar', role: 'calendar' }, []), { copy: false, skipCode: 'ENG-023', destinationPath: ['Calendar'], role: 'calendar' });
    assert.equal(rules.decide({ id: 'i', path: ['Inbox'], itemType: 'mail', role: 'inbox' }, []).copy, true);
  });

  it('skips items by date range and size with codes; trial and prestage leave the rest for later', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const ref = (date: string, size = 10) => ({ id: date, sizeBytes: size, date: new Date(date), flags: [], itemType: 'mail' as const });
    const rules = new ItemRules(opts({ dateRange: { from: new Date('2025-01-01T00:00:00Z') }, maxItemSizeMB: 1 }), 'full', now);
    assert.equal(rules.decide(ref('2024-12-31T00:00:00Z'), 'INBOX', 0).action, 'skip');
    assert.deepEqual(rules.decide(ref('2025-06-01T00:00:00Z', 2 * 1024 * 1024), 'INBOX', 0), { action: 'skip', code: 'ENG-020', args: ['2.0', 'INBOX', '1'] });
    assert.equal(rules.decide(ref('2025-06-01T00:00:00Z'), 'INBOX', 0).action, 'copy');
    const pre = new ItemRules(opts({ preStageOlderThanDays: 90 }), 'prestage', now);
    assert.equal(pre.decide(ref('2026-05-01T00:00:00Z'), 'INBOX', 0).action, 'later');
    assert.equal(pre.decide(ref('2026-01-01T00:00:00Z'), 'INBOX', 0).action, 'copy');
  });

  it('records skipped items with their reasons in the statistics', async () => {
    const h = harness(simplePlan(['ann'], '  maxItemSizeMB: 1'));
    h.world.add('ann@contoso.example', ['INBOX'], 'small');
    h.world.add('ann@contoso.example', ['INBOX'], 'huge', undefined, 2 * 1024 * 1024);
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.totals.copied, s.totals.skipped], ['Completed', 1, 1]);
    assert.deepEqual(h.store.skips.byCode(1), { 'ENG-020': 1 });
    assert.deepEqual(h.store.progress.folderStats(1).map((f) => [f.sourcePath, f.items, f.skipped]), [['INBOX', 1, 1]]);
  });

  it('resolves secrets from FERRY_SECRET_<NAME> or the map the extension sends', () => {
    assert.equal(secretEnvName('contoso-imap.pw'), 'FERRY_SECRET_CONTOSO_IMAP_PW');
    const source = mapSecrets({ A: '1' }, (n) => (n === 'B' ? '2' : undefined));
    assert.deepEqual([source('A'), source('B'), source('C')], ['1', '2', undefined]);
    assert.deepEqual(secretNames({ host: 'h', auth: { username: 'u', password: { secret: 'PW' } }, clientSecret: { secret: 'APP' } }).sort(), ['APP', 'PW']);
  });
});
