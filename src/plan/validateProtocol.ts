// Messages between the editor and the validation worker.
import type { PlanDiagnostic } from './diagnostic';

export interface ValidateRequest {
  id: number;
  file: string;
  text: string;
  /** Milliseconds since the epoch; the worker's clock otherwise. */
  now?: number;
}

export interface ValidateResponse {
  id: number;
  diagnostics: PlanDiagnostic[];
  elapsedMs: number;
  /** A crash inside validation (a bug, never a user error): logged, not shown as a finding. */
  failure?: string;
}
