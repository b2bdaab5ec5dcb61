// `ferry init [dir]`: a commented sample project, and .ferry/ (run state) kept out of git.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleProject } from '../../plan/sampleProject';
import type { CliIo } from '../io';
import { ExitCode } from '../usage';

export function initCommand(dir: string | undefined, force: boolean, io: CliIo): number {
  const target = path.resolve(io.cwd, dir ?? '.');
  fs.mkdirSync(target, { recursive: true });
  const files = sampleProject();
  const existing = files.filter((f) => fs.existsSync(path.join(target, f.path)));
  if (existing.length && !force) {
    io.err(`ferry: ${existing.map((f) => f.path).join(', ')} already exist in ${target}; use --force to overwrite.`);
    return ExitCode.failed;
  }
  for (const f of files) {
    fs.writeFileSync(path.join(target, f.path), f.content);
    io.out(`wrote ${path.join(target, f.path)}`);
  }
  ensureGitignored(target, '.ferry/', io);
  return ExitCode.ok;
}

function ensureGitignored(dir: string, entry: string, io: CliIo): void {
  const file = path.join(dir, '.gitignore');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current.split(/\r?\n/).some((l) => l.trim() === entry || l.trim() === entry.replace(/\/$/, ''))) return;
  fs.writeFileSync(file, `${current}${current && !current.endsWith('\n') ? '\n' : ''}# Ferry's run state (SQLite store, locks)\n${entry}\n`);
  io.out(`added ${entry} to ${file}`);
}
