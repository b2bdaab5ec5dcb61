// Types of the error catalog. Plain data: no imports, so every layer (plan, engine, runner,
// command line, extension) can share it and the catalog never pulls in `vscode`.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type CatalogCategory =
  | 'api'
  | 'general'
  | 'crossTenant'
  | 'exchange'
  | 'teamsChat'
  | 'teamsMeeting'
  | 'oneDrive'
  | 'identityMapping'
  | 'plan'
  | 'connector';

/** What an operator can do about a problem; a diagnostic offers these as quick fixes. */
export type FixAction =
  /** A quick fix that edits the plan; `id` names the fix function (see PLAN_EDIT_IDS). */
  | { kind: 'planEdit'; id: string; title: string }
  /** A Ferry command id, e.g. 'ferry.retryErrors'. */
  | { kind: 'command'; command: string; title: string }
  /** An admin command to copy; `{name}` placeholders are filled by resolveFixes(). */
  | { kind: 'adminCommand'; shell: 'powershell' | 'graph' | 'bash'; title: string; template: string }
  | { kind: 'docs'; title: string; url: string };

/** How a Graph API error carries this entry: `error.code` plus the field it names. */
export interface ApiErrorShape {
  /** Top-level `error.code`, e.g. 'Conflict', 'BadArgument'. */
  readonly code: string;
  /** The data field the error is about, e.g. 'displayName'. */
  readonly target?: string;
}

export interface CatalogEntry {
  /** Unique, case-sensitive; the `code` of every diagnostic that reports this problem. */
  code: string;
  title: string;
  category: CatalogCategory;
  severity: Severity;
  /** Template with positional placeholders `{0}`, `{1}`, ... filled by formatMessage(). */
  message: string;
  description: string;
  /** What to do next. */
  action: string;
  /**
   * How the plan validator words the problem when it finds it before any service does (seed
   * codes that plan rules raise); `{n}` placeholders like `message`. Falls back to `message`.
   */
  planMessage?: string;
  /** For a seed code a plan rule raises: what it means and what to do in the plan's terms (the seed's text speaks of the service's API). */
  planHelp?: { description: string; action: string };
  fixes: readonly FixAction[];
  httpStatus?: number;
  source: 'seed-004' | 'ferry';
  /** Heading of the section the entry comes from (the seed's, or 'Ferry plan rules'). */
  section?: string;
  /** The code as the seed prints it when ours differs (e.g. 'MMS-001/002', or 'IM-003' for a Teams meeting row). */
  seedCode?: string;
  /** Other spellings a service may report for the same problem (e.g. 'HTTP-409'). */
  aliases?: readonly string[];
  /** Other wordings of the same error that the service may send instead of `message`. */
  altMessages?: readonly string[];
  /** Whether running the failed work again (ferry.retryErrors) can succeed without other changes. */
  retryable?: boolean;
  /** For API errors: the Graph `error.code` and the field it is about. */
  apiError?: ApiErrorShape;
}
