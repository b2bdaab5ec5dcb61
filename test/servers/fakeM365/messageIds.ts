// Message ids as Outlook hands them out: a REST id that changes when the item moves to another
// folder, and, for a request with `Prefer: IdType="ImmutableId"`, an immutable id that stays as
// long as the item stays in the mailbox ("Obtain immutable identifiers for Outlook resources").
// Either form finds the item; an old REST id of a moved item finds nothing (404).
import * as fs from 'node:fs';
import { newId, type MailboxRecord, type MessageRecord } from './data';
import type { GraphCall, MailboxCall } from './graphContext';
import { graphError, jsonOf, type FakeRequest, type FakeResponse } from './http';

/** Whether a request asks for immutable ids. */
export const asksImmutableIds = (req: FakeRequest) => /IdType\s*=\s*"?ImmutableId"?/i.test(req.headers.prefer ?? '');

/** The id an answer carries for `m`. */
export const idOf = (call: Pick<GraphCall, 'immutableIds'>, m: MessageRecord): string => (call.immutableIds ? (m.immutableId ?? m.id) : m.id);

/** A message by REST or immutable id. */
export function findMessage(box: MailboxRecord, key: string): MessageRecord | undefined {
  return box.messages.find((m) => m.id === key || m.immutableId === key);
}

/**
 * The mailbox import/export API's id of a message (a `mailboxItem` id): a form of its own, as
 * Microsoft's examples show (`EDSVrdi3lRAAFSX03NAAA=` there, never an `AAMk...` message id), stable
 * while the item stays in the mailbox. Graph's mail API refuses it (isMailboxItemId).
 */
export const mailboxItemId = (m: Pick<MessageRecord, 'id' | 'immutableId'>): string => `EDSV${Buffer.from(m.immutableId ?? m.id, 'utf8').toString('base64')}`;

/** Whether `id` has the mailbox import/export API's item form. */
export const isMailboxItemId = (id: string): boolean => id.startsWith('EDSV');

/** The message behind a mailboxItem id; undefined for an id of another form or a message gone. */
export function findMailboxItem(box: MailboxRecord, id: string): MessageRecord | undefined {
  if (!isMailboxItemId(id)) return undefined;
  const key = Buffer.from(id.slice(4), 'base64').toString('utf8');
  return box.messages.find((m) => (m.immutableId ?? m.id) === key);
}

/** A new message's ids. */
export const newMessageIds = () => ({ id: newId(), immutableId: newId('AAkALg') });

/** Records that `message` leaves its folder (a delta of that folder then reports it `@removed`). */
export function noteRemoved(box: MailboxRecord, message: MessageRecord): void {
  (box.removed ??= []).push({ id: message.id, ...(message.immutableId ? { immutableId: message.immutableId } : {}), folderId: message.folderId, seq: ++box.seq });
}

/** `POST /messages/{id}/move` { destinationId }: the item in its new folder, under a new REST id. */
export function moveMessage(call: MailboxCall, req: FakeRequest, message: MessageRecord, render: (m: MessageRecord) => object): FakeResponse {
  const destination = call.data.folder(call.box, String(jsonOf(req)?.destinationId ?? ''));
  if (!destination) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  relocate(call, message, destination.id);
  return { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: render(message) };
}

/** The message in another folder under a new REST id (its immutable id stays): a move, or a soft delete. */
export function relocate(call: MailboxCall, message: MessageRecord, folderId: string): void {
  const oldPath = call.data.emlPath(call.user.id, message.id);
  noteRemoved(call.box, message);
  message.immutableId ??= message.id;
  message.id = newId();
  if (fs.existsSync(oldPath)) fs.renameSync(oldPath, call.data.emlPath(call.user.id, message.id));
  message.folderId = folderId;
  message.changeSeq = ++call.box.seq;
  call.data.saveMailbox(call.user.id);
}
