// Reading a precompiled image (format.ts) into a CompiledModule.
//
// Everything is checked before the module is registered: header, versions,
// the fuel cost table, the length and the CRC; the module bytes are decoded
// (not validated: the host validated them when it compiled the image); the
// code must split exactly into ops, and every function must start at one.
// The CRC catches corruption in transit; it is not a signature. An image is
// compiled code and is trusted like the firmware itself (docs/image-format.md).

import { Err, lastError } from "../errors";
import { decodeModule } from "../binary/decoder";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { IR_VERSION, Ir, irWords } from "../compile/ir";
import { fuelTableHash } from "../exec/fuel";
import { limits } from "../runtime/limits";
import { crc32, fnv1a64 } from "../state/hash";
import { IMAGE_MAGIC, IMAGE_VERSION, IMAGE_HEADER_BYTES, IMAGE_FLAG_METERED, IMAGE_MIN_BYTES } from "./format";

/** Does the buffer start like an image (rather than a .wasm)? */
export function isImage(p: usize, len: u32): bool {
  return len >= 4 && load<u32>(p) == IMAGE_MAGIC;
}

function bad(code: Err, at: u32, what: string): CompiledModule | null {
  lastError.set(code, <i64>at, what);
  return null;
}

/** Reads the image of `len` bytes at `p`; null with lastError set if it is refused. */
export function readImage(p: usize, len: u32): CompiledModule | null {
  if (len < IMAGE_MIN_BYTES || load<u32>(p) != IMAGE_MAGIC) {
    return bad(Err.ImageMagic, 0, len >= 4 && load<u32>(p) == 0x6D736100
      ? "this is a .wasm module; this build loads only images made by `wrt compile`"
      : "no image header");
  }
  if (load<u32>(p, 4) != IMAGE_VERSION) return bad(Err.ImageVersion, 4, "image format version " + load<u32>(p, 4).toString());
  if (load<u32>(p, 8) != IR_VERSION) {
    return bad(Err.ImageVersion, 8, "internal-code version " + load<u32>(p, 8).toString() + ", this interpreter runs " + IR_VERSION.toString());
  }
  if (load<u32>(p, 20) != len) return bad(Err.ImageCorrupt, 20, "length field " + load<u32>(p, 20).toString() + ", image has " + len.toString() + " bytes");
  if (crc32(p, len - 4) != load<u32>(p + len - 4)) return bad(Err.ImageChecksum, len - 4, "");
  if (load<u32>(p, 12) != fuelTableHash()) return bad(Err.ImageVersion, 12, "compiled against another fuel cost table");
  let metered = (load<u32>(p, 16) & IMAGE_FLAG_METERED) != 0;
  if (metered != limits.fuelMetering) {
    return bad(Err.ImageVersion, 16, metered ? "compiled with fuel metering, which this interpreter has off"
                                             : "compiled without fuel metering, which this interpreter has on");
  }

  // The four length-prefixed parts, each checked against what remains.
  let end = len - 4;
  let at = IMAGE_HEADER_BYTES;
  let modLen = load<u32>(p + at);
  if (<u64>((<u64>modLen + 3) & ~3) + 4 > <u64>(end - at)) return bad(Err.ImageCorrupt, at, "module longer than the image");
  if (modLen > limits.maxModuleBytes) return bad(Err.LimitExceeded, at, "module larger than the configured limit");
  let modAt = at + 4;
  let x = new Cursor();
  x.at = modAt + ((modLen + 3) & ~3);
  let code = words(p, x, end); if (!code) return null;
  let info = words(p, x, end); if (!info) return null;
  let side = words(p, x, end); if (!side) return null;
  if (x.at != end) return bad(Err.ImageCorrupt, x.at, "bytes after the fuel side table");

  let bytes = new ArrayBuffer(modLen);
  memory.copy(changetype<usize>(bytes), p + modAt, modLen);
  if (fnv1a64(changetype<usize>(bytes), modLen) != load<u64>(p, 24)) return bad(Err.ImageCorrupt, 24, "module hash does not match its bytes");
  let m = decodeModule(bytes);
  if (!m) {
    // Point at the byte in the image, not in the module.
    lastError.offset += <i64>modAt;
    lastError.detail = "in the image's module" + (lastError.detail.length > 0 ? ", " + lastError.detail : "");
    return null;
  }
  let cm = new CompiledModule(m);
  cm.hash = load<u64>(p, 24);
  cm.metered = metered;
  cm.code = code;
  cm.funcInfo = info;
  cm.side = side;
  return cm;
}

