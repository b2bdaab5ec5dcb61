// Microsoft Graph's cross-tenant migration API (Migration Orchestrator), which exists under `/beta`
// only: `/solutions/migrations/crossTenantMigrationJobs` create, validate, migrate, get, users,
// cancel and delete, signed in with the destination endpoint's app (the m365 connector's msal
// sign-in). A job's `resources` are the target users' directory object ids, looked up through
// v1.0's `/users` in the target tenant (targetUserId).
// Errors become ConnectorErrors with catalog codes: the API's own (duplicateDisplayNameJob,
// minThresholdFailed, resourceTypeMismatch) from the `details` Graph sends, 429/5xx as transient
// (Retry-After honoured by the caller's back-off), the rest as GRAPH- codes.
import { tokenProvider, type TokenProvider } from '../connectors/m365/auth/tokenProvider';
import { graphError, retryAfterMs } from '../connectors/m365/graphErrors';
import type { M365Settings } from '../connectors/m365/m365Settings';
import { ConnectorError } from '../connectors/types';
import { formatMessage, getEntry } from '../errors/catalog';

export type JobStatus =
  | 'submitted'
  | 'approved'
  | 'processing'
  | 'cuttingOver'
  | 'inProgress'
  | 'completed'
  | 'completedWithErrors'
  | 'failed'
  | 'cancelled'
  | 'pendingCancel'
  | 'adminActionRequired'
  | 'validateSubmitted'
  | 'validateProcessing'
  | 'validateInProgress'
  | 'validatePassed'
  | 'validateFailed'
  | 'pendingDelete'
  | 'deleted';

/** The job is over: it may be deleted (seed: Completed, Failed or Cancelled). */
export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'completedWithErrors', 'failed', 'cancelled', 'deleted'];
/** Validation is over. */
export const VALIDATED_STATUSES: readonly JobStatus[] = ['validatePassed', 'validateFailed'];

export interface CrossTenantJobRequest {
  displayName: string;
  completeAfterDateTime: string;
  sourceTenantId: string;
  exchangeSettings?: { targetDeliveryDomain?: string; sourceEndpoint?: string };
  /** 'Exchange', 'ODSP', 'Teams'. */
  workloads: string[];
  resourceType: 'Users';
  resources: string[];
}

export interface CrossTenantJob extends Partial<CrossTenantJobRequest> {
  id: string;
  status: JobStatus;
  jobType?: 'validate' | 'migrate';
  message?: string | null;
}

export interface ServiceStatus {
  service?: string;
  status?: string;
  message?: string | null;
  errors?: { code?: string; message?: string }[];
}

export interface MigrationTask {
  id: string;
  lastUpdatedDateTime?: string;
  currentStatus?: ServiceStatus[];
}

const JOBS = '/solutions/migrations/crossTenantMigrationJobs';

interface GraphErrorBody {
  error?: { code?: string; message?: string; details?: { code?: string; target?: string; message?: string }[] };
}

export class CrossTenantClient {
  private constructor(
    private readonly settings: M365Settings,
    private readonly tokens: TokenProvider,
    private readonly signal: AbortSignal,
    /** The API is in beta only (Microsoft Graph v1.0 has no crossTenantMigrationJob). */
    private readonly version = 'beta',
  ) {}

  static async open(settings: M365Settings, signal: AbortSignal): Promise<CrossTenantClient> {
    return new CrossTenantClient(settings, await tokenProvider(settings), signal);
  }

  create(body: CrossTenantJobRequest): Promise<CrossTenantJob> {
    return this.call<CrossTenantJob>('POST', JOBS, 'create the cross-tenant migration job', body);
  }

  /** The collection's validate action: a validation-only job (jobType validate). */
  createValidation(body: CrossTenantJobRequest): Promise<CrossTenantJob> {
    return this.call<CrossTenantJob>('POST', `${JOBS}/validate`, 'create the cross-tenant validation job', body);
  }

