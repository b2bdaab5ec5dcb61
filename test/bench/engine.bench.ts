// Benchmark: Ferry's own cost per message once the source has its bytes, with both sides in memory
// (no server, no IMAP library): the batch copy, probes and their content hashes, intents and
// watermarks in a real state database (a temp folder), events. What `npm run bench:imap` measures
// besides the servers and imapflow. Each run is a child process started as `ferry run` starts (young
// generation capped, src/engine/passHeap.ts), so runs do not share a heap; it reports its
// CPU time (user + system, every thread) and garbage collection from the pass's start to its end.
//   node out/test/bench/engine.bench.js [--runs N] [--messages N]   (defaults: 5 runs, 2,000 per mailbox,
//   rows 1 x N, 4 x N at once, 1 x 10 N). Prints figures; asserts nothing about time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GCProfiler } from 'node:v8';
import type { Connector, FolderInfo, ItemContent, ItemRef } from '../../src/connectors/types';
import { runPass } from '../../src/engine/runPass';
import { validatePlan } from '../../src/plan/validate';
import { Store } from '../../src/store/store';
import { prng } from '../unit/helpers/prng';

const WORDS = 'the of migration mailbox server folder message project budget meeting report invoice customer schedule review draft update contract team plan release notes agenda'.split(' ');
const FLAG_SETS: readonly string[][] = [['\\Seen'], ['\\Seen'], ['\\Seen'], [], ['\\Seen', '\\Flagged'], ['\\Seen', '$Forwarded']];

