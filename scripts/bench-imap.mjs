#!/usr/bin/env node
// `npm run bench:imap`: IMAP -> IMAP copy speed of Ferry against mbsync (Debian `isync`), on one
// throwaway Dovecot (test/servers/dovecot.ts, mail in /dev/shm). Both tools read the same seeded
// source users and write into fresh, empty destination users of the same server; each run is timed
// from spawn to exit (start-up, login, listing and the final logout included), its peak memory is
// the child's VmHWM polled from /proc, and afterwards every destination must hold exactly the
// source's messages (content hashes with line endings normalised, so nothing lost or duplicated).
//   node scripts/bench-imap.mjs [--small N] [--large N] [--huge N[,N]] [--repeat N] [--ferry PATH/bin/ferry.js] [--verbose] [--keep] [--more-only] [--noop-only] [--floor-rows] [--no-floor]
// (defaults: 2,000 small messages per mailbox, 50 large, one mailbox of 20,000, 3 runs per tool;
// prints, asserts nothing). `--huge 20000,200000` adds a mailbox of 200,000 (seeded in about a
// minute, one run per tool: several minutes); `--huge 0` leaves the huge rows out. `--more-only`:
// only the second table; `--noop-only`: only its no-op delta row.
// A second table: a no-op delta against mbsync's resync, a pass after the state folder is lost
// (found at the destination, not copied: against Ferry's first copy), Maildir to Maildir against
// `cp -a`, and start-up (`ferry validate`/`ferry status` of the demo plan) against `node -e 0`.
// Floors (scripts/bench-floor/): on the large row, the no-op delta and Maildir to Maildir, a bare
// Node 22 program that does only the work Ferry must (no Ferry code) runs in the same rounds, its
// median printed with Ferry / floor and floor / peer: the large row's with and without the probe's
// hash, the Maildir row's with and without the tmp/ -> cur/ rename. `--floor-rows`: only the rows
// that have a floor (with `--small 0`, the large row alone); `--no-floor`: no floor runs.
// Needs `npm run build` and the compiled tests (out/); the package script builds both first.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const harness = path.join(root, 'out', 'test', 'servers', 'dovecot.js');
// --ferry PATH runs another build's bin/ferry.js (to compare before and after a change).
const ferryArg = process.argv.indexOf('--ferry');
const ferryBin = ferryArg === -1 ? path.join(root, 'bin', 'ferry.js') : path.resolve(process.argv[ferryArg + 1]);
/** `ferry` as an operator runs it: bin/ferry.js as a program (its `#!` line), this Node first on PATH. */
const asProgram = (env = process.env) => ({ ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ''}` });
for (const [file, how] of [[harness, 'node scripts/build-tests.mjs'], [path.join(root, 'dist', 'cli.js'), 'node esbuild.mjs']]) {
  if (!fs.existsSync(file)) {
    console.error(`bench-imap: ${path.relative(root, file)} is missing: run ${how} first`);
    process.exit(2);
  }
}
for (const tool of ['mbsync', 'dovecot']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    console.error(`bench-imap: ${tool} is not installed (Debian: apt-get install ${tool === 'mbsync' ? 'isync' : 'dovecot-imapd'})`);
    process.exit(2);
  }
}
const { startDovecot, dovecotVersion } = require(harness);
const { smallMessage, largeMessage, seedMaildir, warmUp, verify, contentHashes, PASSWORD } = await import('./bench-imap-workload.mjs');
const { runLargeFloor, runNoopFloor, runMaildirFloor } = await import('./bench-floor/runFloors.mjs');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SMALL_PER_MAILBOX = arg('small', 2000);
const LARGE_COUNT = arg('large', 50);
/** Mailboxes of one folder with this many small messages each: memory that must not grow with size. */
const HUGE = (() => {
  const i = process.argv.indexOf('--huge');
  return (i === -1 ? '20000' : process.argv[i + 1]).split(',').map(Number).filter((n) => n > 0);
})();
/** Runs per tool of a huge row: a mailbox of 200,000 is run once. */
const hugeRepeat = (n) => (n > 50_000 ? 1 : REPEAT);
/** Runs per tool and workload; the median is reported (a 2-core machine is noisy). */
const REPEAT = arg('repeat', 3);
const KEEP = process.argv.includes('--keep');
const MORE_ONLY = process.argv.includes('--more-only');
/** --noop-only: only the no-op delta row (its repeats are --repeat N). */
const NOOP_ONLY = process.argv.includes('--noop-only');
/** --floor-rows: only the rows with a floor (large, no-op delta, Maildir); --no-floor: no floor runs. */
const FLOOR_ROWS = process.argv.includes('--floor-rows');
const FLOORS = !process.argv.includes('--no-floor');
/** --verbose prints every run, not only the medians. */
const VERBOSE = process.argv.includes('--verbose');
const MAILBOXES = ['m1', 'm2', 'm3', 'm4'];
const MB = 1024 * 1024;

// ---------------------------------------------------------------- running the tools

/** Runs a child, polling its VmHWM (peak resident set) every 10 ms; resolves with time and memory. */
function timed(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between two polls
      }
    };
    const timer = setInterval(poll, 10);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, peakMb: peakKb / 1024, code: code ?? signal, out, err });
    });
  });
}

/** Fresh, empty destination users: each run of each tool gets its own. */
let userPool = [];
const freshUser = () => {
  const user = userPool.shift();
  if (!user) throw new Error('bench-imap: out of destination users');
  return user;
};

/**
 * mbsync: an IMAPAccount/IMAPStore per user and a channel per mailbox pair (all folders), pulled
 * one way into the fresh destination, arrival dates kept (as Ferry keeps internal dates).
 */
async function runMbsync(server, work, pairs, parallel, again) {
  if (again) return runMbsyncWith(again.rc, again.groups);
  const dir = fs.mkdtempSync(path.join(work, 'mbsync-'));
  const account = (name, user) => `IMAPAccount ${name}\nHost 127.0.0.1\nPort ${server.port}\nUser ${user}\nPass ${PASSWORD}\nSSLType None\nAuthMechs LOGIN\n\nIMAPStore ${name}\nAccount ${name}\n\n`;
  const channels = pairs.map(([src, dst], i) => ({ name: `c${i}`, text: `${account(`far${i}`, src)}${account(`near${i}`, dst)}Channel c${i}\nFar :far${i}:\nNear :near${i}:\nPatterns *\nSync Pull\nCreate Near\nExpunge None\nCopyArrivalDate yes\n\n` }));
  const rc = path.join(dir, 'mbsyncrc');
  fs.mkdirSync(path.join(dir, 'state'));
  fs.writeFileSync(rc, `SyncState ${path.join(dir, 'state')}/\n\n${channels.map((c) => c.text).join('')}`, { mode: 0o600 });
  const groups = parallel ? channels.map((c) => [c.name]) : [channels.map((c) => c.name)];
  return runMbsyncWith(rc, groups);
}

/** mbsync with a config made by runMbsync (again: a resync with its state). */
async function runMbsyncWith(rc, groups) {
  const started = performance.now();
  const results = await Promise.all(groups.map((names) => timed('mbsync', ['-q', '-c', rc, ...names], { cwd: path.dirname(rc) })));
  const ms = performance.now() - started;
  const failed = results.find((r) => r.code !== 0);
  if (failed) throw new Error(`mbsync exited ${failed.code}: ${failed.err}`);
  return { ms, peakMb: Math.max(...results.map((r) => r.peakMb)), sumPeakMb: results.reduce((s, r) => s + r.peakMb, 0), processes: results.length, rc, groups };
}

/** Ferry: a generated plan (imap -> imap, per-user logins from secrets), `ferry run --pass full`. */
async function runFerry(server, work, pairs, concurrency, again) {
  if (again) return runFerryIn(again.dir, again.pass);
  const dir = fs.mkdtempSync(path.join(work, 'ferry-'));
  const imap = (secret) => `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none, auth: { username: '{mailbox}', password: { secret: ${secret} } } }`;
  const plan = `version: 1
