// Messages between the editor and the plan worker thread (validation and quick fixes).
import type { PlanDiagnostic } from './diagnostic';
import type { OfferedFixes } from './fixes';

export interface ValidateRequest {
  kind: 'validate';
  id: number;
  file: string;
  text: string;
  /** Milliseconds since the epoch; the worker's clock otherwise. */
  now?: number;
}

export interface FixesRequest {
  kind: 'fixes';
  id: number;
  file: string;
  text: string;
  diagnostic: PlanDiagnostic;
  now?: number;
}

export type WorkerRequest = ValidateRequest | FixesRequest;

export interface ValidateResponse {
  kind: 'validate';
  id: number;
  diagnostics: PlanDiagnostic[];
  elapsedMs: number;
  /** A crash inside the worker (a bug, never a user error): logged, not shown as a finding. */
  failure?: string;
}

export interface FixesResponse extends OfferedFixes {
  kind: 'fixes';
  id: number;
  elapsedMs: number;
  failure?: string;
}

export type WorkerResponse = ValidateResponse | FixesResponse;
