// Counting bare LFs (a LF not preceded by CR): a probe's size and fingerprint count each as CRLF
// (fingerprint.ts). Buffer.indexOf per LF costs ~14 ns a call, and a mail body has a LF every ~78
// bytes: 50-55 ms of a pass of 50 x 3.6 MB (2.3 million calls). A WebAssembly SIMD loop compares 16
// bytes at a time with LF, and the 16 bytes one before with CR: ~20 ms for the same bytes, the copy
// into its memory (in 32 KiB steps, still in the CPU's cache) included. Where WebAssembly or its
// SIMD is missing, the indexOf loop counts, with the same result.

const CR = 0x0d;
const LF = 0x0a;

/** The indexOf loop: bare LFs of `bytes`, `before` the byte just before them (-1: none, the start of the message). */
function countByIndexOf(bytes: Buffer, before: number): number {
  let bare = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) if ((i === 0 ? before : bytes[i - 1]) !== CR) bare++;
  return bare;
}

/*
 * The module, hand-assembled (its text form):
 *   (module
 *     (memory (export "m") 1)
 *     (func (export "c") (param $len i32) (result i32)
 *       (local $end i32) (local $p i32) (local $n i32) (local $lf v128) (local $cr v128)
 *       (local.set $p (i32.const 16))
 *       (local.set $end (i32.add (local.get $len) (i32.const 16)))
 *       (local.set $lf (i8x16.splat (i32.const 10)))
 *       (local.set $cr (i8x16.splat (i32.const 13)))
 *       (block (loop
 *         (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *         (local.set $n (i32.add (local.get $n) (i32.popcnt (i8x16.bitmask (v128.andnot
 *           (i8x16.eq (v128.load (local.get $p)) (local.get $lf))
 *           (i8x16.eq (v128.load (i32.sub (local.get $p) (i32.const 1))) (local.get $cr)))))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *         (br 0)))
 *       (local.get $n)))
 * The bytes are at 16, the byte before them at 15; the 16 after them are not LF (the last step
 * reads up to 15 bytes past the end).
 */
const MODULE = [
  '0061736d01000000', // magic, version
  '01060160017f017f', // type 0: (i32) -> i32
  '03020100', // function 0 has type 0
  '0503010001', // one memory, 1 page (64 KiB)
  '0709020163000001', // exports: "c" function 0,
  '6d0200', // "m" memory 0
  '0a5801', // code: one body
  '56', // of 86 bytes
  '02037f027b', // locals: 3 x i32, 2 x v128
  '41102102', // p = 16
  '200041106a2101', // end = len + 16
  '410afd0f2104', // lf = splat 10
  '410dfd0f2105', // cr = splat 13
  '02400340', // block, loop
  '200220014f0d01', // br_if 1 (p >= end)
  '2003', // n
  '2002fd0000002004fd23', // eq(load p, lf)
  '200241016bfd0000002005fd23', // eq(load (p - 1), cr)
  'fd4ffd64696a2103', // n += popcnt(bitmask(andnot))
  '200241106a2102', // p += 16
  '0c000b0b', // br 0, end, end
  '20030b', // n, end
].join('');

/** Bytes counted per call: the copy stays in the CPU's cache (the module's memory is 64 KiB). */
const STEP = 32 * 1024;
const DATA = 16;

interface Scanner {
  count: (length: number) => number;
  memory: Uint8Array;
}

let scanner: Scanner | null | undefined;

/** The WebAssembly scanner, compiled on first use; null where it cannot be (no WebAssembly, no SIMD). */
function wasmScanner(): Scanner | null {
  if (scanner !== undefined) return scanner;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(MODULE, 'hex')));
    const exports = instance.exports as { c: (length: number) => number; m: WebAssembly.Memory };
    scanner = { count: exports.c, memory: new Uint8Array(exports.m.buffer) };
  } catch {
    scanner = null;
  }
  return scanner;
}

/**
 * The LFs of `bytes` not preceded by CR. `before`: the byte just before `bytes` (a CR there makes a
 * LF at their start no bare LF); -1 when they start the message.
 */
export function countBareLineFeeds(bytes: Uint8Array, before = -1): number {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wasm = wasmScanner();
  if (!wasm) return countByIndexOf(data, before);
  const memory = wasm.memory;
  let bare = 0;
  for (let at = 0; at < data.length; at += STEP) {
    const part = data.subarray(at, at + STEP);
    memory[DATA - 1] = at === 0 ? (before === CR ? CR : 0) : data[at - 1];
    memory.set(part, DATA);
    memory.fill(0, DATA + part.length, DATA + part.length + 16);
    bare += wasm.count(part.length);
  }
  return bare;
}

/** For tests: counts with the indexOf loop, as where WebAssembly is missing. */
export const bareLineFeedsByIndexOf = (bytes: Buffer, before = -1): number => countByIndexOf(bytes, before);

/** For tests: whether the WebAssembly scanner counts here. */
export const bareLineFeedsInWasm = (): boolean => wasmScanner() !== null;
