// Writing a precompiled image of a loaded module (format.ts). Full build only.

import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { IR_VERSION, Ir, irLength } from "../compile/ir";
import { fuelTableHash } from "../exec/fuel";
import { crc32 } from "../state/hash";
import { IMAGE_MAGIC, IMAGE_VERSION, IMAGE_FLAG_METERED } from "./format";

/** Bytes of the image of `cm`. */
export function imageSize(cm: CompiledModule): u32 {
  let modLen = <u32>cm.module.bytes.byteLength;
  return 32 + 4 + ((modLen + 3) & ~3) + 4 + ((<u32>cm.code.length) << 2)
    + 4 + ((<u32>cm.funcInfo.length) << 2) + 4 + ((<u32>cm.side.length) << 2) + 4;
}

/** Writes the image of `cm` at `p` (imageSize(cm) bytes); returns its length. */
export function writeImage(cm: CompiledModule, p: usize): u32 {
  let total = imageSize(cm);
  store<u32>(p, IMAGE_MAGIC);
  store<u32>(p, IMAGE_VERSION, 4);
  store<u32>(p, IR_VERSION, 8);
  store<u32>(p, fuelTableHash(), 12);
  store<u32>(p, cm.metered ? IMAGE_FLAG_METERED : 0, 16);
  store<u32>(p, total, 20);
  store<u64>(p, cm.hash, 24);
  let at = p + 32;
  let modLen = <u32>cm.module.bytes.byteLength;
  store<u32>(at, modLen);
  memory.copy(at + 4, changetype<usize>(cm.module.bytes), modLen);
  let padded = (modLen + 3) & ~3;
  memory.fill(at + 4 + modLen, 0, padded - modLen);
  at += 4 + padded;
  let codeAt = at;
  at = putWords(at, cm.code);
  portableTypeIds(cm, codeAt + 4);
  let infoAt = at;
  at = putWords(at, cm.funcInfo);
  portableFuncTypes(cm, infoAt + 4);
  at = putWords(at, cm.side);
  store<u32>(at, crc32(p, at - p));
  return total;
}

function putWords(at: usize, a: StaticArray<u32>): usize {
  let bytes = (<usize>a.length) << 2;
  store<u32>(at, <u32>a.length);
  memory.copy(at + 4, changetype<usize>(a), bytes);
  return at + 4 + bytes;
}

// Canonical type ids are numbered per process (runtime/types.ts), so the
// image holds module type indices where the code holds canonical ids; the
// reader maps them back with its own registry.

/** In the copied code at `p`: each call_indirect's canonical id -> a type index. */
function portableTypeIds(cm: CompiledModule, p: usize): void {
  let code = cm.code;
  let pos = 0;
  while (pos < code.length) {
    if (code[pos] == <u32>Ir.CallIndirect) {
      store<u32>(p + ((<usize>pos + 1) << 2), typeIndexOf(cm, code[pos + 1]));
    }
    pos += <i32>irLength(code, pos);
  }
}

/** In the copied function table at `p`: word 5 (canonical id) -> the function's type index. */
function portableFuncTypes(cm: CompiledModule, p: usize): void {
  let idx = cm.module.funcTypeIdx;
  for (let i = 0; i < idx.length; i++) {
    store<u32>(p + ((<usize>i * FUNC_INFO_WORDS + 5) << 2), idx[i]);
  }
}

function typeIndexOf(cm: CompiledModule, canon: u32): u32 {
  let tc = cm.typeCanon;
  for (let i = 0; i < tc.length; i++) if (tc[i] == canon) return <u32>i;
  return 0xFFFFFFFF; // not reached: every id in the code came from this module's types
}
