// A MIME message written into a Microsoft 365 mail folder as a received, non-draft message (Graph
// makes every message created from MIME a draft, for good): parsed (mimeToGraph.ts) and created as
// a JSON message whose creating request sets PR_MESSAGE_FLAGS, the dates, the original headers and
// Ferry's watermark (messageProperties.ts). Within Graph's 4 MB request limit that is one request,
// attachments included; a larger message is created with a pending watermark, its attachments
// added (messageAttachments.ts: upload sessions above 3 MB), then the watermark set: one found
// pending later is deleted and written again (M365Destination.findWritten).
import { probeOf } from '../fingerprint';
import type { FolderInfo, ItemContent, WrittenItem } from '../types';
import { graphError } from './graphErrors';
import { soon } from './graphRetry';
import type { GraphSession } from './graphSession';
import { GRAPH_REQUEST_LIMIT, fileAttachmentJson, jsonBytes, writeAttachment } from './messageAttachments';
import { WATERMARK, createProperties, isFlagged, isRead, pendingMark } from './messageProperties';
import { categoriesOf, graphMailOf } from './mimeToGraph';

interface Created {
  id: string;
}

/**
 * Removes a message Ferry wrote but could not finish (POST .../permanentDelete: to the dumpster's
 * Purges folder, out of the user's reach), so a half-written copy never turns up among the items
 * the user can recover. A DELETE would soft-delete it into Recoverable Items\Deletions.
 */
export async function purgeUnfinished(session: GraphSession, id: string): Promise<void> {
  await session.call('remove a half-written message', (c) => c.api(`${session.userPath}/messages/${encodeURIComponent(id)}/permanentDelete`).post(undefined) as Promise<unknown>);
}

/** Writes `content` into `folder`; `remove` deletes a half-written message (on failure). */
export async function writeMail(session: GraphSession, folder: FolderInfo, content: ItemContent, signal: AbortSignal, remove: (id: string) => Promise<void>): Promise<WrittenItem> {
  const where = folder.path.join('/');
  const fingerprint = probeOf(content).fingerprint;
  const mail = await graphMailOf(content.data);
  const message = {
    ...mail.message,
    isRead: isRead(content.flags),
    ...(isFlagged(content.flags) ? { flag: { flagStatus: 'flagged' as const } } : {}),
    categories: categoriesOf(content.flags),
  };
  const url = `${session.userPath}/mailFolders/${encodeURIComponent(folder.id)}/messages`;
  const size = { sizeBytes: content.data.length };
  // Attachments whose base64 alone passes the limit are not encoded for nothing.
  const attached = mail.attachments.reduce((sum, a) => sum + a.bytes.length, 0);
  const whole = (attached * 4) / 3 < GRAPH_REQUEST_LIMIT ? { ...message, singleValueExtendedProperties: createProperties(content, mail, fingerprint), attachments: mail.attachments.map(fileAttachmentJson) } : undefined;
  // Within Graph's request limit: the whole message in one request, nothing half-written ever.
  if (whole && jsonBytes(whole) <= GRAPH_REQUEST_LIMIT) return { id: (await session.call(`create a message in ${where}`, (c) => c.api(url).post(whole) as Promise<Created>, size)).id };
  const pending = { ...message, singleValueExtendedProperties: createProperties(content, mail, pendingMark(fingerprint)) };
  if (jsonBytes(pending) > GRAPH_REQUEST_LIMIT) throw graphError('GRAPH-413', [String(content.data.length), session.mailbox, `its headers and body alone are more than Graph's ${GRAPH_REQUEST_LIMIT} bytes a request (in ${where})`]);
  const created: Created = await session.call(`create a message in ${where}`, (c) => c.api(url).post(pending) as Promise<Created>, size);
  try {
    for (const a of mail.attachments) await writeAttachment(session, created.id, a, where, signal);
    await soon(() => session.call(`finish a message in ${where}`, (c) => c.api(`${session.userPath}/messages/${encodeURIComponent(created.id)}`).patch({ singleValueExtendedProperties: [{ id: WATERMARK, value: fingerprint }] }) as Promise<unknown>));
  } catch (err) {
    // A half-written message keeps its pending watermark: remove it so a retry starts clean (if
    // this fails too, findWritten removes it before the retry).
    await remove(created.id).catch(() => undefined);
    throw err;
  }
  return { id: created.id };
}
