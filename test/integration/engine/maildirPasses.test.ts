import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { addMessages, messageHashes, planYaml } from './maildirFixture';

describe('engine on real Maildirs', function () {
  this.timeout(60_000);

  it('full, then delta moves zero; new messages move exactly once; content is byte for byte', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-it-'));
    const src = path.join(dir, 'source');
    addMessages(src, 'ann@contoso.example', ['INBOX'], 40);
    addMessages(src, 'ann@contoso.example', ['Archive', '2024'], 15);
    addMessages(src, 'ann@contoso.example', ['Projets', 'Été'], 10);
    addMessages(src, 'bob@contoso.example', ['INBOX'], 25);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(['ann', 'bob']));
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: () => undefined });

    const full = await run('full');
    assert.equal(full.status, 'completed');
    assert.deepEqual(full.items.map((i) => [i.source, i.status, i.copied]), [['ann@contoso.example', 'Completed', 65], ['bob@contoso.example', 'Completed', 25]]);
    assert.deepEqual(messageHashes(path.join(dir, 'destination', 'ann@fabrikam.example')), messageHashes(path.join(src, 'ann@contoso.example')));
    assert.ok(fs.existsSync(path.join(dir, 'destination', 'ann@fabrikam.example', 'Projets', 'Été', 'cur')), 'non-ASCII nested folder');

    const delta = await run('delta');
    assert.equal(delta.totals.copied, 0);

    // Newer mtimes than the cursors: what a delivery during the migration looks like.
    const added = addMessages(src, 'ann@contoso.example', ['INBOX'], 3);
    const later = new Date(Date.now() + 60_000);
    for (const f of added) fs.utimesSync(f, later, later);
    const delta2 = await run('delta');
    assert.equal(delta2.totals.copied, 3);
    assert.equal((await run('delta')).totals.copied, 0);
    assert.equal((await run('full')).totals.copied, 0);
    for (const who of ['ann', 'bob']) {
      assert.deepEqual(messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`)), messageHashes(path.join(src, `${who}@contoso.example`)), who);
    }
    store.close();
  });

  it('verify writes nothing: a destination mailbox that does not exist yet is not created (nor its endpoint folder)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-it-'));
    addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['INBOX'], 2);
    addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['Archive'], 1);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(['ann']));
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const sourceBefore = messageHashes(path.join(dir, 'source'));
    const verify = await runPass({ plan, store, pass: 'verify', connectors: registryConnectors, secrets: () => undefined });
    assert.deepEqual(verify.items.map((i) => [i.status, i.matchState]), [['Completed', 'Matched']], JSON.stringify(verify.items));
    assert.equal(fs.existsSync(path.join(dir, 'destination')), false, 'verify created the destination');
    assert.deepEqual(messageHashes(path.join(dir, 'source')), sourceBefore);
    // The full pass then creates it as a delivery agent would.
    assert.equal((await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: () => undefined })).totals.copied, 3);
    assert.ok(fs.existsSync(path.join(dir, 'destination', 'ann@fabrikam.example', 'cur')));
    store.close();
  });

  it('item dates come from the messages and their file names, not file times: a copied Maildir does not look new, and a pre-stage of it moves the old mail', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-it-'));
    const src = path.join(dir, 'source');
    // 2025 mail (Date headers and file names of 2025), then a recent delivery with a Received header of yesterday.
    const old = addMessages(src, 'ann@contoso.example', ['INBOX'], 4);
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    const recent = path.join(src, 'ann@contoso.example', 'cur', `${Math.floor(yesterday.getTime() / 1000)}.M1P1.mx:2,`);
    fs.writeFileSync(recent, `Received: from mx.contoso.example by imap.contoso.example; ${yesterday.toUTCString()}\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: recent\nMessage-ID: <recent-${process.pid}@contoso.example>\n\nhello\n`);
    // The Maildir was copied (cp -r, a restore): every file time is now.
    const now = new Date();
    for (const f of [...old, recent]) fs.utimesSync(f, now, now);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(['ann'], '  preStage: { olderThanDays: 90 }\n'));
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const pre = await runPass({ plan, store, pass: 'prestage', connectors: registryConnectors, secrets: () => undefined });
    assert.equal(pre.totals.copied, 4, JSON.stringify(pre.items));
    // The copies carry the delivery date: file time and file name's time both.
    const cur = path.join(dir, 'destination', 'ann@fabrikam.example', 'cur');
    const copied = fs.readdirSync(cur);
    assert.ok(copied.every((name) => Number(name.split('.')[0]) < Date.UTC(2026, 0, 1) / 1000), copied.join(', '));
    assert.ok(copied.every((name) => fs.statSync(path.join(cur, name)).mtimeMs < Date.UTC(2026, 0, 1)));
    assert.equal((await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: () => undefined })).totals.copied, 1);
    const received = fs.readdirSync(cur).map((name) => fs.statSync(path.join(cur, name)).mtimeMs);
    assert.ok(received.some((t) => Math.abs(t - yesterday.getTime()) < 1000), 'the recent message keeps its Received date');
    store.close();
  });

  it('a lost store never duplicates: a new full pass finds what the earlier one wrote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-it-'));
    const src = path.join(dir, 'source');
    addMessages(src, 'ann@contoso.example', ['INBOX'], 30);
    addMessages(src, 'ann@contoso.example', ['Archive', '2024'], 12);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(['ann']));
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const full = async () => {
      const store = Store.open(path.join(dir, '.ferry'));
      try {
        return await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: () => undefined });
      } finally {
        store.close();
      }
    };
    assert.equal((await full()).totals.copied, 42);
    fs.rmSync(path.join(dir, '.ferry'), { recursive: true });
    addMessages(src, 'ann@contoso.example', ['INBOX'], 2);
    const again = await full();
    assert.equal(again.status, 'completed');
    // Found items are recorded (watermarked) again; only the two new ones are written: no duplicates.
    assert.deepEqual(messageHashes(path.join(dir, 'destination', 'ann@fabrikam.example')), messageHashes(path.join(src, 'ann@contoso.example')));
  });
});
