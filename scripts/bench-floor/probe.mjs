// What Ferry must know of a message before writing it (src/connectors/fingerprint.ts and
// streamingProbe.ts: it records this probe in an intent, so a rerun after a crash never writes it
// twice): the SHA-256 of the exact bytes and the count of bare LFs (LF not after CR), computed
// piece by piece as the bytes come. The fastest exact bare-LF scan found (DEVELOPERS.md, round 7) is
// Buffer#indexOf per LF.
import { createHash } from 'node:crypto';

const CR = 0x0d;
const LF = 0x0a;

export class Probe {
  #hash = createHash('sha256');
  #bare = 0;
  #size = 0;
  /** The byte before the next piece (a CR there makes a LF at the piece's start no bare LF). */
  #last = -1;

  /** The next bytes of the message (a Buffer). */
  update(piece) {
    this.#hash.update(piece);
    for (let i = piece.indexOf(LF); i !== -1; i = piece.indexOf(LF, i + 1)) if ((i === 0 ? this.#last : piece[i - 1]) !== CR) this.#bare++;
    this.#last = piece[piece.length - 1];
    this.#size += piece.length;
  }

  finish() {
    return { sha256: this.#hash.digest('hex'), bareLf: this.#bare, size: this.#size };
  }
}

/** The probe of a whole message at once. */
export function probeOf(data) {
  const probe = new Probe();
  if (data.length) probe.update(data);
  return probe.finish();
}
