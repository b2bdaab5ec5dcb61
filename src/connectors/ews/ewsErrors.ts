// EWS answers and network failures as catalog codes (src/errors/ewsCatalog.ts), so the engine knows
// whether to wait and retry (ErrorServerBusy with the BackOffMilliseconds Exchange sent, 503, a
// mailbox move), fail the item (too large, corrupt, vanished) or fail the mailbox (rights, quota,
// no such mailbox). Passwords and tokens never appear in messages.
import { EWS_DISPOSITIONS, ewsCodeFor } from '../../errors/ewsCatalog';
import { catalogErrorMaker } from '../catalogError';
import { ConnectorError } from '../types';

/** A ConnectorError for an EWS- code, its message filled from the catalog. */
export const ewsError = catalogErrorMaker(EWS_DISPOSITIONS);

/** What went wrong in one EWS exchange, read from the raw answer before the library parses it. */
export interface EwsFailure {
  /** An EWS ResponseCode (ErrorServerBusy...) or 'HTTP-<status>' or a network error name. */
  responseCode: string;
  message: string;
  httpStatus?: number;
  /** BackOffMilliseconds from the fault's MessageXml. */
  backOffMs?: number;
}

/** The failure a SOAP fault or an HTTP error status stands for (undefined for a 200 answer). */
export function failureOfResponse(status: number, body: string): EwsFailure | undefined {
  if (status === 200) return undefined;
  const code = /<(?:\w+:)?ResponseCode\b[^>]*>\s*(\w+)\s*</.exec(body)?.[1];
  const text = /<(?:\w+:)?(?:Message|MessageText|faultstring)\b[^>]*>([^<]*)</.exec(body)?.[1]?.trim();
  const backOff = /Name="BackOffMilliseconds"[^>]*>\s*(\d+)\s*</.exec(body)?.[1];
  return {
    responseCode: code ?? `HTTP-${status}`,
    message: text || `HTTP ${status}`,
    httpStatus: status,
    ...(backOff ? { backOffMs: Number(backOff) } : {}),
  };
}

/** The ConnectorError for a failure: the catalog code of its ResponseCode, with what was being done. */
export function ewsFailureError(failure: EwsFailure, context: { mailbox: string; what: string; where: string }): ConnectorError {
  const code = ewsCodeFor(failure.responseCode);
  return ewsError(code, [context.mailbox, context.what, `${failure.responseCode}: ${failure.message}`, context.where], undefined, failure.backOffMs);
}
