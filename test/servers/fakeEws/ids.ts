// Exchange-looking ids: base64 of a small binary record naming the kind, the mailbox and the
// local id, so an id taken from one mailbox keeps pointing at that mailbox when used by a delegate.
export interface DecodedId { kind: 'item' | 'folder'; mailbox: string; local: string }

export function encodeId(kind: 'item' | 'folder', mailbox: string, local: string): string {
  const mb = Buffer.from(mailbox.toLowerCase(), 'utf8');
  const head = Buffer.alloc(5);
  head.writeUInt8(0x46, 0); // 'F' for the fake
  head.writeUInt8(1, 1); // version
  head.writeUInt8(kind === 'item' ? 0x49 : 0x46, 2);
  head.writeUInt16LE(mb.length, 3);
  return Buffer.concat([head, mb, Buffer.from(local, 'utf8')]).toString('base64');
}

export function decodeId(id: string): DecodedId | undefined {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return undefined;
  const buf = Buffer.from(id, 'base64');
  if (buf.length < 6 || buf.readUInt8(0) !== 0x46 || buf.readUInt8(1) !== 1) return undefined;
  const k = buf.readUInt8(2);
  if (k !== 0x49 && k !== 0x46) return undefined;
  const len = buf.readUInt16LE(3);
  if (5 + len >= buf.length) return undefined;
  return { kind: k === 0x49 ? 'item' : 'folder', mailbox: buf.subarray(5, 5 + len).toString('utf8'), local: buf.subarray(5 + len).toString('utf8') };
}

export function changeKey(seq: number): string {
  const b = Buffer.alloc(12);
  b.write('CQAA', 0, 'latin1');
  b.writeUInt32LE(seq, 4);
  return b.toString('base64');
}
