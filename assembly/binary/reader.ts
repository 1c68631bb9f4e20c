// A bounds-checked reader over a byte range, with a sticky error.
//
// AssemblyScript's `throw` aborts the whole interpreter, so decode errors
// cannot unwind. Instead the first failure is recorded (code + byte offset)
// and every later read returns 0 without moving. Callers check `failed`
// where a bad value would do harm (before allocating by a count, before
// looping, at the end of a section); a loop driven by a count read after a
// failure sees 0 and ends on its own.
//
//   base                  pos                         end
//   |---------------------|---------------------------|
//   offsets reported in errors are (pos - origin): the byte offset in the
//   whole module, whatever sub-range this reader covers.

import { Err } from "../errors";

export class Reader {
  /** Address of byte 0 of the module in interpreter memory. */
  base: usize;
  /** Current offset from base. */
  pos: u32;
  /** End offset (exclusive) of the range this reader may read. */
  end: u32;
  err: Err = Err.None;
  errPos: u32 = 0;

  constructor(base: usize, pos: u32, end: u32) {
    this.base = base;
    this.pos = pos;
    this.end = end;
  }

  @inline get failed(): bool { return this.err != Err.None; }
  @inline get atEnd(): bool { return this.pos >= this.end; }
  @inline get remaining(): u32 { return this.pos < this.end ? this.end - this.pos : 0; }

  /** Record the first error; later ones are ignored. Reads stop advancing. */
  fail(code: Err, at: u32 = 0xFFFFFFFF): void {
    if (this.err != Err.None) return;
    this.err = code;
    this.errPos = at == 0xFFFFFFFF ? this.pos : at;
    this.pos = this.end;
  }

  u8(): u32 {
    if (this.pos >= this.end) { this.fail(Err.UnexpectedEnd); return 0; }
    let v = <u32>load<u8>(this.base + this.pos);
    this.pos++;
    return v;
  }

  /** Peek the next byte without consuming; 0xFFFFFFFF at end. */
  peek(): u32 {
    if (this.pos >= this.end) return 0xFFFFFFFF;
    return <u32>load<u8>(this.base + this.pos);
  }

  u32le(): u32 {
    if (this.end - this.pos < 4 || this.pos > this.end) { this.fail(Err.UnexpectedEnd); return 0; }
    let v = load<u32>(this.base + this.pos);
    this.pos += 4;
    return v;
  }

  u64le(): u64 {
    if (this.end - this.pos < 8 || this.pos > this.end) { this.fail(Err.UnexpectedEnd); return 0; }
    let v = load<u64>(this.base + this.pos);
    this.pos += 8;
    return v;
  }

  /** Skip n bytes; fails with UnexpectedEnd if fewer remain. */
  skip(n: u32): void {
    if (n > this.remaining) { this.fail(Err.UnexpectedEnd); return; }
    this.pos += n;
  }

  /** Unsigned LEB128 of at most `bits` bits (spec: ceil(bits/7) bytes). */
  uleb(bits: u32): u64 {
    let result: u64 = 0;
    let shift: u32 = 0;
    let start = this.pos;
    while (true) {
      if (this.pos >= this.end) { this.fail(Err.UnexpectedEnd); return 0; }
      let b = <u64>load<u8>(this.base + this.pos);
      this.pos++;
      if (shift + 7 >= bits) {
        // last permitted byte: no continuation, and unused bits must be zero
        if (b & 0x80) { this.fail(Err.IntegerTooLong, start); return 0; }
        let used = bits - shift;
        if (used < 7 && (b >> used) != 0) { this.fail(Err.IntegerTooLarge, start); return 0; }
        result |= b << shift;
        return result;
      }
      result |= (b & 0x7F) << shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  }

  /** Signed LEB128 of at most `bits` bits; the unused bits of the last byte must sign-extend. */
  sleb(bits: u32): i64 {
    let result: i64 = 0;
    let shift: u32 = 0;
    let start = this.pos;
    while (true) {
      if (this.pos >= this.end) { this.fail(Err.UnexpectedEnd); return 0; }
      let b = <i64>load<u8>(this.base + this.pos);
      this.pos++;
      if (shift + 7 >= bits) {
        if (b & 0x80) { this.fail(Err.IntegerTooLong, start); return 0; }
        let used = bits - shift; // bits of this byte that carry value (1..7)
        if (used < 7) {
          // bits [used-1 .. 6] must all equal the sign bit
          let mask: i64 = (0x7F >> (used - 1)) << (used - 1);
          let rest = b & mask;
          if (rest != 0 && rest != mask) { this.fail(Err.IntegerTooLarge, start); return 0; }
        }
        result |= b << shift;
        // sign-extend from bit (shift + 7)
        let total = shift + 7;
        if (total < 64) result = (result << (64 - total)) >> (64 - total);
        return result;
      }
      result |= (b & 0x7F) << shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (shift < 64 && (b & 0x40)) result |= (<i64>-1) << shift;
        return result;
      }
    }
  }

  @inline u32leb(): u32 { return <u32>this.uleb(32); }
  @inline u64leb(): u64 { return this.uleb(64); }
  @inline s32leb(): i32 { return <i32>this.sleb(32); }
  @inline s33leb(): i64 { return this.sleb(33); }
  @inline s64leb(): i64 { return this.sleb(64); }

  /**
   * A vector length that will be followed by at least `minItemBytes` bytes
   * per item: reject counts the remaining bytes cannot hold, before anyone
   * allocates by them. Like the spec, a count larger than the bytes from
   * the count field on is "length out of bounds"; one that only leaves too
   * few bytes for its items is "unexpected end".
   */
  count(minItemBytes: u32 = 1): u32 {
    let at = this.pos;
    let n = this.u32leb();
    if (this.failed) return 0;
    if (n > this.end - at) { this.fail(Err.LengthOutOfBounds, at); return 0; }
    if (<u64>n * <u64>minItemBytes > <u64>this.remaining) {
      this.fail(Err.UnexpectedEnd, at);
      return 0;
    }
    return n;
  }

  /**
   * A byte length (of a name, a section, a body, a data payload) that must
   * fit in what remains: "length out of bounds" past the bytes from the
   * length field on (the spec's check), else "unexpected end" if it runs
   * past this reader's end.
   */
  length(): u32 {
    let at = this.pos;
    let n = this.u32leb();
    if (this.failed) return 0;
    if (n > this.end - at) { this.fail(Err.LengthOutOfBounds, at); return 0; }
    if (n > this.remaining) { this.fail(Err.UnexpectedEnd); return 0; }
    return n;
  }

  /** A UTF-8 name: length + bytes; validates UTF-8. Returns "" on failure. */
  name(): string {
    let len = this.length();
    if (this.failed) return "";
    let start = this.base + this.pos;
    if (!validUtf8(start, len)) { this.fail(Err.MalformedUtf8); return ""; }
    this.pos += len;
    return String.UTF8.decodeUnsafe(start, len);
  }
}

/** Strict UTF-8 check (no overlongs, no surrogates, max U+10FFFF). */
export function validUtf8(p: usize, len: u32): bool {
  let end = p + len;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (c < 0x80) { p++; continue; }
    let n: u32 = 0;
    let min: u32 = 0;
    let cp: u32 = 0;
    if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (end - p <= <usize>n) return false;
    for (let i: u32 = 1; i <= n; i++) {
      let d = <u32>load<u8>(p + i);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}
