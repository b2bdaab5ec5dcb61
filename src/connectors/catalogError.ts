// A ConnectorError for a catalog code, its message filled from the catalog and its disposition the
// catalog's unless the caller knows better: one maker per connector family (graphError, ewsError,
// gmailError), each over its catalog's dispositions.
import type { ConnectorDisposition } from '../errors/connectorEntry';
import { formatMessage } from '../errors/catalog';
import { ConnectorError } from './types';

type Disposition = ConnectorError['disposition'];

export type CatalogErrorMaker = (code: string, args: string[], disposition?: Disposition, retryAfterMs?: number) => ConnectorError;

export function catalogErrorMaker(dispositions: Readonly<Record<string, ConnectorDisposition>>): CatalogErrorMaker {
  return (code, args, disposition, retryAfterMs) => {
    const fallback = dispositions[code];
    return new ConnectorError(code, formatMessage(code, args), disposition ?? (fallback === 'information' || !fallback ? 'item' : fallback), args, retryAfterMs);
  };
}
