// `ferry fidelity <source.eml> <destination.eml> [--json]`: what a copied message kept, field by
// field (headers, addresses, dates, bodies, attachments by name/size/hash, inline images, an S/MIME
// signature), from the source's MIME and the destination's export of its copy. Exit 0 when
// everything was kept, 3 when something was not, 1 when a file cannot be read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareMessages, formatFidelity } from '../../connectors/mailFidelity';
import type { CliIo } from '../io';
import { ExitCode, UsageError } from '../usage';

export async function fidelityCommand(files: string[], json: boolean, io: CliIo): Promise<number> {
  if (files.length !== 2) throw new UsageError('fidelity takes the source message and the destination copy (.eml files)');
  let raws: Buffer[];
  try {
    raws = files.map((f) => fs.readFileSync(path.resolve(io.cwd, f)));
  } catch (err) {
    io.err(`ferry: cannot read a message: ${(err as Error).message}`);
    return ExitCode.failed;
  }
  const rows = await compareMessages({ raw: raws[0] }, { raw: raws[1] });
  io.out(json ? JSON.stringify(rows, null, 2) : formatFidelity(rows));
  return rows.every((r) => r.kept) ? ExitCode.ok : ExitCode.completedWithErrors;
}