  /** The tenant's jobs named `displayName` (case-insensitive), every page read (the list is short; no $filter is documented). */
  async named(displayName: string): Promise<CrossTenantJob[]> {
    const jobs: CrossTenantJob[] = [];
    let next: string | undefined = JOBS;
    while (next) {
      const page: { value?: CrossTenantJob[]; '@odata.nextLink'?: string } = await this.call('GET', next, 'list the cross-tenant migration jobs');
      jobs.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return jobs.filter((j) => (j.displayName ?? '').toLowerCase() === displayName.toLowerCase());
  }

  /** The directory object id of a user of the target tenant (the app's), or undefined when there is none. */
  async targetUserId(address: string): Promise<string | undefined> {
    try {
      const user = await this.call<{ id?: string }>('GET', `${this.settings.graphEndpoint}/v1.0/users/${encodeURIComponent(address)}?$select=id`, `find the target user ${address}`);
      return user.id;
    } catch (err) {
      if (err instanceof ConnectorError && err.args[0] === '404') return undefined;
      throw err;
    }
  }

  get(id: string): Promise<CrossTenantJob> {
    return this.call<CrossTenantJob>('GET', `${JOBS}/${encodeURIComponent(id)}`, 'read the cross-tenant migration job');
  }

  async users(id: string): Promise<MigrationTask[]> {
    const tasks: MigrationTask[] = [];
    let next: string | undefined = `${JOBS}/${encodeURIComponent(id)}/users`;
    while (next) {
      const page: { value?: MigrationTask[]; '@odata.nextLink'?: string } = await this.call('GET', next, 'list the users of the cross-tenant migration job');
      tasks.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return tasks;
  }

  validate(id: string): Promise<CrossTenantJob> {
    return this.call<CrossTenantJob>('POST', `${JOBS}/${encodeURIComponent(id)}/validate`, 'validate the cross-tenant migration job');
  }

  migrate(id: string): Promise<CrossTenantJob> {
    return this.call<CrossTenantJob>('POST', `${JOBS}/${encodeURIComponent(id)}/migrate`, 'start the cross-tenant migration job');
  }

  cancel(id: string): Promise<{ status?: string; message?: string }> {
    return this.call('POST', `${JOBS}/${encodeURIComponent(id)}/cancel`, 'cancel the cross-tenant migration job');
  }

  async remove(id: string): Promise<void> {
    await this.call('DELETE', `${JOBS}/${encodeURIComponent(id)}`, 'delete the cross-tenant migration job');
  }

  /** One request; a 401 gets one retry with a freshly signed-in token. `path` may be an absolute nextLink. */
  private async call<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    const url = /^https?:/.test(path) ? path : `${this.settings.graphEndpoint}/${this.version}${path}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(attempt > 1);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: this.signal,
        });
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        throw graphError('M365-CONNECT', [new URL(url).host, err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err)], 'transient');
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      if (res.status === 401 && attempt === 1) continue;
      throw apiError(res.status, text, what, res.headers.get('retry-after'));
    }
  }
}

/** A ConnectorError for a refused call; the seed's API errors keep their codes and HTTP status. */
export function apiError(status: number, text: string, what: string, retryAfter?: string | null): ConnectorError {
  let body: GraphErrorBody = {};
  try {
    body = JSON.parse(text) as GraphErrorBody;
  } catch {
    /* not JSON */
  }
  const e = body.error ?? {};
  const reason = `${e.code ? `${e.code}: ` : ''}${e.message ?? text}`.trim() || `HTTP ${status}`;
  for (const detail of e.details ?? []) {
    const entry = detail.code ? getEntry(detail.code) : undefined;
    if (entry?.apiError) {
      const args = entry.code === 'resourceTypeMismatch' ? [/Job (\S+) must/.exec(e.message ?? '')?.[1] ?? ''] : [];
      return new ConnectorError(entry.code, formatMessage(entry.code, args), 'mailbox', args);
    }
  }
  if (status === 429) return graphError('GRAPH-429', [what, reason], 'transient', retryAfterMs(retryAfter));
  if (status >= 500) return graphError('GRAPH-503', [String(status), what, reason], 'transient', retryAfterMs(retryAfter));
  if (status === 401) return graphError('GRAPH-401', [what, reason], 'mailbox');
  if (status === 403) return graphError('GRAPH-403', [what, reason], 'mailbox');
  return graphError('GRAPH-REQUEST', [String(status), what, reason], 'mailbox');
}
