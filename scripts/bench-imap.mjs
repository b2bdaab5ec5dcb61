#!/usr/bin/env node
// `npm run bench:imap`: IMAP -> IMAP copy speed of Ferry against mbsync (Debian `isync`), on one
// throwaway Dovecot (test/servers/dovecot.ts, mail in /dev/shm). Both tools read the same seeded
// source users and write into fresh, empty destination users of the same server; each run is timed
// from spawn to exit (start-up, login, listing and the final logout included), its peak memory is
// the child's VmHWM polled from /proc, and afterwards every destination must hold exactly the
// source's messages (content hashes with line endings normalised, so nothing lost or duplicated).
//   node scripts/bench-imap.mjs [--small N] [--large N] [--huge N[,N]] [--repeat N] [--ferry PATH/bin/ferry.js] [--verbose] [--keep] [--more-only] [--noop-only]
// (defaults: 2,000 small messages per mailbox, 50 large, one mailbox of 20,000, 3 runs per tool;
// prints, asserts nothing). `--huge 20000,200000` adds a mailbox of 200,000 (seeded in about a
// minute, one run per tool: several minutes); `--huge 0` leaves the huge rows out. `--more-only`:
// only the second table; `--noop-only`: only its no-op delta row.
// A second table: a no-op delta against mbsync's resync, a pass after the state folder is lost
// (found at the destination, not copied: against Ferry's first copy), Maildir to Maildir against
// `cp -a`, and start-up (`ferry validate`/`ferry status` of the demo plan) against `node -e 0`.
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
const { smallMessage, largeMessage, seedMaildir, warmUp, verify, PASSWORD } = await import('./bench-imap-workload.mjs');

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

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-imap-'));
  const sources = [...MAILBOXES.map((m) => `${m}@src.bench`), 'big@src.bench', ...HUGE.map((n) => `h${n}@src.bench`)];
  const hugeRuns = HUGE.reduce((sum, n) => sum + 2 * hugeRepeat(n), 0);
  userPool = Array.from({ length: 2 * REPEAT * (1 + 2 * MAILBOXES.length + 1) + 3 * REPEAT + hugeRuns }, (_, i) => `d${i + 1}@dst.bench`);
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
      `Workload: ${MAILBOXES.length} mailboxes x ${SMALL_PER_MAILBOX} small messages (${(allSmall / MAILBOXES.length / SMALL_PER_MAILBOX / 1024).toFixed(1)} KB average), ` +
        `1 mailbox of ${LARGE_COUNT} large (${(sizes.big / Math.max(1, LARGE_COUNT) / MB).toFixed(1)} MB average)${HUGE.map((n) => `, 1 mailbox of ${n.toLocaleString('en')} small`).join('')}; seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s. ` +
        `Median of ${REPEAT} run${REPEAT === 1 ? '' : 's'} per tool, each into fresh destination users.\n`,
    );

    const scenarios = [
      { name: '1 mailbox, small', sources: ['m1'], messages: SMALL_PER_MAILBOX, bytes: sizes.m1, ferry: 1, parallel: false, note: 'one source and one destination connection each' },
      { name: '4 mailboxes, one at a time', sources: MAILBOXES, messages: MAILBOXES.length * SMALL_PER_MAILBOX, bytes: allSmall, ferry: 1, parallel: false, note: 'mbsync: 4 channels in 1 process (sequential); Ferry: 1 process, maxConcurrentMigrations 1' },
      { name: '4 mailboxes, 4 at once', sources: MAILBOXES, messages: MAILBOXES.length * SMALL_PER_MAILBOX, bytes: allSmall, ferry: MAILBOXES.length, parallel: true, note: 'mbsync: 4 processes, 1 channel each; Ferry: 1 process, maxConcurrentMigrations 4' },
      { name: '1 mailbox, large', sources: ['big'], messages: LARGE_COUNT, bytes: sizes.big, ferry: 1, parallel: false, note: 'one source and one destination connection each' },
      ...HUGE.map((n) => ({ name: `1 mailbox x ${n.toLocaleString('en')} small`, sources: [`h${n}`], messages: n, bytes: sizes[`h${n}`], ferry: 1, parallel: false, repeat: hugeRepeat(n), note: `one folder of ${n.toLocaleString('en')}: peak RSS must not grow with it` })),
    ].filter((s) => s.messages > 0 && !MORE_ONLY && !NOOP_ONLY);
    const rows = [];
    for (const s of scenarios) {
      const runs = { mbsync: [], ferry: [] };
      for (let r = 0; r < (s.repeat ?? REPEAT); r++) {
        // Alternate which tool goes first, so neither always meets a warmer (or busier) server.
        for (const tool of r % 2 === 0 ? ['mbsync', 'ferry'] : ['ferry', 'mbsync']) {
          const pairs = s.sources.map((m) => [`${m}@src.bench`, freshUser()]);
          const run = tool === 'mbsync' ? await runMbsync(server, work, pairs, s.parallel) : await runFerry(server, work, pairs, s.ferry);
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
      const [m, f] = [pick(runs.mbsync), pick(runs.ferry)];
      const rate = (run) => ({ msgs: s.messages / (run.ms / 1000), mbps: s.bytes / MB / (run.ms / 1000) });
      rows.push({ scenario: s, mbsync: { ...m, ...rate(m) }, ferry: { ...f, ...rate(f) } });
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
 * Maildir to Maildir against `cp -a`; start-up (`ferry validate` and `ferry status` of the demo plan)
 * against `node -e 0`.
 */
async function moreRows(server, work) {
  const lines = [['Workload', 'Ferry', 'Peer', 'Ferry/peer wall', 'Peak RSS Ferry / peer']];
  const row = (name, f, p, peer) => lines.push([name, `${(f.ms / 1000).toFixed(2)} s`, `${peer} ${(p.ms / 1000).toFixed(2)} s`, (f.ms / p.ms).toFixed(2), `${f.peakMb.toFixed(0)} / ${p.peakMb.toFixed(0)} MB`]);
  const medianRun = (list) => list.find((x) => x.ms === median(list.map((y) => y.ms)));
  const src = 'm1@src.bench';
  const noop = { ferry: [], mbsync: [] };
  const lost = { ferry: [], first: [] };
  for (let r = 0; r < REPEAT; r++) {
    const m = await runMbsync(server, work, [[src, freshUser()]], false);
    noop.mbsync.push(await runMbsync(server, work, null, false, m));
    const dst = freshUser();
    const f = await runFerry(server, work, [[src, dst]], 1);
    const d = await runFerry(server, work, null, 1, { dir: f.dir, pass: 'delta' });
    if (d.copied !== 0) throw new Error(`ferry delta copied ${d.copied}, expected 0`);
    noop.ferry.push(d);
    if (NOOP_ONLY) {
      fs.rmSync(server.mailDir(dst), { recursive: true, force: true });
      continue;
    }
    fs.rmSync(path.join(f.dir, '.ferry'), { recursive: true });
    const again = await runFerry(server, work, null, 1, { dir: f.dir, pass: 'full' });
    const checked = verify(server, [[src, dst]]);
    if (checked !== SMALL_PER_MAILBOX) throw new Error(`ferry after a lost state: ${checked}`);
    lost.ferry.push(again);
    lost.first.push(f);
    fs.rmSync(server.mailDir(dst), { recursive: true, force: true });
  }
  row('no-op delta, 1 mailbox', medianRun(noop.ferry), medianRun(noop.mbsync), 'mbsync resync');
  if (NOOP_ONLY) return printRows(lines, 'Medians of ' + REPEAT + '.');
  row('state folder lost, 1 mailbox (found, not copied)', medianRun(lost.ferry), medianRun(lost.first), 'its first copy');

  const maildir = { ferry: [], cp: [] };
  const sourceRoot = path.dirname(server.mailDir(src));
  // The run folders are removed after the last run, not between runs, and the tools take turns
  // going first: on ext4 without a journal, a file created within ~30 s of many deletions in the
  // same block group costs several times more (the inode allocator steps over recently freed
  // inodes, recently_deleted()), so removing 4,000 files before each run slowed whichever tool
  // ran next (Ferry, always) and made the row swing.
  const outs = [];
  for (let r = 0; r < REPEAT; r++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-maildir-'));
    outs.push(out);
    fs.writeFileSync(path.join(out, 'm.migration.yaml'), `version: 1\nproject: { name: Maildir bench }\nendpoints:\n  src: { type: maildir, path: ${sourceRoot} }\n  dst: { type: maildir, path: ./dst }\nsource: src\ndestination: dst\nbatches:\n  - name: B\n    items:\n      - { source: ${src}, destination: copy@dst.bench }\n`);
    const ferry = async () => {
      const f = await timed(ferryBin, ['run', 'm.migration.yaml', '--pass', 'full', '--json'], { cwd: out, env: asProgram() });
      if (f.code !== 0) throw new Error(`ferry maildir exited ${f.code}: ${f.err}`);
      maildir.ferry.push(f);
    };
    const cp = async () => {
      const c = await timed('cp', ['-a', server.mailDir(src), path.join(out, 'cp')], {});
      if (c.code !== 0) throw new Error(`cp exited ${c.code}`);
      maildir.cp.push(c);
    };
    for (const tool of r % 2 === 0 ? [ferry, cp] : [cp, ferry]) await tool();
    const count = (d) => ['cur', 'new'].reduce((n, sub) => n + (fs.existsSync(path.join(d, sub)) ? fs.readdirSync(path.join(d, sub)).length : 0), 0);
    if (count(path.join(out, 'dst', 'copy@dst.bench')) !== count(server.mailDir(src))) throw new Error('ferry maildir: not every message copied');
  }
  for (const out of outs) fs.rmSync(out, { recursive: true, force: true });
  row('Maildir to Maildir, 1 mailbox', medianRun(maildir.ferry), medianRun(maildir.cp), 'cp -a');

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

  printRows(lines, `Medians of ${REPEAT} (start-up: ${Math.max(5, REPEAT)}). The lost-state run is checked: the destination holds each message once.`);
}

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
  for (const { scenario, mbsync, ferry } of rows) {
    for (const [tool, r] of [['mbsync', mbsync], ['ferry', ferry]]) {
      const ratio = tool === 'ferry' ? (ferry.msgs / mbsync.msgs).toFixed(2) : '';
      lines.push([scenario.name, tool, `${(r.ms / 1000).toFixed(2)} s`, r.msgs.toFixed(0), r.mbps.toFixed(1), memory(r), ratio]);
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
