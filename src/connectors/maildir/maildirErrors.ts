// Maildir failures as catalog errors: file-system codes become MAILDIR-* codes the engine acts on.
import { CONNECTOR_DISPOSITIONS } from '../../errors/connectorCatalog';
import { formatMessage } from '../../errors/catalog';
import { ConnectorError } from '../types';

type Disposition = ConnectorError['disposition'];

/** A ConnectorError for a MAILDIR-* code, its message filled from the catalog. */
export function maildirError(code: string, args: string[], disposition?: Disposition): ConnectorError {
  const fallback = CONNECTOR_DISPOSITIONS[code];
  return new ConnectorError(code, formatMessage(code, args), disposition ?? (fallback === 'information' || !fallback ? 'item' : fallback), args);
}

/** The errno code of a Node file-system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
}

/** Maps a file-system error while doing `operation` on `target` (a path) to MAILDIR-IO. */
export function ioError(operation: string, target: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const code = errnoCode(error);
  const reason = code ? `${code}: ${describeErrno(code)}` : error instanceof Error ? error.message : String(error);
  // Running out of file handles or being interrupted passes; rights and space need an operator.
  const transient = code === 'EMFILE' || code === 'ENFILE' || code === 'EAGAIN' || code === 'EBUSY' || code === 'EINTR';
  return maildirError('MAILDIR-IO', [operation, target, reason], transient ? 'transient' : 'mailbox');
}

/**
 * One message file the file system refuses (its rights, a bad sector) is that item's error, not
 * the mailbox's: the rest is copied and a retry reads it again. Transient refusals stay transient.
 */
export function itemReadError(error: ConnectorError, id: string, folder: string): ConnectorError {
  if (error.disposition !== 'mailbox') return error;
  return maildirError('MAILDIR-ITEM-UNREADABLE', [id, folder || 'the top folder', error.args[2] ?? error.message], 'item');
}

function describeErrno(code: string): string {
  const text: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the disk',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'not a folder',
    EMFILE: 'too many open files',
  };
  return text[code] ?? 'file-system error';
}
