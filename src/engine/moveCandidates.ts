// The copied items a delta looks for among new items by content (deltaChanges' moves): items gone
// from their folder, found in any folder; and the copies of a folder the source renumbered (IMAP: a
// new UIDVALIDITY, every id changed) under its old ids, found only in another folder (in its own
// folder the copy finds them again, folderCopy's probe). One candidate is taken once.
import type { Gone } from './deltaScan';

/** A size's mark for gone items: they may be found in any folder. */
const ANYWHERE = '';

export class ContentCandidates {
  private readonly byFingerprint = new Map<string, Gone[]>();
  /** Per size, the source folders whose renumbered copies have it (ANYWHERE: a gone item has it). */
  private readonly sizes = new Map<number, Set<string>>();
  private readonly elsewhereOnly = new Set<Gone>();
  private readonly taken = new Set<Gone>();

  /** `elsewhere`: a renumbered folder's copy, to be found in another folder only. */
  add(g: Gone, elsewhere = false): void {
    this.byFingerprint.set(g.copied.fingerprint, [...(this.byFingerprint.get(g.copied.fingerprint) ?? []), g]);
    const size = g.copied.sizeBytes;
    if (!this.sizes.has(size)) this.sizes.set(size, new Set());
    this.sizes.get(size)!.add(elsewhere ? g.work.folder.id : ANYWHERE);
    if (elsewhere) this.elsewhereOnly.add(g);
  }

  /** Whether a new item of `size` in folder `folderId` may be one of them (worth reading its content). */
  mayBe(folderId: string, size: number): boolean {
    const folders = this.sizes.get(size);
    return !!folders && (folders.has(ANYWHERE) || folders.size > (folders.has(folderId) ? 1 : 0));
  }

  /** The first candidate with `fingerprint` not taken yet that a new item of folder `folderId` may be. */
  find(folderId: string, fingerprint: string): Gone | undefined {
    return this.byFingerprint.get(fingerprint)?.find((g) => !this.taken.has(g) && !(this.elsewhereOnly.has(g) && g.work.folder.id === folderId));
  }

  take(g: Gone): void {
    this.taken.add(g);
  }

  isTaken(g: Gone): boolean {
    return this.taken.has(g);
  }
}
