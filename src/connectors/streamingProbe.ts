// The hashes of a probe (fingerprint.ts) computed while a message's bytes arrive, chunk by chunk,
// each chunk hashed while it is still in the CPU's cache: the IMAP source's lean reader fills a
// large body this way, so the probe costs no second pass over the message, no copy into shared
// memory and no hash thread. The result is exactly probeHashes(data): SHA-256 of the bytes, the
// size with bare LFs counted as CRLF, and the CRLF fingerprint (the same hash when there is no bare
// LF, which is what an IMAP server sends; otherwise computed from the whole message at the end).
import type { Hash } from 'node:crypto';
import { countBareLineFeeds } from './bareLineFeeds';
import { contentFingerprint, nodeCrypto, rememberHashes, type ProbeHashes } from './fingerprint';

/** The probe hashes of one message whose bytes come in order, in pieces of any size. */
export class StreamingProbe {
  private readonly hash: Hash = nodeCrypto().createHash('sha256');
  private bare = 0;
  /** Whether a NUL byte was among the pieces (holdsNul). */
  private nul = false;
  private length = 0;
  /** The byte before the next piece (a CR there makes a LF at the piece's start no bare LF). */
  private last = -1;

  /** The next bytes of the message. */
  update(piece: Uint8Array): void {
    if (piece.length === 0) return;
    const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    this.hash.update(bytes);
    this.bare += countBareLineFeeds(bytes, this.last);
    // Buffer's includes (memchr), while the piece is in the cache.
    this.nul ||= bytes.includes(0);
    this.last = bytes[bytes.length - 1];
    this.length += bytes.length;
  }

  /** Ends the message: `data` holds exactly the bytes given to update, and is remembered with its hashes. */
  finish(data: Buffer): ProbeHashes {
    if (data.length !== this.length) throw new Error(`StreamingProbe: ${this.length} bytes hashed, the message has ${data.length}`);
    const exact = this.hash.digest('hex');
    const hashes: ProbeHashes = { sizeBytes: this.length + this.bare, exactHash: exact, fingerprint: this.bare === 0 ? exact : contentFingerprint(data) };
    rememberHashes(data, hashes, this.nul);
    return hashes;
  }
}
