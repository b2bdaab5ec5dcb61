// Extended Protection for NTLM over HTTPS (channel binding, as patched Exchange 2016/2019 asks):
// the NTLMv2 AUTHENTICATE message carries MsvAvChannelBindings (MS-NLMP 2.2.2.1), the MD5 of a
// gss_channel_bindings_struct whose application data is RFC 5929's tls-server-end-point binding:
// "tls-server-end-point:" followed by the hash of the server's certificate, with the hash function
// of the certificate's signature algorithm (SHA-256 when that is MD5 or SHA-1).
import { createHash } from 'node:crypto';

const MSV_AV_EOL = 0x0000;
const MSV_AV_CHANNEL_BINDINGS = 0x000a;

/** One DER element: its tag, where its content starts and ends. */
function element(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  if (tag === undefined || start + length > der.length) throw new Error('malformed certificate (DER)');
  return { tag, start, end: start + length };
}

function oid(der: Buffer, at: number): string {
  const e = element(der, at);
  if (e.tag !== 0x06) throw new Error('malformed certificate (no algorithm identifier)');
  const bytes = der.subarray(e.start, e.end);
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Hash of each signature algorithm (and of RSASSA-PSS's hashAlgorithm parameter). */
const HASH_OF: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5', '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', '1.2.840.10045.4.3.1': 'sha224', '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
  '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.4': 'sha224', '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** The hash function of a DER certificate's signatureAlgorithm, as RFC 5929 4.1 picks it. */
export function endPointHash(der: Buffer): string {
  const certificate = element(der, 0);
  const tbs = element(der, certificate.start);
  const algorithm = element(der, tbs.end);
  const id = oid(der, algorithm.start);
  let hash = HASH_OF[id];
  if (id === RSASSA_PSS) {
    // RSASSA-PSS-params: [0] hashAlgorithm (SHA-1 when absent).
    const params = element(der, element(der, algorithm.start).end);
    const first = params.start < params.end ? element(der, params.start) : undefined;
    hash = first?.tag === 0xa0 ? HASH_OF[oid(der, element(der, first.start).start)] : 'sha1';
  }
  return !hash || hash === 'md5' || hash === 'sha1' ? 'sha256' : hash;
}

/** RFC 5929 tls-server-end-point channel binding data of a server certificate (DER). */
export function tlsServerEndPoint(der: Buffer): Buffer {
  return Buffer.concat([Buffer.from('tls-server-end-point:', 'ascii'), createHash(endPointHash(der)).update(der).digest()]);
}

/** MsvAvChannelBindings' value: MD5 of the gss_channel_bindings_struct (no addresses) around `applicationData`. */
export function channelBindingsHash(applicationData: Buffer): Buffer {
  const head = Buffer.alloc(20); // initiator type and address length, acceptor type and address length: 0; then the data's length
  head.writeUInt32LE(applicationData.length, 16);
  return createHash('md5').update(head).update(applicationData).digest();
}

/** A CHALLENGE message's target info (AV pairs) with MsvAvChannelBindings put before MsvAvEOL. */
export function withChannelBindings(targetInfo: Buffer, bindings: Buffer): Buffer {
  const pairs: Buffer[] = [];
  for (let at = 0; at + 4 <= targetInfo.length;) {
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    if (id === MSV_AV_EOL) break;
    if (id !== MSV_AV_CHANNEL_BINDINGS) pairs.push(targetInfo.subarray(at, at + 4 + length));
    at += 4 + length;
  }
  const pair = Buffer.alloc(4 + bindings.length);
  pair.writeUInt16LE(MSV_AV_CHANNEL_BINDINGS, 0);
  pair.writeUInt16LE(bindings.length, 2);
  bindings.copy(pair, 4);
  return Buffer.concat([...pairs, pair, Buffer.alloc(4)]);
}
