// Ferry's watermark on a message imported in full fidelity. The import POST creates the item and
// answers its id; one PATCH then sets the watermark findWritten looks for. A kill between the two
// leaves the item without it, and an opaque probe has nothing else to find it by (no Message-ID,
// the fingerprint is of the exported blob): so the engine keeps the id the import answered on the
// item's intent (WriteHooks.created) and the next pass finishes that very item here.
import { ConnectorError, type WrittenItem } from '../types';
import type { GraphSession } from './graphSession';
import { WATERMARK } from './messageProperties';

interface Marked {
  id: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

const messagePath = (session: GraphSession, id: string) => `${session.userPath}/messages/${encodeURIComponent(id)}`;

/** Sets the watermark of an imported message. */
export async function markImported(session: GraphSession, id: string, fingerprint: string, where: string): Promise<void> {
  await session.call(`set the watermark of a message in ${where}`, (c) => c.api(messagePath(session, id)).patch({ singleValueExtendedProperties: [{ id: WATERMARK, value: fingerprint }] }) as Promise<unknown>);
}

/**
 * The message an interrupted import created (`id` as the import answered it), finished: marked now
 * unless it carries this item's watermark already. Another value is no reason to doubt the id: a
 * full-fidelity import keeps every property of the source item, so one that Ferry itself once
 * wrote arrives with that older watermark until the PATCH replaces it. Undefined when the item is
 * gone (removed after a failed PATCH, or by someone): then it is written again.
 */
export async function finishImported(session: GraphSession, id: string, fingerprint: string, where: string): Promise<WrittenItem | undefined> {
  const query = new URLSearchParams({ $select: 'id', $expand: `singleValueExtendedProperties($filter=id eq '${WATERMARK}')` });
  let found: Marked;
  try {
    found = await session.call(`look for an interrupted import in ${where}`, (c) => c.api(`${messagePath(session, id)}?${query.toString()}`).get() as Promise<Marked>);
  } catch (err) {
    if (err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE') return undefined;
    throw err;
  }
  const mark = found.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === WATERMARK.toLowerCase())?.value;
  if (mark !== fingerprint) await markImported(session, id, fingerprint, where);
  return { id };
}
