// A Maildir destination's changes are durable before the call that made them resolves: the real
// file system calls (through maildirFs) are observed in order, not faked.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import { maildirFs } from '../../../src/connectors/maildir/maildirFileWrite';
import type { DestinationMailbox } from '../../../src/connectors/types';
import { plainMessage } from '../../servers/testMessages';
import { maildirRequest } from './connectorHarness';

const signal = new AbortController().signal;

/** One observed call: its name and the path it acted on (a descriptor's file for datasync/close). */
interface Call {
  op: string;
  file: string;
  to?: string;
}

describe('connectors: maildir destination durability', () => {
  let dir: string;
  let box: string;
  let calls: Call[];
  let d: DestinationMailbox;
  const real = { ...maildirFs };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-maildir-durable-'));
    box = path.join(dir, 'md', 'ann@a.test');
    calls = [];
    const fdFile = new Map<number, string>();
    maildirFs.writeOpen = (file, data, date) => {
      const fd = real.writeOpen(file, data, date);
      fdFile.set(fd, file);
      calls.push({ op: 'write', file });
      return fd;
    };
    maildirFs.datasync = (fd) => real.datasync(fd).then(() => void calls.push({ op: 'datasync', file: fdFile.get(fd) ?? '?' }));
    maildirFs.close = (fd) => {
      real.close(fd);
      calls.push({ op: 'close', file: fdFile.get(fd) ?? '?' });
    };
    maildirFs.writeSynced = (file, data) => real.writeSynced(file, data).then(() => void calls.push({ op: 'writeSynced', file }));
    maildirFs.touchSynced = (file, date) => real.touchSynced(file, date).then(() => void calls.push({ op: 'touchSynced', file }));
    maildirFs.renameSync = (from, to) => {
      real.renameSync(from, to);
      calls.push({ op: 'rename', file: from, to });
    };
    maildirFs.rename = (from, to) => real.rename(from, to).then(() => void calls.push({ op: 'rename', file: from, to }));
    maildirFs.unlink = (file) => real.unlink(file).then(() => void calls.push({ op: 'unlink', file }));
    maildirFs.syncDir = (syncDir) => real.syncDir(syncDir).then(() => void calls.push({ op: 'syncDir', file: syncDir }));
    d = await maildirConnector.openDestination(maildirRequest(dir, 'md', 'ann@a.test'));
  });
  afterEach(async () => {
    Object.assign(maildirFs, real);
    await d.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const content = (n: number, flags: string[] = []) => ({ format: 'rfc822' as const, data: plainMessage(n).raw, flags, date: new Date(Date.UTC(2021, 0, n)) });
  const at = (op: string, file: string) => calls.findIndex((c) => c.op === op && c.file === file);
  const renamedTo = (prefix: string) => calls.filter((c) => c.op === 'rename' && c.to?.startsWith(prefix));

  /** Each message file was synced before its rename into cur/; cur/ synced after the last rename, before `done`. */
  function assertDurableWrites(folder: string, count: number, done: number): void {
    const renames = renamedTo(path.join(folder, 'cur') + path.sep);
    assert.equal(renames.length, count);
    for (const r of renames) {
      const synced = at('datasync', r.file);
      assert.ok(synced !== -1 && synced < calls.indexOf(r), `${r.file} renamed before its data was synced: ${JSON.stringify(calls)}`);
    }
    const curSynced = calls.findLastIndex((c) => c.op === 'syncDir' && c.file === path.join(folder, 'cur'));
    assert.ok(curSynced > calls.indexOf(renames[renames.length - 1]!) && curSynced < done, `cur/ not synced after the renames and before the call resolved: ${JSON.stringify(calls)}`);
  }

  it('writeItems: every file fdatasynced before its rename, cur/ fsynced once after the renames, before it resolves', async () => {
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    calls.length = 0;
    await d.writeItems!(inbox, [1, 2, 3, 4].map((n) => content(n)), signal);
    calls.push({ op: 'resolved', file: '' });
    assertDurableWrites(box, 4, calls.length - 1);
    // Bounded: one data sync per file, one sync of the directory the batch touched.
    assert.equal(calls.filter((c) => c.op === 'datasync').length, 4);
    assert.deepEqual(calls.filter((c) => c.op === 'syncDir').map((c) => c.file), [path.join(box, 'cur')]);
  });

  it('a failed fdatasync fails the batch, leaves none of it, and closes no descriptor before every sync has settled', async () => {
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const datasync = maildirFs.datasync;
    let first = true;
    maildirFs.datasync = (fd) => {
      if (!first) return datasync(fd);
      first = false;
      calls.push({ op: 'datasync failed', file: '' });
      return Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    };
    calls.length = 0;
    await assert.rejects(d.writeItems!(inbox, [1, 2, 3, 4].map((n) => content(n)), signal));
    const lastSync = calls.findLastIndex((c) => c.op.startsWith('datasync'));
    const firstClose = calls.findIndex((c) => c.op === 'close');
    assert.equal(calls.filter((c) => c.op.startsWith('datasync')).length, 4);
    assert.ok(firstClose > lastSync, `a descriptor closed while a sync was under way: ${JSON.stringify(calls)}`);
    assert.equal(calls.filter((c) => c.op === 'close').length, 4);
    assert.deepEqual([...(await fs.readdir(path.join(box, 'tmp'))), ...(await fs.readdir(path.join(box, 'cur')))], []);
  });

  it('writeItem: the file synced before its rename, cur/ after; a new keyword file durable before a file names its letter', async () => {
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    calls.length = 0;
    await d.writeItem(inbox, content(1, ['$Label1']), signal);
    calls.push({ op: 'resolved', file: '' });
    assertDurableWrites(box, 1, calls.length - 1);
    const keywordFile = path.join(box, 'dovecot-keywords');
    const keywordRename = calls.findIndex((c) => c.op === 'rename' && c.to === keywordFile);
    assert.ok(keywordRename !== -1 && at('writeSynced', calls[keywordRename]!.file) < keywordRename, JSON.stringify(calls));
    const boxSynced = calls.findIndex((c, i) => i > keywordRename && c.op === 'syncDir' && c.file === box);
    assert.ok(boxSynced !== -1 && boxSynced < calls.indexOf(renamedTo(path.join(box, 'cur'))[0]!), `keyword file not durable before the message naming its letter: ${JSON.stringify(calls)}`);
  });

  it('moveItem syncs both directories, setFlags the renamed-into directory, deleteItem the directory it removed from', async () => {
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const archive = await d.ensureFolder(['Archive'], undefined);
    const [a, b] = await d.writeItems!(inbox, [content(1), content(2)], signal);
    const archiveDir = path.join(box, '.Archive');
    await d.readFlags!(inbox, [a!.id, b!.id], signal);

    calls.length = 0;
    await d.setFlags!(inbox, a!.id, ['\\Seen'], signal);
    calls.push({ op: 'resolved', file: '' });
    assert.deepEqual(calls.map((c) => c.op), ['rename', 'syncDir', 'resolved']);
    assert.equal(calls[1]!.file, path.join(box, 'cur'));

    calls.length = 0;
    await d.moveItem!(inbox, a!.id, archive, signal);
    calls.push({ op: 'resolved', file: '' });
    assert.deepEqual(calls.map((c) => c.op), ['rename', 'syncDir', 'syncDir', 'resolved']);
    assert.deepEqual(calls.slice(1, 3).map((c) => c.file), [path.join(archiveDir, 'cur'), path.join(box, 'cur')]);

    calls.length = 0;
    await d.deleteItem!(inbox, b!.id, signal);
    calls.push({ op: 'resolved', file: '' });
    assert.deepEqual(calls.map((c) => [c.op, c.op === 'syncDir' ? c.file : '']), [['unlink', ''], ['syncDir', path.join(box, 'cur')], ['resolved', '']]);
  });

  it('a new folder is durable (its directory and its parent synced); an existing one costs no sync', async () => {
    calls.length = 0;
    await d.ensureFolder(['Projects'], undefined);
    const synced = calls.filter((c) => c.op === 'syncDir').map((c) => c.file).sort();
    assert.deepEqual(synced, [box, path.join(box, '.Projects')].sort());
    calls.length = 0;
    await d.ensureFolder(['Projects'], undefined);
    assert.deepEqual(calls, []);
  });
});
