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
import { Reader } from "../binary/reader";
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
  if (len < IMAGE_MIN_BYTES || !isImage(p, len)) {
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

  // The module and the three word arrays, each checked against what remains.
  let r = new Reader(p, IMAGE_HEADER_BYTES, len - 4);
  let modLen = r.u32le();
  let padded = (<u64>modLen + 3) & ~3;
  if (r.failed || padded > <u64>r.remaining) return bad(Err.ImageCorrupt, IMAGE_HEADER_BYTES, "module longer than the image");
  if (modLen > limits.maxModuleBytes) return bad(Err.LimitExceeded, IMAGE_HEADER_BYTES, "module larger than the configured limit");
  let modAt = r.pos;
  r.skip(<u32>padded);
  let code = words(r);
  let info = words(r);
  let side = words(r);
  if (r.failed) return bad(Err.ImageCorrupt, r.errPos, r.err == Err.LengthOutOfBounds ? "array longer than the image" : "truncated or malformed word");
  if (!r.atEnd) return bad(Err.ImageCorrupt, r.pos, "bytes after the fuel side table");

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

/** A u32 count and that many LEB128 words (format.ts); on any problem `r` fails. */
function words(r: Reader): StaticArray<u32> {
  let n = r.u32le();
  // every word takes at least one byte
  if (n > r.remaining) { r.fail(Err.LengthOutOfBounds, r.pos - 4); n = 0; }
  let a = new StaticArray<u32>(n);
  for (let i: u32 = 0; i < n; i++) unchecked(a[i] = r.u32leb());
  return a;
}

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
