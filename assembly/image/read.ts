// Reading a precompiled image (format.ts) into a CompiledModule.
//
// Everything is checked before the module is registered: header, versions,
// the fuel cost table, the length and the CRC; the module bytes are decoded
// (not validated: the host validated them when it compiled the image); then
// verify.ts checks every word of the code and its tables, so that whatever
// its bytes, an accepted image stays inside its instance (docs/image-format.md,
// "Trust"). The CRC only catches corruption in transit.

import { Err, lastError } from "../errors";
import { decodeModule } from "../binary/decoder";
import { Reader } from "../binary/reader";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { IR_VERSION } from "../compile/ir";
import { verifyImageCode } from "./verify";
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

/** `what` and the value found (one concatenation site: flash is short on the device build). */
function badV(code: Err, at: u32, what: string, v: u32): CompiledModule | null {
  return bad(code, at, what + v.toString());
}

/** Reads the image of `len` bytes at `p`; null with lastError set if it is refused. */
export function readImage(p: usize, len: u32): CompiledModule | null {
  if (len < IMAGE_MIN_BYTES || !isImage(p, len)) {
    return bad(Err.ImageMagic, 0, len >= 4 && load<u32>(p) == 0x6D736100
      ? "this is a .wasm module; this build loads only images made by `wrt compile`"
      : "no image header");
  }
  if (load<u32>(p, 4) != IMAGE_VERSION) return badV(Err.ImageVersion, 4, "image format version ", load<u32>(p, 4));
  if (load<u32>(p, 8) != IR_VERSION) return badV(Err.ImageVersion, 8, "this interpreter runs another internal-code version than the image's ", load<u32>(p, 8));
  if (load<u32>(p, 20) != len) return badV(Err.ImageCorrupt, 20, "length field differs from the image's length: ", load<u32>(p, 20));
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
    // (the detail stays the decoder's; the offset says it is in the module part)
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
 * After the module's types are interned (cm.typeCanon set): verifies the
 * code (verify.ts), which also maps the image's type indices to this
 * interpreter's canonical ids. False with lastError set if refused.
 */
export function linkImageCode(cm: CompiledModule): bool {
  return verifyImageCode(cm);
}
