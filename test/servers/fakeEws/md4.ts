// MD4 (RFC 1320), which NTLM's NT hash needs and Node's OpenSSL 3 no longer offers.
export function md4(input: Buffer): Buffer {
  const len = input.length;
  const padLen = ((len + 8) >> 6) * 64 + 64;
  const msg = Buffer.alloc(padLen);
  input.copy(msg);
  msg[len] = 0x80;
  const bits = len * 8;
  msg.writeUInt32LE(bits >>> 0, padLen - 8);
  msg.writeUInt32LE(Math.floor(bits / 0x100000000) >>> 0, padLen - 4);
  let a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
  const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
  const F = (x: number, y: number, z: number) => (x & y) | (~x & z);
  const G = (x: number, y: number, z: number) => (x & y) | (x & z) | (y & z);
  const H = (x: number, y: number, z: number) => x ^ y ^ z;
  const X = new Array<number>(16);
  for (let off = 0; off < padLen; off += 64) {
    for (let i = 0; i < 16; i++) X[i] = msg.readUInt32LE(off + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const r1 = [3, 7, 11, 19];
    for (let i = 0; i < 16; i++) {
      const t = (a + F(b, c, d) + X[i]) >>> 0;
      [a, b, c, d] = [d, rotl(t, r1[i % 4]), b, c];
    }
    const r2 = [3, 5, 9, 13];
    const o2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
    for (let i = 0; i < 16; i++) {
      const t = (a + G(b, c, d) + X[o2[i]] + 0x5a827999) >>> 0;
      [a, b, c, d] = [d, rotl(t, r2[i % 4]), b, c];
    }
    const r3 = [3, 9, 11, 15];
    const o3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
    for (let i = 0; i < 16; i++) {
      const t = (a + H(b, c, d) + X[o3[i]] + 0x6ed9eba1) >>> 0;
      [a, b, c, d] = [d, rotl(t, r3[i % 4]), b, c];
    }
    a = (a + aa) >>> 0; b = (b + bb) >>> 0; c = (c + cc) >>> 0; d = (d + dd) >>> 0;
  }
  const out = Buffer.alloc(16);
  out.writeUInt32LE(a, 0); out.writeUInt32LE(b, 4); out.writeUInt32LE(c, 8); out.writeUInt32LE(d, 12);
  return out;
}
