// Microsoft Graph's cross-tenant migration jobs (Migration Orchestrator) as the fake serves them:
// `/beta/solutions/migrations/crossTenantMigrationJobs` (beta only, as at Microsoft) with create, list, get, update
// (completeAfterDateTime), delete, the `validate` (collection and job), `migrate` and `cancel`
// actions and the per-user `users` tasks. Shapes follow Microsoft's crossTenantMigrationJob,
// crossTenantMigrationTask and crossTenantMigrationServiceStatusDetails resources; where Microsoft
// documents nothing precise (error bodies, how states advance) see README.md "Cross-tenant
// migration jobs". A job moves one state forward each time it is read (GET), so a client that polls
// sees every state; per-user failures are injected with the seed's codes.
import { randomUUID } from 'node:crypto';
import { fillPlaceholders, findSeedEntry } from '../../../src/errors/catalog';
import type { TenantRecord } from './data';
import type { GraphCall } from './graphContext';
import { page } from './graphContext';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';

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
  | 'validateFailed';

export type TaskStatus = 'notStarted' | 'valid' | 'invalid' | 'error' | 'inProgress' | 'completed' | 'failed' | 'cancelled' | 'pendingCancel' | 'syncing' | 'synced' | 'finalizing' | 'forceComplete';

/** Final states: a job may be deleted only in one of them (seed: Completed, Failed or Cancelled). */
export const FINAL_JOB_STATES: readonly JobStatus[] = ['completed', 'completedWithErrors', 'failed', 'cancelled'];
/** A validation-only job (jobType validate) ends in these. */
const FINAL_VALIDATE_STATES: readonly JobStatus[] = ['validatePassed', 'validateFailed'];

/** A per-user failure: the seed code, its message arguments, and when it strikes. */
export interface UserFault {
  code: string;
  args?: string[];
  phase: 'validate' | 'migrate';
  /** The workload reporting it ('Exchange' unless told). */
  service?: string;
}

interface TaskRecord {
  id: string;
  lastUpdatedDateTime: string;
  service: string;
  status: TaskStatus;
  message: string;
  errors: { code: string; message: string }[];
}

export interface JobRecord {
  id: string;
  tenantId: string;
  displayName: string;
  jobType: 'validate' | 'migrate';
  sourceTenantId: string;
  targetTenantId: string;
  completeAfterDateTime: string;
  status: JobStatus;
  message: string;
  createdDateTime: string;
  createdBy: string;
  lastUpdatedDateTime: string;
  exchangeSettings: { targetDeliveryDomain?: string; sourceEndpoint?: string } | null;
  workloads: string[];
  resourceType: string;
  resources: string[];
  tasks: TaskRecord[];
  /** Every status the job has had, in order (tests read it). */
  history: JobStatus[];
}

const ROLE_WRITE = 'CrossTenantContentMigration.ReadWrite.All';
const ROLE_READ = 'CrossTenantContentMigration.Read.All';

/** Graph's error envelope with the `details` array the cross-tenant API fills (code, target, message). */
function detailedError(status: number, code: string, message: string, detail: { code: string; target?: string; message: string }): FakeResponse {
  const response = graphError(status, code, message);
  const body = response.body as { error: Record<string, unknown> };
  body.error.details = [detail];
  return response;
}

