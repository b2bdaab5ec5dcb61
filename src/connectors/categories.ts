// IMAP keywords and Outlook categories, one mapping both ways: the first copy into Microsoft 365
// (or Exchange) writes a message's keywords as categories, a delta carries a keyword change as a
// change of categories, and categories read back (or read from a Microsoft 365 / Exchange source)
// are keywords again. (Keywords that are no IMAP atom are encoded by the IMAP connector:
// imap/imapKeywords.ts.)

/**
 * IMAP keywords that are words (not system flags, not `$` protocol keywords such as $Forwarded or
 * $Junk) as Outlook categories; `$Important` (RFC 8457: Gmail's Important) as the category
 * "Important", since a mailbox marker has no other place in Outlook (importance is the sender's).
 */
export const categoriesOf = (flags: readonly string[]): string[] =>
  flags.flatMap((f) => (f.toLowerCase() === '$important' ? ['Important'] : !f.startsWith('\\') && !f.startsWith('$') && f.trim() !== '' ? [f] : []));

/** Outlook categories as IMAP keywords: "Important" is `$Important` again, the others as they are. */
export const keywordsOf = (categories: readonly string[] | null | undefined): string[] =>
  (categories ?? []).flatMap((c) => (c.toLowerCase() === 'important' ? ['$Important'] : c.trim() !== '' ? [c] : []));

/**
 * Flags as a destination that keeps categories holds them (Microsoft 365, Exchange): the system
 * flags it keeps (`system`, lower case), then the keywords that are categories, as read back.
 */
export function heldWithCategories(flags: readonly string[], system: readonly string[]): string[] {
  return [...flags.filter((f) => f.startsWith('\\') && system.includes(f.toLowerCase())), ...keywordsOf(categoriesOf(flags))];
}