project: { name: Bench }
endpoints:
  src: ${imap('SRC_PW')}
  dst: ${imap('DST_PW')}
source: src
destination: dst
options:
  maxConcurrentMigrations: ${concurrency}
batches:
  - name: Bench
    items:
${pairs.map(([src, dst]) => `      - { source: ${src}, destination: ${dst} }`).join('\n')}
`;
  fs.writeFileSync(path.join(dir, 'bench.migration.yaml'), plan);
  return runFerryIn(dir, 'full');
}

/** `ferry run --pass PASS` of the plan in `dir` (made by runFerry). */
async function runFerryIn(dir, pass) {
  const env = { ...process.env, FERRY_SECRET_SRC_PW: PASSWORD, FERRY_SECRET_DST_PW: PASSWORD };
  const r = await timed(ferryBin, ['run', 'bench.migration.yaml', '--pass', pass, '--json'], { cwd: dir, env: asProgram(env) });
  if (r.code !== 0) throw new Error(`ferry run exited ${r.code}: ${r.err}\n${r.out.slice(0, 2000)}`);
  const summary = JSON.parse(r.out);
  return { ms: r.ms, peakMb: r.peakMb, sumPeakMb: r.peakMb, processes: 1, copied: summary.totals.copied, dir };
}

// ---------------------------------------------------------------- the bench

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** `list` rotated left by `r` (the order of a round's runs). */
const rotate = (list, r) => list.map((_, i) => list[(i + r) % list.length]);

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-imap-'));
  const sources = [...MAILBOXES.map((m) => `${m}@src.bench`), 'big@src.bench', ...HUGE.map((n) => `h${n}@src.bench`)];
  const hugeRuns = HUGE.reduce((sum, n) => sum + 2 * hugeRepeat(n), 0);
  userPool = Array.from({ length: 2 * REPEAT * (1 + 2 * MAILBOXES.length + 1) + 2 * REPEAT + 3 * REPEAT + hugeRuns }, (_, i) => `d${i + 1}@dst.bench`);
  const server = await startDovecot({ users: [...sources, ...userPool].map((user) => ({ user, password: PASSWORD })) });
  const mbsyncVersion = execFileSync('mbsync', ['--version'], { encoding: 'utf8' }).trim();
  console.log(`Dovecot ${dovecotVersion()} on 127.0.0.1 (Maildir in ${path.dirname(server.dir)}); ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}); Node ${process.version}; ${mbsyncVersion}`);
  try {
    const seeded = performance.now();
    const sizes = {};
    for (const m of MAILBOXES) sizes[m] = seedMaildir(server, `${m}@src.bench`, Array.from({ length: SMALL_PER_MAILBOX }, (_, i) => smallMessage(m, i + 1)));
    sizes.big = seedMaildir(server, 'big@src.bench', Array.from({ length: LARGE_COUNT }, (_, i) => largeMessage(i + 1)));
    for (const n of HUGE) {
      // A generator: 200,000 messages are written one by one, never held.
      const messages = function* () {
        for (let i = 1; i <= n; i++) yield smallMessage(`h${n}`, i);
      };
      sizes[`h${n}`] = seedMaildir(server, `h${n}@src.bench`, messages());
    }
    for (const s of sources) await warmUp(server, s);
    const allSmall = MAILBOXES.reduce((sum, m) => sum + sizes[m], 0);
    console.log(
      `Workload: ${MAILBOXES.length} mailboxes x ${SMALL_PER_MAILBOX} small messages (${(allSmall / MAILBOXES.length / Math.max(1, SMALL_PER_MAILBOX) / 1024).toFixed(1)} KB average), ` +
        `1 mailbox of ${LARGE_COUNT} large (${(sizes.big / Math.max(1, LARGE_COUNT) / MB).toFixed(1)} MB average)${HUGE.map((n) => `, 1 mailbox of ${n.toLocaleString('en')} small`).join('')}; seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s. ` +
        `Median of ${REPEAT} run${REPEAT === 1 ? '' : 's'} per tool, each into fresh destination users.\n`,
    );

    const scenarios = [
      { name: '1 mailbox, small', sources: ['m1'], messages: SMALL_PER_MAILBOX, bytes: sizes.m1, ferry: 1, parallel: false, note: 'one source and one destination connection each' },
      { name: '4 mailboxes, one at a time', sources: MAILBOXES, messages: MAILBOXES.length * SMALL_PER_MAILBOX, bytes: allSmall, ferry: 1, parallel: false, note: 'mbsync: 4 channels in 1 process (sequential); Ferry: 1 process, maxConcurrentMigrations 1' },
      { name: '4 mailboxes, 4 at once', sources: MAILBOXES, messages: MAILBOXES.length * SMALL_PER_MAILBOX, bytes: allSmall, ferry: MAILBOXES.length, parallel: true, note: 'mbsync: 4 processes, 1 channel each; Ferry: 1 process, maxConcurrentMigrations 4' },
      { name: '1 mailbox, large', sources: ['big'], messages: LARGE_COUNT, bytes: sizes.big, ferry: 1, parallel: false, floors: FLOORS, note: 'one source and one destination connection each (the floors too)' },
      ...HUGE.map((n) => ({ name: `1 mailbox x ${n.toLocaleString('en')} small`, sources: [`h${n}`], messages: n, bytes: sizes[`h${n}`], ferry: 1, parallel: false, repeat: hugeRepeat(n), note: `one folder of ${n.toLocaleString('en')}: peak RSS must not grow with it` })),
    ].filter((s) => s.messages > 0 && !MORE_ONLY && !NOOP_ONLY && (!FLOOR_ROWS || s.floors));
    const rows = [];
    for (const s of scenarios) {
      const tools = s.floors ? ['mbsync', 'ferry', 'floor', 'floorNoHash'] : ['mbsync', 'ferry'];
      const runs = Object.fromEntries(tools.map((t) => [t, []]));
      for (let r = 0; r < (s.repeat ?? REPEAT); r++) {
        // Rotate which tool goes first, so none always meets a warmer (or busier) server.
        for (const tool of rotate(tools, r)) {
          const pairs = s.sources.map((m) => [`${m}@src.bench`, freshUser()]);
          const run =
            tool === 'mbsync'
              ? await runMbsync(server, work, pairs, s.parallel)
              : tool === 'ferry'
                ? await runFerry(server, work, pairs, s.ferry)
                : await runLargeFloor(timed, server, PASSWORD, pairs[0], { hash: tool === 'floor' });
          const checked = verify(server, pairs);
          if (typeof checked === 'string') throw new Error(`${tool}, ${s.name}: ${checked}`);
          if (checked !== s.messages) throw new Error(`${tool}, ${s.name}: ${checked} messages, expected ${s.messages}`);
          // Verified: free the memory (/dev/shm) before the next run.
          for (const [, dst] of pairs) fs.rmSync(server.mailDir(dst), { recursive: true, force: true });
          runs[tool].push(run);
          if (VERBOSE) console.log(`  ${s.name}, ${tool}: ${(run.ms / 1000).toFixed(2)} s, peak ${run.peakMb.toFixed(0)} MB`);
        }
      }
      const pick = (list) => list.find((x) => x.ms === median(list.map((y) => y.ms)));
      const rate = (run) => ({ processes: 1, sumPeakMb: run.peakMb, ...run, msgs: s.messages / (run.ms / 1000), mbps: s.bytes / MB / (run.ms / 1000) });
      rows.push({ scenario: s, ...Object.fromEntries(tools.map((t) => [t, rate(pick(runs[t]))])) });
    }
    if (rows.length) printTable(rows);
    if (sizes.m1 > 0) await moreRows(server, work);
  } finally {
    await server.stop();
    if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`\nwork folder kept: ${work}`);
  }
}

/**
 * The rows beyond a first copy, each tool in the same run: a no-op delta (Ferry) against mbsync's
 * resync with its state; a pass after the state folder is lost (Ferry must find every message at
 * the destination, not copy it again; no peer can do it, so against Ferry's own first copy);
 * Maildir to Maildir against `cp -a`, and against `cp -a` then `sync` of what it copied (a peer as
 * durable as Ferry, which syncs each message before recording it copied); start-up (`ferry validate` and `ferry status` of the demo plan)
 * against `node -e 0`. The no-op delta and Maildir rows also run their floors (scripts/bench-floor/)
 * in the same rounds; `--floor-rows` leaves out the lost-state and start-up rows.
 */
async function moreRows(server, work) {
  const lines = [['Workload', 'Ferry', 'Peer', 'Ferry/peer wall', 'Peak RSS Ferry / peer', 'Floor', 'Ferry/floor', 'Floor/peer']];
  const floorCells = (fl, f, p) => (fl ? [`${(fl.ms / 1000).toFixed(3)} s, ${fl.peakMb.toFixed(0)} MB`, (f.ms / fl.ms).toFixed(2), (fl.ms / p.ms).toFixed(2)] : ['', '', '']);
  const row = (name, f, p, peer, fl) => lines.push([name, `${(f.ms / 1000).toFixed(2)} s`, `${peer} ${(p.ms / 1000).toFixed(2)} s`, (f.ms / p.ms).toFixed(2), `${f.peakMb.toFixed(0)} / ${p.peakMb.toFixed(0)} MB`, ...floorCells(fl, f, p)]);
  /** A floor's variant: its own line, its ratios against the row above's Ferry and peer. */
  const variant = (name, f, p, fl) => lines.push([name, '', '', '', '', ...floorCells(fl, f, p)]);
  const medianRun = (list) => list.find((x) => x.ms === median(list.map((y) => y.ms)));
  const src = 'm1@src.bench';
  const noop = { ferry: [], mbsync: [], floor: [] };
  const lost = { ferry: [], first: [] };
  for (let r = 0; r < REPEAT; r++) {
    const m = await runMbsync(server, work, [[src, freshUser()]], false);
    noop.mbsync.push(await runMbsync(server, work, null, false, m));
    const dst = freshUser();
    const f = await runFerry(server, work, [[src, dst]], 1);
    // The floor's state: what the servers answer after Ferry's copy (recorded untimed).
    const state = path.join(f.dir, 'floor-noop.db');
    if (FLOORS) await runNoopFloor(timed, server, PASSWORD, src, dst, state, { record: true });
    for (const tool of rotate(FLOORS ? ['ferry', 'floor'] : ['ferry'], r)) {
      if (tool === 'floor') {
        noop.floor.push(await runNoopFloor(timed, server, PASSWORD, src, dst, state));
        continue;
      }
      const d = await runFerry(server, work, null, 1, { dir: f.dir, pass: 'delta' });
      if (d.copied !== 0) throw new Error(`ferry delta copied ${d.copied}, expected 0`);
      noop.ferry.push(d);
    }
    if (NOOP_ONLY) {
      fs.rmSync(server.mailDir(dst), { recursive: true, force: true });
      continue;
    }
    if (!FLOOR_ROWS) {
      fs.rmSync(path.join(f.dir, '.ferry'), { recursive: true });
      const again = await runFerry(server, work, null, 1, { dir: f.dir, pass: 'full' });
      const checked = verify(server, [[src, dst]]);
      if (checked !== SMALL_PER_MAILBOX) throw new Error(`ferry after a lost state: ${checked}`);
      lost.ferry.push(again);
      lost.first.push(f);
    }
    fs.rmSync(server.mailDir(dst), { recursive: true, force: true });
  }
  row('no-op delta, 1 mailbox', medianRun(noop.ferry), medianRun(noop.mbsync), 'mbsync resync', FLOORS && medianRun(noop.floor));
  if (NOOP_ONLY) return printRows(lines, 'Medians of ' + REPEAT + '.');
  if (!FLOOR_ROWS) row('state folder lost, 1 mailbox (found, not copied)', medianRun(lost.ferry), medianRun(lost.first), 'its first copy');

  const maildir = { ferry: [], cp: [], cpSync: [], floor: [], floorNoRename: [], floorDurable: [] };
  const sourceRoot = path.dirname(server.mailDir(src));
  const sourceHashes = contentHashes(server.mailDir(src));
  // The run folders are removed after the last run, not between runs (and the tools take turns
  // going first): on ext4 without a journal, a file created within ~30 s of many deletions in the
  // same block group costs several times more (the inode allocator steps over recently freed
  // inodes, recently_deleted()), so removing 4,000 files before each run slowed whichever tool
  // ran next and made the row swing.
  const outs = [];
  for (let r = 0; r < REPEAT; r++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-maildir-'));
    outs.push(out);
    fs.writeFileSync(path.join(out, 'm.migration.yaml'), `version: 1\nproject: { name: Maildir bench }\nendpoints:\n  src: { type: maildir, path: ${sourceRoot} }\n  dst: { type: maildir, path: ./dst }\nsource: src\ndestination: dst\nbatches:\n  - name: B\n    items:\n      - { source: ${src}, destination: copy@dst.bench }\n`);
    const count = (d) => ['cur', 'new'].reduce((n, sub) => n + (fs.existsSync(path.join(d, sub)) ? fs.readdirSync(path.join(d, sub)).length : 0), 0);
    for (const tool of rotate(FLOORS ? ['ferry', 'cp', 'cpSync', 'floor', 'floorNoRename', 'floorDurable'] : ['ferry', 'cp', 'cpSync'], r)) {
      if (tool === 'ferry') {
        const f = await timed(ferryBin, ['run', 'm.migration.yaml', '--pass', 'full', '--json'], { cwd: out, env: asProgram() });
        if (f.code !== 0) throw new Error(`ferry maildir exited ${f.code}: ${f.err}`);
        if (count(path.join(out, 'dst', 'copy@dst.bench')) !== count(server.mailDir(src))) throw new Error('ferry maildir: not every message copied');
        maildir.ferry.push(f);
      } else if (tool === 'cp') {
        const c = await timed('cp', ['-a', server.mailDir(src), path.join(out, 'cp')], {});
        if (c.code !== 0) throw new Error(`cp exited ${c.code}`);
        maildir.cp.push(c);
      } else if (tool === 'cpSync') {
        // One command: the copy, each copied file's data synced (coreutils `sync -d FILE...`, one
        // fdatasync per file, one after the other), then its directories and the mailbox's entry.
        const to = path.join(out, 'cpSync');
        const c = await timed('sh', ['-c', 'cp -a "$1" "$2" && find "$2" -type f -exec sync -d -- {} + && find "$2" -type d -exec sync -- {} + && sync -- "$3"', 'sh', server.mailDir(src), to, out], {});
        if (c.code !== 0) throw new Error(`cp + sync exited ${c.code}: ${c.err}`);
        maildir.cpSync.push(c);
      } else {
        const to = path.join(out, tool);
        maildir[tool].push(await runMaildirFloor(timed, server.mailDir(src), to, path.join(out, `${tool}.db`), { rename: tool !== 'floorNoRename', durable: tool === 'floorDurable' }));
        const copied = contentHashes(to);
        if (copied.length !== sourceHashes.length || copied.some((h, i) => h !== sourceHashes[i])) throw new Error(`${tool}: the copy is not the source`);
      }
    }
  }
  for (const out of outs) fs.rmSync(out, { recursive: true, force: true });
  const [mf, mc] = [medianRun(maildir.ferry), medianRun(maildir.cp)];
  row('Maildir to Maildir, 1 mailbox', mf, mc, 'cp -a', FLOORS && medianRun(maildir.floor));
  if (FLOORS) variant('  floor without the tmp/ -> cur/ rename', mf, mc, medianRun(maildir.floorNoRename));
  const mcs = medianRun(maildir.cpSync);
  row('Maildir to Maildir, durable peer', mf, mcs, 'cp -a + sync', FLOORS && medianRun(maildir.floorDurable));
  if (FLOOR_ROWS) return printRows(lines, `Medians of ${REPEAT}. ${FLOOR_NOTE}`);

  const demo = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-demo-'));
  fs.cpSync(path.join(root, 'examples', 'demo'), demo, { recursive: true });
  const startup = { validate: [], status: [], node: [] };
  for (let r = 0; r < Math.max(5, REPEAT); r++) {
    startup.validate.push(await timed(ferryBin, ['validate', 'demo.migration.yaml'], { cwd: demo, env: asProgram() }));
    startup.status.push(await timed(ferryBin, ['status', 'demo.migration.yaml'], { cwd: demo, env: asProgram() }));
    startup.node.push(await timed(process.execPath, ['-e', '0'], {}));
  }
  row('start-up: ferry validate (demo plan)', medianRun(startup.validate), medianRun(startup.node), 'node -e 0');
  row('start-up: ferry status (demo plan)', medianRun(startup.status), medianRun(startup.node), 'node -e 0');
  fs.rmSync(demo, { recursive: true, force: true });

  printRows(lines, `Medians of ${REPEAT} (start-up: ${Math.max(5, REPEAT)}). The lost-state run is checked: the destination holds each message once.${FLOORS ? ` ${FLOOR_NOTE}` : ''}`);
}

/** What the second table's floors are (scripts/bench-floor/). */
const FLOOR_NOTE =
  'Floors: bare Node 22 programs doing only the work Ferry must, no Ferry code. No-op delta (noop.mjs): a SQLite state read, ' +
  'both logins at once, one LIST-STATUS each, compared. Maildir (maildir.mjs, synchronous fs): read, SHA-256 + bare LFs, ' +
  'write to tmp/ with the mtime kept, rename into cur/, one SQLite row per message in one transaction; checked exact. ' +
  'Its durable variant (on the durable peer row) as Ferry: each batch of 100 fdatasynced on the pool before the renames, cur/ fsynced after.';

/** The second table, its first line the header. */
function printRows(lines, note) {
  console.log('');
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  for (const [i, l] of lines.entries()) {
    console.log(l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(note);
}

function printTable(rows) {
  const memory = (r) => (r.processes > 1 ? `${r.peakMb.toFixed(0)} MB x${r.processes} = ${r.sumPeakMb.toFixed(0)} MB` : `${r.peakMb.toFixed(0)} MB`);
  const lines = [['Workload', 'Tool', 'Wall', 'msg/s', 'MB/s', 'Peak RSS', 'Ferry/mbsync']];
  const floorNotes = [];
  for (const { scenario, mbsync, ferry, floor, floorNoHash } of rows) {
    const tools = [['mbsync', mbsync], ['ferry', ferry], ['floor', floor], ['floor, no hash', floorNoHash]].filter(([, r]) => r);
    for (const [tool, r] of tools) {
      // A floor's line gives floor / mbsync in the ratio column (msg/s, as Ferry's).
      const ratio = tool === 'mbsync' ? '' : `${tool === 'ferry' ? '' : '(floor) '}${(r.msgs / mbsync.msgs).toFixed(2)}`;
      lines.push([scenario.name, tool, `${(r.ms / 1000).toFixed(2)} s`, r.msgs.toFixed(0), r.mbps.toFixed(1), memory(r), ratio]);
    }
    if (floor) {
      floorNotes.push(
        `  ${scenario.name}: Ferry / floor ${(ferry.msgs / floor.msgs).toFixed(2)}, floor / mbsync ${(floor.msgs / mbsync.msgs).toFixed(2)}` +
          `, floor without the hash / mbsync ${(floorNoHash.msgs / mbsync.msgs).toFixed(2)} (msg/s); the probe's hash costs the floor ${(floor.ms - floorNoHash.ms).toFixed(0)} ms of wall`,
      );
    }
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const right = new Set([2, 3, 4, 5, 6]);
  for (const [i, l] of lines.entries()) {
    console.log(l.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log('\nConcurrency:');
  for (const { scenario } of rows) console.log(`  ${scenario.name}: ${scenario.note}`);
  console.log('Wall time is spawn to exit (start-up, logins, listing, copy, logout); peak RSS is VmHWM of each process.');
  console.log('Every destination was checked afterwards: same messages as the source (content hashes), none missing or twice.');
  if (floorNotes.length) {
    console.log('Floors (scripts/bench-floor/large.mjs: a bare Node client, only the work Ferry must do: list, fetch, SHA-256 + bare LFs per body, APPEND):');
    for (const note of floorNotes) console.log(note);
  }
  const small = rows.filter((r) => !/large/.test(r.scenario.name)).map((r) => r.ferry.msgs / r.mbsync.msgs);
  if (small.length) {
    const worst = Math.min(...small);
    console.log(`\nSmall messages, Ferry / mbsync (msg/s): worst ${worst.toFixed(2)}, acceptance >= 0.5: ${worst >= 0.5 ? 'met' : 'NOT met'}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