/** The seed message of a code with its arguments, as the service sends it (no Markdown backticks). */
function seedMessage(code: string, args: readonly string[]): string {
  const entry = findSeedEntry(code);
  return (entry ? fillPlaceholders(entry.message, args) : code).replace(/`/g, '');
}

export class CrossTenantJobs {
  readonly jobs: JobRecord[] = [];
  /** Per-user faults by target user (object id or user principal name, lower case). */
  readonly userFaults = new Map<string, UserFault>();
  /** When set, the names of the tenant-to-tenant migration endpoints the target has; others fail every user with EXCH-07. */
  migrationEndpoints: string[] | undefined;
  /** Hold a migration before cutover until completeAfterDateTime has passed (Microsoft's behaviour). */
  honourCompleteAfter = true;
  /** The service's clock, which completeAfterDateTime is judged by (tests move it instead of waiting). */
  now: () => number = () => Date.now();
  /** GETs of a job (polls), for tests. */
  polls = 0;
  /** Jobs created (POSTs the service accepted), for tests. */
  created = 0;
  /** The user principal name of a tenant's user by object id (set by the router), so faults can name users by address. */
  upnOf: ((tenantId: string, id: string) => string | undefined) | undefined;

  /** Injects a failure for one user. */
  failUser(user: string, fault: UserFault): void {
    this.userFaults.set(user.toLowerCase(), fault);
  }

  /** The user is missing from identity mapping: IM-003 at validation. */
  notInIdentityMapping(user: string, targetTenant = 'the target tenant'): void {
    this.failUser(user, { code: 'IM-003', args: [user, targetTenant], phase: 'validate' });
  }

  /** The user is not in the security group the organization relationship scopes: MIGR-002 when migrating. */
  notInSecurityGroup(user: string, group = 'CrossTenantMigrationUsers'): void {
    this.failUser(user, { code: 'MIGR-002', args: [user, group], phase: 'migrate' });
  }

  job(id: string): JobRecord | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  /** Serves `/solutions/migrations/crossTenantMigrationJobs...`; `segments` start after `/beta`. */
  handle(call: GraphCall, req: FakeRequest, segments: string[]): FakeResponse {
    if (segments[0] !== 'solutions' || segments[1] !== 'migrations' || segments[2] !== 'crossTenantMigrationJobs') return graphError(400, 'BadRequest', `Resource not found for the segment '${segments.slice(0, 3).join('/')}'.`);
    const write = req.method !== 'GET';
    if (!call.roles.includes(ROLE_WRITE) && (write || !call.roles.includes(ROLE_READ))) return graphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${write ? ROLE_WRITE : `${ROLE_READ}, ${ROLE_WRITE}`}'.`);
    const base = `${call.base}/solutions/migrations/crossTenantMigrationJobs`;
    const rest = segments.slice(3);
    if (rest.length === 0 && req.method === 'POST') return this.create(call.tenant, req, 'migrate');
    if (rest.length === 1 && rest[0] === 'validate' && req.method === 'POST') return this.create(call.tenant, req, 'validate');
    if (rest.length === 0 && req.method === 'GET') return json(200, { '@odata.context': `${call.base}/$metadata#solutions/migrations/crossTenantMigrationJobs`, ...page(this.jobs.filter((j) => j.tenantId === call.tenant.id).map(jobJson), req.query, base, 20) });
    const job = this.jobs.find((j) => j.id === rest[0] && j.tenantId === call.tenant.id);
    if (!job) return graphError(404, 'NotFound', `Cross Tenant Migration Job ${rest[0]} was not found.`);
    if (rest.length === 1 && req.method === 'GET') {
      this.polls++;
      this.advance(job);
      return json(200, { '@odata.context': `${call.base}/$metadata#solutions/migrations/crossTenantMigrationJobs/$entity`, ...jobJson(job) });
    }
    if (rest.length === 1 && req.method === 'PATCH') return this.update(job, req);
    if (rest.length === 1 && req.method === 'DELETE') return this.remove(job);
    if (rest.length === 2 && rest[1] === 'users' && req.method === 'GET') return json(200, { '@odata.context': `${call.base}/$metadata#solutions/migrations/crossTenantMigrationJobs('${job.id}')/users`, ...page(job.tasks.map(taskJson), req.query, `${base}/${job.id}/users`, 100) });
    if (rest.length === 2 && req.method === 'POST' && rest[1] === 'validate') return this.validate(job);
    if (rest.length === 2 && req.method === 'POST' && rest[1] === 'migrate') return this.migrate(job);
    if (rest.length === 2 && req.method === 'POST' && rest[1] === 'cancel') return this.cancel(job);
    return graphError(400, 'BadRequest', `Unsupported request: ${req.method} /${segments.join('/')}`);
  }

  private create(tenant: TenantRecord, req: FakeRequest, jobType: 'validate' | 'migrate'): FakeResponse {
    const body = jsonOf(req);
    if (!body) return graphError(400, 'BadRequest', 'The request body is not valid JSON.');
    const displayName = typeof body.displayName === 'string' ? body.displayName.trim() : '';
    if (!displayName) return detailedError(422, 'BadArgument', 'Error in displayName data field required', { code: 'required', target: 'displayName', message: 'displayName is required.' });
    if (this.jobs.some((j) => j.tenantId === tenant.id && j.displayName.toLowerCase() === displayName.toLowerCase())) {
      return detailedError(422, 'BadArgument', 'Error in displayName data field duplicateDisplayNameJob', { code: 'duplicateDisplayNameJob', target: 'displayName', message: seedMessage('duplicateDisplayNameJob', []) });
    }
    const completeAfter = typeof body.completeAfterDateTime === 'string' ? Date.parse(body.completeAfterDateTime) : NaN;
    if (Number.isNaN(completeAfter) || completeAfter <= this.now()) {
      return detailedError(422, 'BadArgument', 'Error in completeAfterDateTime data field minThresholdFailed', { code: 'minThresholdFailed', target: 'completeAfterDateTime', message: seedMessage('minThresholdFailed', []) });
    }
    const resources = Array.isArray(body.resources) ? body.resources.map(String) : [];
    if (!resources.length) return detailedError(422, 'BadArgument', 'Error in resources data field required', { code: 'required', target: 'resources', message: 'At least one resource is required.' });
    // Resources are the target tenant's users by directory object id (not addresses).
    const unknown = resources.find((r) => !tenant.users.some((u) => u.id.toLowerCase() === r.toLowerCase()));
    if (unknown !== undefined) return detailedError(422, 'BadArgument', 'Error in resources data field invalidResource', { code: 'invalidResource', target: 'resources', message: `'${unknown}' is not the object id of a user in the target tenant.` });
    const exchange = typeof body.exchangeSettings === 'object' && body.exchangeSettings !== null ? (body.exchangeSettings as Record<string, unknown>) : undefined;
    const now = new Date().toISOString();
    const status: JobStatus = jobType === 'validate' ? 'validateSubmitted' : 'submitted';
    const job: JobRecord = {
      id: randomUUID(),
      tenantId: tenant.id,
      displayName,
      jobType,
      sourceTenantId: typeof body.sourceTenantId === 'string' ? body.sourceTenantId : '',
      targetTenantId: tenant.id,
      completeAfterDateTime: new Date(completeAfter).toISOString(),
      status,
      message: jobType === 'validate' ? 'Validation job has been submitted successfully' : 'Job has been submitted successfully',
      createdDateTime: now,
      createdBy: tenant.apps[0]?.displayName ?? 'app',
      lastUpdatedDateTime: now,
      exchangeSettings: exchange ? { ...(typeof exchange.targetDeliveryDomain === 'string' ? { targetDeliveryDomain: exchange.targetDeliveryDomain } : {}), ...(typeof exchange.sourceEndpoint === 'string' ? { sourceEndpoint: exchange.sourceEndpoint } : {}) } : null,
      workloads: Array.isArray(body.workloads) ? body.workloads.map(String) : ['Exchange'],
      resourceType: typeof body.resourceType === 'string' ? body.resourceType : 'Users',
      resources,
      tasks: resources.map((id) => ({ id, lastUpdatedDateTime: now, service: 'Exchange', status: 'notStarted', message: '', errors: [] })),
      history: [status],
    };
    this.jobs.push(job);
    this.created++;
    return json(201, jobJson(job));
  }

  private update(job: JobRecord, req: FakeRequest): FakeResponse {
    const body = jsonOf(req) ?? {};
    const at = typeof body.completeAfterDateTime === 'string' ? Date.parse(body.completeAfterDateTime) : NaN;
    if (Number.isNaN(at) || at <= this.now()) return detailedError(422, 'BadArgument', 'Error in completeAfterDateTime data field minThresholdFailed', { code: 'minThresholdFailed', target: 'completeAfterDateTime', message: seedMessage('minThresholdFailed', []) });
    job.completeAfterDateTime = new Date(at).toISOString();
    job.lastUpdatedDateTime = new Date().toISOString();
    return { status: 204 };
  }

  private remove(job: JobRecord): FakeResponse {
    const final = FINAL_JOB_STATES.includes(job.status) || (job.jobType === 'validate' && FINAL_VALIDATE_STATES.includes(job.status));
    if (!final) return detailedError(409, 'Conflict', seedMessage('resourceTypeMismatch', [job.id]), { code: 'resourceTypeMismatch', message: seedMessage('resourceTypeMismatch', [job.id]) });
    this.jobs.splice(this.jobs.indexOf(job), 1);
    return { status: 204 };
  }

  private validate(job: JobRecord): FakeResponse {
    if (job.status !== 'submitted' && job.status !== 'validateFailed') return graphError(409, 'Conflict', `Cross Tenant Migration Job ${job.id} must be in submitted or validateFailed state to be validated; it is ${job.status}.`);
    this.setStatus(job, 'validateSubmitted', 'Validation job has been submitted successfully');
    return json(200, jobJson(job));
  }

  private migrate(job: JobRecord): FakeResponse {
    if (job.jobType !== 'migrate' || job.status !== 'validatePassed') return graphError(409, 'Conflict', `Cross Tenant Migration Job ${job.id} must pass validation before it can be migrated; it is ${job.status}.`);
    this.setStatus(job, 'approved', 'Migration has been approved');
    return json(200, jobJson(job));
  }

  private cancel(job: JobRecord): FakeResponse {
    if (FINAL_JOB_STATES.includes(job.status) || job.status === 'cuttingOver' || job.status === 'pendingCancel') {
      return graphError(409, 'Conflict', `Cross Tenant Migration Job ${job.id} cannot be cancelled in state ${job.status}.`);
    }
    this.setStatus(job, 'pendingCancel', 'cancellation request has been accepted for the migration job');
    for (const t of job.tasks) if (!['completed', 'failed', 'invalid'].includes(t.status)) this.setTask(t, 'pendingCancel');
    return json(202, { id: job.id, displayName: job.displayName, status: 'pendingCancel', message: job.message });
  }

  private setStatus(job: JobRecord, status: JobStatus, message: string): void {
    job.status = status;
    job.message = message;
    job.lastUpdatedDateTime = new Date().toISOString();
    job.history.push(status);
  }

  private setTask(t: TaskRecord, status: TaskStatus, error?: { code: string; message: string }, service?: string): void {
    t.status = status;
    t.lastUpdatedDateTime = new Date().toISOString();
    if (service) t.service = service;
    if (error) {
      t.errors.push(error);
      t.message = error.message;
    }
  }

  private faultFor(job: JobRecord, resource: string, phase: 'validate' | 'migrate'): { code: string; message: string; service: string } | undefined {
    if (phase === 'validate' && this.migrationEndpoints && !this.migrationEndpoints.includes(job.exchangeSettings?.sourceEndpoint ?? '')) {
      return { code: 'EXCH-07', message: seedMessage('EXCH-07', []), service: 'Exchange' };
    }
    const upn = this.upnOf?.(job.tenantId, resource)?.toLowerCase();
    const fault = this.userFaults.get(resource.toLowerCase()) ?? (upn ? this.userFaults.get(upn) : undefined);
    if (!fault || fault.phase !== phase) return undefined;
    return { code: fault.code, message: seedMessage(fault.code, fault.args ?? [resource]), service: fault.service ?? 'Exchange' };
  }

  /** One step along the job's path; called on every read of the job. */
  private advance(job: JobRecord): void {
    const live = (t: TaskRecord) => !['invalid', 'failed', 'cancelled', 'completed'].includes(t.status);
    switch (job.status) {
      case 'validateSubmitted':
        return this.setStatus(job, 'validateInProgress', 'Validation is in progress');
      case 'validateInProgress': {
        for (const t of job.tasks) {
          const fault = this.faultFor(job, t.id, 'validate');
          if (fault) this.setTask(t, 'invalid', { code: fault.code, message: fault.message }, fault.service);
          else this.setTask(t, 'valid');
        }
        const anyValid = job.tasks.some((t) => t.status === 'valid');
        return this.setStatus(job, anyValid ? 'validatePassed' : 'validateFailed', anyValid ? 'Validation passed' : 'Validation failed for every user');
      }
      case 'approved':
        return this.setStatus(job, 'processing', 'Migration is being processed');
      case 'processing':
        for (const t of job.tasks) if (t.status === 'valid') this.setTask(t, 'syncing');
        return this.setStatus(job, 'inProgress', 'Migration is in progress');
      case 'inProgress': {
        for (const t of job.tasks) {
          if (t.status !== 'syncing') continue;
          const fault = this.faultFor(job, t.id, 'migrate');
          if (fault) this.setTask(t, 'failed', { code: fault.code, message: fault.message }, fault.service);
          else this.setTask(t, 'synced');
        }
        if (this.honourCompleteAfter && Date.parse(job.completeAfterDateTime) > this.now()) {
          if (job.message !== 'Waiting for completeAfterDateTime') this.setStatus(job, 'inProgress', 'Waiting for completeAfterDateTime');
          return;
        }
        for (const t of job.tasks) if (t.status === 'synced') this.setTask(t, 'finalizing');
        return this.setStatus(job, 'cuttingOver', 'Cutting over');
      }
      case 'cuttingOver': {
        for (const t of job.tasks) if (t.status === 'finalizing') this.setTask(t, 'completed');
        const done = job.tasks.filter((t) => t.status === 'completed').length;
        const status: JobStatus = done === job.tasks.length ? 'completed' : done === 0 ? 'failed' : 'completedWithErrors';
        return this.setStatus(job, status, status === 'completed' ? 'Migration completed' : status === 'failed' ? 'Migration failed for every user' : 'Migration completed with errors');
      }
      case 'pendingCancel':
        for (const t of job.tasks) if (live(t) || t.status === 'pendingCancel') this.setTask(t, 'cancelled');
        return this.setStatus(job, 'cancelled', 'The migration job was cancelled');
      default:
        return;
    }
  }
}

