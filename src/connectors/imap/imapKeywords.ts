// IMAP keywords are atoms (RFC 3501 flag-keyword: 7-bit, no space, none of ( ) { % * " \ ]), but
// what becomes a keyword is free text: Outlook categories, Gmail labels ("Projets/Été", "My
// receipts"). A keyword that is no atom would make the server refuse the whole APPEND; it is
// written instead with non-ASCII text in modified UTF-7 (as folder names are) and '_' for the
// characters an atom cannot hold. System flags (\Seen ...) pass as they are.
import { encodeMutf7 } from '../maildir/mutf7';

/** What an atom cannot hold: anything outside printable ASCII, and the atom-specials. */
const NOT_ATOM = /[^\x21-\x7e]|[(){%*"\\\]]/g;

/** The flag as the server can store it: unchanged when it is a system flag or already an atom. */
export function imapFlag(flag: string): string {
  if (flag.startsWith('\\') || (flag !== '' && !new RegExp(NOT_ATOM.source).test(flag))) return flag;
  return encodeMutf7(flag).replace(NOT_ATOM, '_') || '_';
}
