// Server side of NTLM (MS-NLMP): builds the CHALLENGE (Type 2) message and verifies an NTLMv2
// AUTHENTICATE (Type 3) message against a stored password. Connection-bound, as IIS does it.
import * as crypto from 'node:crypto';
import { md4 } from './md4';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');
const F_UNICODE = 0x1, F_REQUEST_TARGET = 0x4, F_NTLM = 0x200, F_ALWAYS_SIGN = 0x8000, F_TARGET_TYPE_DOMAIN = 0x10000;
const F_EXTENDED_SESSIONSECURITY = 0x80000, F_TARGET_INFO = 0x800000, F_VERSION = 0x2000000, F_128 = 0x20000000, F_56 = 0x80000000;

export interface NtlmNegotiate { flags: number }
export interface NtlmAuthenticate { user: string; domain: string; workstation: string; ntResponse: Buffer; lmResponse: Buffer; flags: number }

export function messageType(token: Buffer): number | undefined {
  if (token.length < 12 || !token.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return token.readUInt32LE(8);
}

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

/** A CHALLENGE message for a negotiate flag set; `challenge` is 8 random bytes. */
export function challengeMessage(negotiateFlags: number, challenge: Buffer, netbiosDomain: string, netbiosServer: string, dnsDomain: string): Buffer {
  const target = Buffer.from(netbiosDomain, 'utf16le');
  const fileTime = (BigInt(Date.now()) + 11644473600000n) * 10000n;
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE(fileTime);
  const info = Buffer.concat([
    avPair(2, Buffer.from(netbiosDomain, 'utf16le')),
    avPair(1, Buffer.from(netbiosServer, 'utf16le')),
    avPair(4, Buffer.from(dnsDomain, 'utf16le')),
    avPair(3, Buffer.from(`${netbiosServer.toLowerCase()}.${dnsDomain}`, 'utf16le')),
    avPair(5, Buffer.from(dnsDomain, 'utf16le')),
    avPair(7, ts),
    avPair(0, Buffer.alloc(0)),
  ]);
  const flags = (F_UNICODE | F_REQUEST_TARGET | F_NTLM | F_ALWAYS_SIGN | F_TARGET_TYPE_DOMAIN | F_EXTENDED_SESSIONSECURITY | F_TARGET_INFO | F_VERSION | F_128 | F_56 | (negotiateFlags & 0x40000000)) >>> 0;
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(target.length, 12);
  header.writeUInt16LE(target.length, 14);
  header.writeUInt32LE(56, 16);
  header.writeUInt32LE(flags, 20);
  challenge.copy(header, 24);
  // 32..39 reserved
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(56 + target.length, 44);
  // Version: Windows Server 2016 (10.0 build 14393), NTLM revision 15.
  header.writeUInt8(10, 48);
  header.writeUInt8(0, 49);
  header.writeUInt16LE(14393, 50);
  header.writeUInt8(15, 55);
  return Buffer.concat([header, target, info]);
}

function field(token: Buffer, at: number): Buffer {
  const len = token.readUInt16LE(at);
  const off = token.readUInt32LE(at + 4);
  if (len === 0) return Buffer.alloc(0);
  if (off + len > token.length) throw new Error('NTLM field out of range');
  return token.subarray(off, off + len);
}

export function parseNegotiate(token: Buffer): NtlmNegotiate {
  return { flags: token.length >= 16 ? token.readUInt32LE(12) : 0 };
}

export function parseAuthenticate(token: Buffer): NtlmAuthenticate {
  if (token.length < 52 || messageType(token) !== 3) throw new Error('not an NTLM AUTHENTICATE message');
  const flags = token.length >= 64 ? token.readUInt32LE(60) : 0;
  // The flags of the message decide the string encoding; clients that omit them send Unicode
  // when the server offered it, which the fake always does.
  const unicode = flags === 0 || (flags & F_UNICODE) !== 0;
  const str = (b: Buffer) => b.toString(unicode ? 'utf16le' : 'latin1');
  return {
    lmResponse: field(token, 12),
    ntResponse: field(token, 20),
    domain: str(field(token, 28)),
    user: str(field(token, 36)),
    workstation: str(field(token, 44)),
    flags,
  };
}

export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const nt = md4(Buffer.from(password, 'utf16le'));
  return crypto.createHmac('md5', nt).update(Buffer.from(user.toUpperCase() + domain, 'utf16le')).digest();
}

/** True when the NTLMv2 response proves knowledge of `password` for this challenge. */
export function verifyNtlmV2(auth: NtlmAuthenticate, serverChallenge: Buffer, password: string): boolean {
  if (auth.ntResponse.length <= 24) return false; // NTLMv1 responses are refused (LmCompatibilityLevel 5)
  const proof = auth.ntResponse.subarray(0, 16);
  const blob = auth.ntResponse.subarray(16);
  const key = ntowfv2(password, auth.user, auth.domain);
  const expected = crypto.createHmac('md5', key).update(Buffer.concat([serverChallenge, blob])).digest();
  return crypto.timingSafeEqual(expected, proof);
}

/** MsvAvChannelBindings (MS-NLMP 2.2.2.1). */
export const MSV_AV_CHANNEL_BINDINGS = 0x000a;

/** The AV pairs of an NTLMv2 response's client blob (after NTProofStr and 28 bytes of blob header). */
export function clientAvPairs(auth: NtlmAuthenticate): Map<number, Buffer> {
  const pairs = new Map<number, Buffer>();
  const blob = auth.ntResponse;
  for (let at = 16 + 28; at + 4 <= blob.length;) {
    const id = blob.readUInt16LE(at);
    const length = blob.readUInt16LE(at + 2);
    if (id === 0) break;
    pairs.set(id, blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return pairs;
}

/**
 * What MsvAvChannelBindings must hold on a TLS connection with this server certificate (DER):
 * MD5 of a gss_channel_bindings_struct without addresses whose application data is RFC 5929's
 * "tls-server-end-point:" + SHA-256 of the certificate (the fake's certificates are signed with
 * ECDSA SHA-256, whose hash RFC 5929 takes).
 */
export function expectedChannelBindings(certificateDer: Buffer): Buffer {
  const data = Buffer.concat([Buffer.from('tls-server-end-point:'), crypto.createHash('sha256').update(certificateDer).digest()]);
  const struct = Buffer.alloc(20 + data.length);
  struct.writeUInt32LE(data.length, 16);
  data.copy(struct, 20);
  return crypto.createHash('md5').update(struct).digest();
}
