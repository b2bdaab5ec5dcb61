// A Maildir source with one mailbox of many messages, outside the workspace (its files would
// flood the workspace's file watcher), and a plan in a fresh workspace folder that copies it into
// a destination of its own. The source is only read, so a describe's tests may share it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { writePlan } from './fixtures';

export const bigMailbox = 'big@contoso.example';

/** Writes `messages` small messages into a new Maildir source; returns its folder. */
export function bigMaildirSource(messages: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-vscode-big-'));
  const box = path.join(root, bigMailbox);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(box, sub), { recursive: true });
  for (let i = 0; i < messages; i++) {
    fs.writeFileSync(path.join(box, 'cur', `${1700000000 + i}.M${i}P1.big:2,S`), `Message-ID: <big-${i}@contoso.example>\nSubject: Message ${i}\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n\nBody ${i}\n`);
  }
  return root;
}

/** A plan copying the big mailbox (and a small one beside it) into a destination of its own. */
export async function writeBigPlan(label: string, source: string): Promise<{ plan: vscode.Uri; destination: string }> {
  const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-vscode-dest-'));
  const small = path.join(source, 'small@contoso.example');
  if (!fs.existsSync(small)) {
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(small, sub), { recursive: true });
    fs.writeFileSync(path.join(small, 'cur', '1700000000.M0P1.small:2,S'), 'Message-ID: <small-0@contoso.example>\nSubject: Small\n\nBody\n');
  }
  const text = `version: 1
project: { name: Big mailbox }
endpoints:
  archive: { type: maildir, path: ${JSON.stringify(source)} }
  target: { type: maildir, path: ${JSON.stringify(destination)}, layout: fs }
source: archive
destination: target
batches:
  - name: Big
    items:
      - { source: small@contoso.example, destination: small@fabrikam.example }
      - { source: ${bigMailbox}, destination: big@fabrikam.example }
`;
  return { plan: await writePlan(label, `${label}.migration.yaml`, text), destination };
}
