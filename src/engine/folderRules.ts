// Which source folders a pass copies and where they land: include/exclude and renames by regular
// expression on the `/`-joined path, then well-known roles (Sent -> the destination's Sent Items).
import type { FolderInfo, FolderRole } from '../connectors/types';
import type { PlanOptions } from '../plan/model';

export interface FolderDecision {
  copy: boolean;
  /** Why not, as a catalog code: ENG-024 excluded by a folder rule, ENG-022/023 item types. */
  skipCode?: string;
  /** For ENG-024: the rule that leaves the folder out, as the plan writes it. */
  rule?: string;
  destinationPath: string[];
  role?: FolderRole;
}

export class FolderRules {
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];
  private readonly map: { from: RegExp; to: string }[];

  constructor(
    private readonly options: PlanOptions,
    private readonly itemTypes: readonly string[] = options.itemTypes,
    /** What the destination can hold (undefined: everything). */
    private readonly destinationTypes?: readonly string[],
  ) {
    // The plan validator already rejected invalid expressions; a bad one here would throw early.
    this.include = options.folders.include.map((p) => new RegExp(p, 'u'));
    this.exclude = options.folders.exclude.map((p) => new RegExp(p, 'u'));
    this.map = options.folders.map.map((m) => ({ from: new RegExp(m.from, 'u'), to: m.to }));
  }

  /**
   * What to do with a source folder, given the destination's folders (for roles): a folder with a
   * role that no rename touched lands in the destination folder of the same role when there is one.
   */
  decide(folder: FolderInfo, destinationFolders: readonly FolderInfo[]): FolderDecision {
    const joined = folder.path.join('/');
    const base = { destinationPath: folder.path, role: folder.role };
    if (this.include.length && !this.include.some((r) => r.test(joined))) {
      return { ...base, copy: false, skipCode: 'ENG-024', rule: `matches none of options.folders.include (${this.options.folders.include.join(', ')})` };
    }
    const excludedBy = this.exclude.findIndex((r) => r.test(joined));
    if (excludedBy >= 0) return { ...base, copy: false, skipCode: 'ENG-024', rule: `options.folders.exclude ${this.options.folders.exclude[excludedBy]}` };
    if (!this.itemTypes.includes(folder.itemType)) return { ...base, copy: false, skipCode: 'ENG-022' };
    if (this.destinationTypes && !this.destinationTypes.includes(folder.itemType)) return { ...base, copy: false, skipCode: 'ENG-023' };
    for (const m of this.map) {
      if (m.from.test(joined)) {
        const mapped = joined.replace(m.from, m.to).split('/').filter((s) => s.length > 0);
        return { copy: true, destinationPath: mapped.length ? mapped : folder.path, role: undefined };
      }
    }
    if (folder.role) {
      const same = destinationFolders.find((f) => f.role === folder.role);
      if (same) return { copy: true, destinationPath: same.path, role: folder.role };
    }
    return { copy: true, ...base };
  }
}
