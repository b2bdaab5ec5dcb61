#!/usr/bin/env node
// `npm run demo`: the README's main job. Copies examples/demo (plan, CSV, sample Maildirs) into a
// fresh temporary folder, so the work tree never changes and every run starts clean, then runs
// `ferry run --pass full` and a `--pass delta` (which moves nothing) and prints their summaries.
//   node scripts/demo.mjs [--keep]   (--keep leaves the temporary folder for a look around)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-demo-'));
fs.cpSync(path.join(root, 'examples', 'demo'), work, { recursive: true, filter: (src) => !/[\\/](\.ferry|destination)$/.test(src) });

// git keeps no mtimes, and a Maildir item's date is its file's mtime: restore it from the name,
// which starts with the delivery time in seconds (Maildir convention).
const restore = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) restore(p);
    else if (/^\d{9,}\./.test(e.name)) {
      const t = new Date(Number(e.name.split('.')[0]) * 1000);
      fs.utimesSync(p, t, t);
    }
  }
};
restore(path.join(work, 'source'));

const plan = path.join(work, 'demo.migration.yaml');
const ferry = (...args) => {
  console.log(`\n$ ferry ${args.join(' ')}`);
  return spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), ...args], { stdio: 'inherit', cwd: work }).status;
};
let status = ferry('run', 'demo.migration.yaml', '--pass', 'full');
if (status === 0) status = ferry('run', 'demo.migration.yaml', '--pass', 'delta');
if (status === 0) ferry('status', 'demo.migration.yaml');
if (keep) console.log(`\nThe demo project, its destination Maildirs and .ferry/ state are in ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
console.log(`\nDemo ${status === 0 ? 'finished' : `failed (exit ${status})`}: ${plan.replace(work, '<temp>')} migrated from source/ to destination/ in a temporary copy.`);
process.exit(status ?? 1);
