// The runner's message protocol over IPC (child_process.fork). The parent (extension or command
// line) sends requests with ids; the runner answers each with a response of the same id and, once
// subscribed, forwards engine events. Secrets travel only in `start`/`complete`/`discover` and are
// never echoed. Microsoft sign-in: the parent hands the runner the token caches it keeps
// (`tokenCaches`), the runner sends each change back (`tokenCache`) and asks the operator to enter
// a device code (`signIn`).
import type { DeviceCodeRequest } from '../connectors/m365/auth/deviceCode';
import type { PlanDiagnostic } from '../plan/diagnostic';
import type { EngineEvent } from '../engine/events';
import type { PassKind } from '../engine/statuses';

export const protocolVersion = 1;

interface Base {
  /** Chosen by the parent; echoed in the response. */
  id: number;
}

export type RunnerRequest =
  | (Base & { type: 'start'; planFile: string; pass: PassKind; batch?: string; item?: string | string[]; secrets?: Record<string, string>; waitForSchedule?: boolean })
  | (Base & { type: 'stop' })
  | (Base & { type: 'status'; planFile?: string })
  | (Base & { type: 'subscribe' })
  | (Base & { type: 'unsubscribe' })
  | (Base & { type: 'approve'; planFile: string; batch?: string; item?: string; by?: string })
  | (Base & { type: 'complete'; planFile: string; batch: string; secrets?: Record<string, string> })
  | (Base & { type: 'delete'; planFile: string; batch: string })
  | (Base & { type: 'discover'; planFile: string; endpoint: string; secrets?: Record<string, string> })
  | (Base & { type: 'tokenCaches'; caches: Record<string, string> })
  | (Base & { type: 'shutdown' });

export type RunnerRequestType = RunnerRequest['type'];

/** Why a request failed: a catalog code when there is one, plan diagnostics for an invalid plan. */
export interface RunnerFailure {
  code?: string;
  message: string;
  /** 'usage': the request named something that does not exist; 'refused': the state forbids it. */
  kind: 'usage' | 'refused' | 'invalidPlan' | 'busy' | 'internal';
  diagnostics?: PlanDiagnostic[];
}

export type RunnerResponse = { type: 'response'; id: number; ok: true; result?: unknown } | { type: 'response'; id: number; ok: false; error: RunnerFailure };

export type RunnerMessage =
  | RunnerResponse
  /** at: when the runner sent it (milliseconds since the epoch): the parent measures its views' lag. */
  | { type: 'event'; event: EngineEvent; at?: number }
  | { type: 'signIn'; request: DeviceCodeRequest }
  | { type: 'tokenCache'; key: string; data: string }
  /** First message after fork: the runner owns the state folder (ok) or could not take it. */
  | { type: 'ready'; ok: true; pid: number; stateDir: string; protocolVersion: number; recovered: number[] }
  | { type: 'ready'; ok: false; error: RunnerFailure };

export function isRunnerRequest(value: unknown): value is RunnerRequest {
  const v = value as { id?: unknown; type?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'number' && typeof v.type === 'string';
}