/**
 * A u32 count and that many LEB128 words from `at` (format.ts); null with
 * lastError set if they run past `end` or a word is malformed. `x.at` gets
 * the position after them.
 */
function words(p: usize, x: Cursor, end: u32): StaticArray<u32> | null {
  let at = x.at;
  if (at > end || end - at < 4) { bad(Err.ImageCorrupt, at, "truncated"); return null; }
  let n = load<u32>(p + at);
  at += 4;
  // every word takes at least one byte
  if (n > end - at) { bad(Err.ImageCorrupt, at - 4, "array longer than the image"); return null; }
  let a = new StaticArray<u32>(n);
  for (let i: u32 = 0; i < n; i++) {
    let v: u32 = 0;
    let shift: u32 = 0;
    let b: u32;
    do {
      if (at >= end || shift > 28) { bad(Err.ImageCorrupt, at, "malformed word"); return null; }
      b = load<u8>(p + at++);
      if (shift == 28 && b > 0x0F) { bad(Err.ImageCorrupt, at - 1, "malformed word"); return null; }
      v |= (b & 0x7F) << shift;
      shift += 7;
    } while (b & 0x80);
    unchecked(a[i] = v);
  }
  x.at = at;
  return a;
}

class Cursor { at: u32 = 0; }

/**
 * After the module's types are interned (cm.typeCanon set): checks the code
 * splits into ops and every function starts at one, and maps the image's
 * type indices back to this interpreter's canonical ids. False with
 * lastError set (offset: the word's byte offset in the code) if not.
 */
export function linkImageCode(cm: CompiledModule): bool {
  let code = cm.code;
  let n = code.length;
  let tc = cm.typeCanon;
  let starts = new StaticArray<u8>(n + 1);
  let pos = 0;
  while (pos < n) {
    let op = code[pos];
    if (op >= <u32>Ir.Count) return codeBad(pos, "unknown op " + op.toString());
    let len = op == <u32>Ir.BrTable ? (pos + 2 < n ? 4 + code[pos + 2] : 0xFFFFFFFF) : irWords(op);
    if (len == 0 || <u64>pos + <u64>len > <u64>n) return codeBad(pos, "op runs past the end of the code");
    if (op == <u32>Ir.CallIndirect) {
      let t = code[pos + 1];
      if (t >= <u32>tc.length) return codeBad(pos, "call_indirect names type " + t.toString());
      code[pos + 1] = tc[t];
    }
    starts[pos] = 1;
    pos += <i32>len;
  }
  let info = cm.funcInfo;
  let idx = cm.module.funcTypeIdx;
  if (<u32>info.length != <u32>idx.length * FUNC_INFO_WORDS) return codeBad(0, "function table does not match the module's functions");
  for (let i = 0; i < idx.length; i++) {
    let b = i * <i32>FUNC_INFO_WORDS;
    let off = info[b], after = info[b + 7];
    if ((off & 3) != 0 || (off >> 2) >= <u32>n || !starts[off >> 2]) return codeBad(0, "function " + i.toString() + " does not start at an op");
    if ((after & 3) != 0 || (after >> 2) >= <u32>n || !starts[after >> 2]) return codeBad(0, "function " + i.toString() + " entry block ends inside an op");
    info[b + 5] = tc[idx[i]];
  }
  cm.opStartMap = starts;
  return true;
}

function codeBad(pos: i32, what: string): bool {
  lastError.set(Err.ImageCorrupt, <i64>pos << 2, "code: " + what);
  return false;
}