function jobJson(j: JobRecord): object {
  return {
    '@odata.type': '#microsoft.graph.crossTenantMigrationJob',
    id: j.id,
    displayName: j.displayName,
    jobType: j.jobType,
    sourceTenantId: j.sourceTenantId,
    targetTenantId: j.targetTenantId,
    completeAfterDateTime: j.completeAfterDateTime,
    status: j.status,
    message: j.message,
    createdDateTime: j.createdDateTime,
    createdBy: j.createdBy,
    lastUpdatedDateTime: j.lastUpdatedDateTime,
    exchangeSettings: j.exchangeSettings,
    workloads: j.workloads,
    resourceType: j.resourceType,
    resources: j.resources,
  };
}

function taskJson(t: TaskRecord): object {
  return {
    '@odata.type': '#microsoft.graph.crossTenantMigrationTask',
    id: t.id,
    taskType: 'user',
    lastUpdatedDateTime: t.lastUpdatedDateTime,
    currentStatus: [{ service: t.service, status: t.status, message: t.message, errors: t.errors.map((e) => ({ code: e.code, message: e.message })) }],
  };
}

/** One service per fake Graph (tests reach it with crossTenantJobsOf(fake.graph)). */
const services = new WeakMap<object, CrossTenantJobs>();

export function crossTenantJobsOf(graph: object): CrossTenantJobs {
  let service = services.get(graph);
  if (!service) {
    service = new CrossTenantJobs();
    services.set(graph, service);
  }
  return service;
}

/** The router's entry: `/beta/solutions/...` for the Graph instance that serves it. */
export function handleCrossTenant(graph: object, call: GraphCall, req: FakeRequest, segments: string[]): FakeResponse {
  const service = crossTenantJobsOf(graph);
  service.upnOf ??= (tenantId, id) => call.data.tenant(tenantId)?.users.find((u) => u.id.toLowerCase() === id.toLowerCase())?.userPrincipalName;
  return service.handle(call, req, segments);
}