/** A 2-4 KB message with CRLF line endings (as an IMAP server hands it over), its flags and date. */
function message(box: string, n: number): { ref: ItemRef; content: ItemContent } {
  const rnd = prng(n * 7919 + box.length);
  const word = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const date = new Date(Date.UTC(2023, 0, 1) + Math.floor(rnd() * 700 * 86400) * 1000);
  const head = [`From: Ann Archer <ann@bench.example>`, `To: Bob Baker <bob@bench.example>`, `Subject: ${word()} ${word()} #${n}`, `Date: ${date.toUTCString()}`, `Message-ID: <bench-${box}-${n}@bench.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'];
  const lines: string[] = [];
  for (let size = 0, target = 2048 + Math.floor(rnd() * 2048); size < target - 500; ) {
    const line = Array.from({ length: 8 + Math.floor(rnd() * 8) }, word).join(' ');
    lines.push(line);
    size += line.length + 2;
  }
  const data = Buffer.from([...head, '', ...lines, ''].join('\r\n'));
  const flags = FLAG_SETS[Math.floor(rnd() * FLAG_SETS.length)];
  return { ref: { id: `7:${n}`, sizeBytes: data.length, date, flags, itemType: 'mail' }, content: { format: 'rfc822', data, flags, date } };
}

const INBOX: FolderInfo = { id: 'INBOX', path: ['INBOX'], role: 'inbox', itemType: 'mail' };

/** Sources that hold their messages in memory; destinations that take batches (as MULTIAPPEND) and keep nothing. */
function memoryConnector(mailboxes: ReadonlyMap<string, { ref: ItemRef; content: ItemContent }[]>): Connector {
  return {
    kind: 'imap',
    async openSource(request) {
      const messages = mailboxes.get(request.mailbox)!;
      const byId = new Map(messages.map((m) => [m.ref.id, m.content]));
      return {
        listFolders: async () => [INBOX],
        listItems: async () => ({ items: messages.map((m) => m.ref), cursor: { uidValidity: '7', lastUid: messages.length }, reset: false }),
        readItem: async (_folder, ref) => byId.get(ref.id)!,
        close: async () => undefined,
      };
    },
    async openDestination() {
      let next = 1;
      return {
        // Fresh and empty, as the bench's IMAP destinations: nothing to look for before writing.
        listFolders: async () => [{ ...INBOX, itemCount: 0 }],
        ensureFolder: async () => ({ ...INBOX, itemCount: 0 }),
        writeItem: async () => ({ id: `9:${next++}` }),
        writeItems: async (_folder, contents) => contents.map(() => ({ id: `9:${next++}` })),
        findWritten: async () => undefined,
        close: async () => undefined,
      };
    },
  };
}

interface RunResult {
  messages: number;
  cpuMs: number;
  wallMs: number;
  gcMs: number;
  gcs: number;
}

/** One pass in this process (the child): `mailboxes` mailboxes of `perMailbox` messages, all at once. */
async function child(mailboxes: number, perMailbox: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-engine-'));
  try {
    const file = path.join(dir, 'bench.migration.yaml');
    const names = Array.from({ length: mailboxes }, (_, i) => `m${i + 1}`);
    const yaml = `version: 1\nproject: { name: Engine bench }\nendpoints:\n  src: { type: imap, host: 127.0.0.1, auth: { username: '{mailbox}', password: { secret: PW } } }\n  dst: { type: imap, host: 127.0.0.1, auth: { username: '{mailbox}', password: { secret: PW } } }\nsource: src\ndestination: dst\noptions:\n  maxConcurrentMigrations: ${mailboxes}\nbatches:\n  - name: B\n    items:\n${names.map((n) => `      - { source: ${n}@src.example, destination: ${n}@dst.example }`).join('\n')}\n`;
    const { plan, diagnostics } = validatePlan(yaml, { file, readFile: () => undefined });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
    const store = Store.open(path.join(dir, '.ferry'));
    const connector = memoryConnector(new Map(names.map((n) => [`${n}@src.example`, Array.from({ length: perMailbox }, (_, i) => message(n, i + 1))])));
    const gc = new GCProfiler();
    gc.start();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await runPass({ plan, store, pass: 'full', connectors: async () => connector, secrets: () => 'x' });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    // Each collection's cost in microseconds.
    const collections = gc.stop()?.statistics ?? [];
    store.close();
    if (summary.totals.copied !== mailboxes * perMailbox) throw new Error(`copied ${summary.totals.copied}, expected ${mailboxes * perMailbox}`);
    const result: RunResult = { messages: mailboxes * perMailbox, cpuMs: (used.user + used.system) / 1000, wallMs, gcMs: collections.reduce((sum, c) => sum + c.cost, 0) / 1000, gcs: collections.length };
    process.stdout.write(JSON.stringify(result));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  const runs = arg('runs', 5);
  const n = arg('messages', 2000);
  const rows = [
    { name: `1 mailbox x ${n.toLocaleString('en-US')}`, mailboxes: 1, perMailbox: n },
    { name: `4 mailboxes x ${n.toLocaleString('en-US')} at once`, mailboxes: 4, perMailbox: n },
    { name: `1 mailbox x ${(10 * n).toLocaleString('en-US')}`, mailboxes: 1, perMailbox: 10 * n },
  ];
  console.log(`Ferry's own work per message, both sides in memory (state database in ${os.tmpdir()}); median of ${runs} runs, each a child process; load ${os.loadavg()[0].toFixed(1)} at start`);
  console.log(`${'Workload'.padEnd(30)}${'CPU/msg'.padStart(10)}${'wall/msg'.padStart(10)}${'GC/msg'.padStart(10)}${'GCs'.padStart(8)}`);
  for (const row of rows) {
    const results: RunResult[] = [];
    for (let r = 0; r < runs; r++) {
      const out = spawnSync(process.execPath, ['--semi-space-growth-factor=1', __filename, '--child', String(row.mailboxes), String(row.perMailbox)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
      results.push(JSON.parse(out.stdout) as RunResult);
    }
    const us = (pick: (r: RunResult) => number) => `${median(results.map((r) => (pick(r) * 1000) / r.messages)).toFixed(1)} us`;
    console.log(`${row.name.padEnd(30)}${us((r) => r.cpuMs).padStart(10)}${us((r) => r.wallMs).padStart(10)}${us((r) => r.gcMs).padStart(10)}${String(median(results.map((r) => r.gcs))).padStart(8)}`);
  }
  console.log('CPU: user + system of every thread of the process, from the pass start to its end.');
}

const at = process.argv.indexOf('--child');
if (at === -1) main();
else
  void child(Number(process.argv[at + 1]), Number(process.argv[at + 2])).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
