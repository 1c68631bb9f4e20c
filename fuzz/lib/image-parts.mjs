// A precompiled image taken apart and put back together (docs/image-format.md):
// shared by the image fuzzer (fuzz/images.mjs) and the tests (tests/node/support.mjs).

import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { crc32, moduleHash } = await import(path.join(root, "host-shims/node/dist/index.js"));

/** The parts of an image: header bytes, module, the three word arrays, and where each array starts. */
export function imageParts(image) {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const modLen = dv.getUint32(32, true);
  let at = 36 + ((modLen + 3) & ~3);
  const arrays = [];
  const starts = [];
  for (let k = 0; k < 3; k++) {
    starts.push(at);
    const n = dv.getUint32(at, true);
    at += 4;
    const words = new Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0, shift = 0, b;
      do { b = image[at++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      words[i] = v;
    }
    arrays.push(words);
  }
  return { header: image.slice(0, 32), module: image.slice(36, 36 + modLen), code: arrays[0], info: arrays[1], side: arrays[2], starts };
}

/**
 * An image from parts, with its length field and CRC made right; with `rehash`
 * also the header's module hash (the fuzzer's crafted module parts), without it
 * the header is kept as given (tests that check a stale hash is refused).
 */
export function buildImage({ header, module, code, info, side }, { rehash = false } = {}) {
  const bytes = [...header];
  if (rehash) {
    const hash = moduleHash(module);
    for (let i = 0; i < 8; i++) bytes[24 + i] = Number((hash >> BigInt(8 * i)) & 0xffn);
  }
  const u32 = (v) => bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(module.length);
  bytes.push(...module);
  while (bytes.length % 4) bytes.push(0);
  for (const words of [code, info, side]) {
    u32(words.length);
    for (let v of words) {
      v >>>= 0;
      while (v >= 0x80) { bytes.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
      bytes.push(v);
    }
  }
  const out = new Uint8Array(bytes.length + 4);
  out.set(bytes);
  const dv = new DataView(out.buffer);
  dv.setUint32(20, out.length, true);
  dv.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}
