// Writing a precompiled image of a loaded module (format.ts). Full build only.

import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { IR_VERSION, Ir, irLength } from "../compile/ir";
import { fuelTableHash } from "../exec/fuel";
import { crc32 } from "../state/hash";
import { IMAGE_MAGIC, IMAGE_VERSION, IMAGE_FLAG_METERED, IMAGE_HEADER_BYTES } from "./format";

/** What an image holds besides its header: the code with portable type ids, ready to write. */
export class ImageParts {
  cm: CompiledModule;
  code: StaticArray<u32>;
  info: StaticArray<u32>;
  size: u32 = 0;

  constructor(cm: CompiledModule) {
    this.cm = cm;
    this.code = portableCode(cm);
    this.info = portableInfo(cm);
    this.size = IMAGE_HEADER_BYTES + 4 + ((<u32>cm.module.bytes.byteLength + 3) & ~3)
      + packedSize(this.code) + packedSize(this.info) + packedSize(cm.side) + 4;
  }
}

/** Writes the image at `p` (parts.size bytes); returns its length. */
export function writeImage(parts: ImageParts, p: usize): u32 {
  let cm = parts.cm;
  store<u32>(p, IMAGE_MAGIC);
  store<u32>(p, IMAGE_VERSION, 4);
  store<u32>(p, IR_VERSION, 8);
  store<u32>(p, fuelTableHash(), 12);
  store<u32>(p, cm.metered ? IMAGE_FLAG_METERED : 0, 16);
  store<u32>(p, parts.size, 20);
  store<u64>(p, cm.hash, 24);
  let at = p + IMAGE_HEADER_BYTES;
  let modLen = <u32>cm.module.bytes.byteLength;
  store<u32>(at, modLen);
  memory.copy(at + 4, changetype<usize>(cm.module.bytes), modLen);
  let padded = (modLen + 3) & ~3;
  memory.fill(at + 4 + modLen, 0, padded - modLen);
  at += 4 + padded;
  at = putWords(at, parts.code);
  at = putWords(at, parts.info);
  at = putWords(at, cm.side);
  store<u32>(at, crc32(p, at - p));
  return parts.size;
}

// Word arrays are stored as a u32 count and one unsigned LEB128 per word:
// most words are small (op numbers, frame offsets), so this is about a third
// of the words' size, and the device build unpacks them once, at load.

function packedSize(a: StaticArray<u32>): u32 {
  let n: u32 = 4;
  for (let i = 0; i < a.length; i++) n += lebSize(a[i]);
  return n;
}

@inline function lebSize(v: u32): u32 {
  return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
}

function putWords(at: usize, a: StaticArray<u32>): usize {
  store<u32>(at, <u32>a.length);
  at += 4;
  for (let i = 0; i < a.length; i++) {
    let v = a[i];
    while (v >= 0x80) { store<u8>(at++, <u8>(v | 0x80)); v >>>= 7; }
    store<u8>(at++, <u8>v);
  }
  return at;
}

// Canonical type ids are numbered per process (runtime/types.ts), so the
// image holds module type indices where the code holds canonical ids; the
// reader maps them back with its own registry.

/** The code with each call_indirect's canonical id replaced by a type index. */
function portableCode(cm: CompiledModule): StaticArray<u32> {
  let code = cm.code;
  let out = StaticArray.slice<u32>(code);
  let pos = 0;
  while (pos < code.length) {
    if (code[pos] == <u32>Ir.CallIndirect) out[pos + 1] = typeIndexOf(cm, code[pos + 1]);
    pos += <i32>irLength(code, pos);
  }
  return out;
}

/** The function table with word 5 (canonical id) replaced by the function's type index. */
function portableInfo(cm: CompiledModule): StaticArray<u32> {
  let out = StaticArray.slice<u32>(cm.funcInfo);
  let idx = cm.module.funcTypeIdx;
  for (let i = 0; i < idx.length; i++) out[i * <i32>FUNC_INFO_WORDS + 5] = idx[i];
  return out;
}

function typeIndexOf(cm: CompiledModule, canon: u32): u32 {
  let tc = cm.typeCanon;
  for (let i = 0; i < tc.length; i++) if (tc[i] == canon) return <u32>i;
  return 0xFFFFFFFF; // not reached: every id in the code came from this module's types
}
