import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { canListMailboxes, connectorKinds, getConnector, hasConnector } from '../../../src/connectors/registry';
import { CONNECTOR_DISPOSITIONS } from '../../../src/errors/connectorCatalog';
import { entriesIn, getEntry } from '../../../src/errors/catalog';

describe('connectors: registry', () => {
  it('has maildir, imap, m365, exchange and gmail, each answering for its own kind', async () => {
    assert.deepEqual(connectorKinds().sort(), ['exchange', 'gmail', 'imap', 'm365', 'maildir']);
    assert.equal(hasConnector('maildir'), true);
    assert.equal(hasConnector('exchange'), true);
    assert.equal(hasConnector('gmail'), true);
    assert.equal((await getConnector('maildir')).kind, 'maildir');
    assert.equal((await getConnector('imap')).kind, 'imap');
    assert.equal((await getConnector('gmail')).kind, 'gmail');
    await assert.rejects(getConnector(undefined), /No connector for endpoint type 'undefined'/);
  });

  it('knows without loading them which connectors list mailboxes (discovery)', async () => {
    for (const kind of connectorKinds()) assert.equal(canListMailboxes(kind), typeof (await getConnector(kind)).listMailboxes === 'function', kind);
    assert.equal(canListMailboxes('gmail'), true);
    assert.equal(canListMailboxes(undefined), false);
  });

  it('loads imapflow only when an imap mailbox is opened, not with the connector (a quiet probe needs none)', () => {
    const registry = path.resolve(__dirname, '../../../src/connectors/registry.js');
    const script = `const r = require(${JSON.stringify(registry)});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('imapflow'));
      r.getConnector('maildir').then(async () => { const before = loaded(); await r.getConnector('imap'); console.log(JSON.stringify([before, loaded()])); });`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim(), '[false,false]');
  });

  it('loads ews-javascript-api only when the exchange connector is first used (it costs ~230 ms)', () => {
    const registry = path.resolve(__dirname, '../../../src/connectors/registry.js');
    const script = `const r = require(${JSON.stringify(registry)});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('ews-javascript-api'));
      r.getConnector('imap').then(async () => { const before = loaded(); const c = await r.getConnector('exchange'); console.log(JSON.stringify([before, loaded(), c.kind])); });`;
    // The connector module itself loads the library lazily too: on first open, not on import.
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()), [false, false, 'exchange']);
  });

  it("loads Google's client libraries only when a gmail mailbox is opened, not with the connector", () => {
    const registry = path.resolve(__dirname, '../../../src/connectors/registry.js');
    const script = `const r = require(${JSON.stringify(registry)});
      const loaded = () => Object.keys(require.cache).some((k) => /@googleapis|google-auth-library/.test(k));
      r.getConnector('gmail').then((c) => console.log(JSON.stringify([loaded(), c.kind])));`;
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()), [false, 'gmail']);
  });
});

describe('error catalog: connector codes', () => {
  it('has every connector code with a disposition, category connector and source ferry', () => {
    // Other layers (the engine) file their codes under 'connector' too: look at IMAP-/MAILDIR- only.
    const codes = entriesIn('connector').map((e) => e.code).filter((c) => /^(IMAP|MAILDIR)-/.test(c)).sort();
    assert.deepEqual(codes, Object.keys(CONNECTOR_DISPOSITIONS).sort());
    for (const code of codes) {
      const entry = getEntry(code)!;
      assert.equal(entry.source, 'ferry');
      assert.match(code, /^(IMAP|MAILDIR)-[A-Z-]+$/);
    }
    assert.equal(CONNECTOR_DISPOSITIONS['IMAP-AUTH'], 'mailbox');
    assert.equal(CONNECTOR_DISPOSITIONS['IMAP-QUOTA'], 'mailbox');
    assert.equal(CONNECTOR_DISPOSITIONS['IMAP-ITEM-TOO-LARGE'], 'item');
    assert.equal(CONNECTOR_DISPOSITIONS['IMAP-DISCONNECT'], 'transient');
    assert.equal(getEntry('IMAP-UIDVALIDITY')!.severity, 'information');
    assert.equal(getEntry('IMAP-DISCONNECT')!.retryable, true);
    assert.equal(getEntry('IMAP-QUOTA')!.retryable, false);
  });
});
