// Unit tests for assembly/binary/reader.ts: LEB128 limits, UTF-8 names,
// bounds and the sticky error. Expected values follow the spec's binary
// format (and the spec suite's binary-leb128.wast / utf8-*.wast cases).
import { Reader, validUtf8 } from "../../assembly/binary/reader";
import { Err } from "../../assembly/errors";

// Keep the bytes under test reachable from a global while a Reader points at them.
let held: u8[] = [];

function rd(bytes: u8[], pos: u32 = 0): Reader {
  held = bytes;
  return new Reader(bytes.dataStart, pos, <u32>bytes.length);
}

function utf8(bytes: u8[]): bool {
  held = bytes;
  return validUtf8(bytes.dataStart, <u32>bytes.length);
}

describe("u32 LEB128", () => {
  it("decodes one-byte values", () => {
    let r = rd([0x00, 0x7f]);
    expect<u32>(r.u32leb()).toBe(0);
    expect<u32>(r.u32leb()).toBe(127);
    expect<bool>(r.failed).toBe(false);
    expect<u32>(r.pos).toBe(2);
  });

  it("decodes multi-byte values", () => {
    let r = rd([0x80, 0x01, 0xe5, 0x8e, 0x26]);
    expect<u32>(r.u32leb()).toBe(128);
    expect<u32>(r.u32leb()).toBe(624485);
    expect<bool>(r.atEnd).toBe(true);
  });

  it("accepts the maximum: 0xFFFFFFFF in 5 bytes", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect<u32>(r.u32leb()).toBe(0xffffffff);
    expect<bool>(r.failed).toBe(false);
    expect<u32>(r.pos).toBe(5);
  });

  it("accepts a zero padded to 5 bytes", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x00]);
    expect<u32>(r.u32leb()).toBe(0);
    expect<bool>(r.failed).toBe(false);
  });

  it("rejects a 6th byte as 'integer representation too long'", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    expect<u32>(r.u32leb()).toBe(0);
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
    expect<u32>(r.errPos).toBe(0);
  });

  it("rejects unused bits in the 5th byte as 'integer too large'", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0x1f]);
    r.u32leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLarge);
    let r2 = rd([0x80, 0x80, 0x80, 0x80, 0x70]);
    r2.u32leb();
    expect<i32>(r2.err).toBe(Err.IntegerTooLarge);
    let r3 = rd([0x82, 0x80, 0x80, 0x80, 0x10]);
    r3.u32leb();
    expect<i32>(r3.err).toBe(Err.IntegerTooLarge);
  });

  it("reports a truncated LEB as 'unexpected end'", () => {
    let r = rd([0x80, 0x80]);
    expect<u32>(r.u32leb()).toBe(0);
    expect<i32>(r.err).toBe(Err.UnexpectedEnd);
    let e = rd([]);
    e.u32leb();
    expect<i32>(e.err).toBe(Err.UnexpectedEnd);
  });

  it("reports errors at the LEB's start as a module offset", () => {
    // reader covering bytes [2, 9): the overlong LEB starts at offset 3
    let r = rd([0, 0, 0x05, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 2);
    expect<u32>(r.u32leb()).toBe(5);
    r.u32leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
    expect<u32>(r.errPos).toBe(3);
  });
});

describe("u64 LEB128", () => {
  it("accepts the maximum in 10 bytes", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect<u64>(r.u64leb()).toBe(0xffffffffffffffff);
    expect<bool>(r.failed).toBe(false);
    expect<u32>(r.pos).toBe(10);
  });

  it("decodes values above 32 bits", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect<u64>(r.u64leb()).toBe(0x100000000);
  });

  it("rejects an 11th byte and unused bits of the 10th", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    r.u64leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
    let r2 = rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
    r2.u64leb();
    expect<i32>(r2.err).toBe(Err.IntegerTooLarge);
  });
});

describe("s32 LEB128", () => {
  it("sign-extends short encodings", () => {
    let r = rd([0x7f, 0x3f, 0x40, 0x80, 0x7f, 0xc0, 0xbb, 0x78]);
    expect<i32>(r.s32leb()).toBe(-1);
    expect<i32>(r.s32leb()).toBe(63);
    expect<i32>(r.s32leb()).toBe(-64);
    expect<i32>(r.s32leb()).toBe(-128);
    expect<i32>(r.s32leb()).toBe(-123456);
    expect<bool>(r.failed).toBe(false);
  });

  it("decodes the extremes in 5 bytes", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0x07, 0x80, 0x80, 0x80, 0x80, 0x78, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect<i32>(r.s32leb()).toBe(i32.MAX_VALUE);
    expect<i32>(r.s32leb()).toBe(i32.MIN_VALUE);
    expect<i32>(r.s32leb()).toBe(-1);
    expect<bool>(r.failed).toBe(false);
  });

  it("requires the unused bits of the 5th byte to copy the sign", () => {
    // 0x0f: sign bit (bit 3) set but bits 4..6 clear
    let a = rd([0xff, 0xff, 0xff, 0xff, 0x0f]);
    a.s32leb();
    expect<i32>(a.err).toBe(Err.IntegerTooLarge);
    // 0x70: sign bit clear but bits 4..6 set
    let b = rd([0x80, 0x80, 0x80, 0x80, 0x70]);
    b.s32leb();
    expect<i32>(b.err).toBe(Err.IntegerTooLarge);
    // 0x1f / 0x4f: mixed
    let c = rd([0xff, 0xff, 0xff, 0xff, 0x4f]);
    c.s32leb();
    expect<i32>(c.err).toBe(Err.IntegerTooLarge);
  });

  it("rejects a 6th byte", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    r.s32leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
  });
});

describe("s33 LEB128 (block types)", () => {
  it("reads the one-byte block types as negatives", () => {
    let r = rd([0x40, 0x7f, 0x7e, 0x70]);
    expect<i64>(r.s33leb()).toBe(-64);
    expect<i64>(r.s33leb()).toBe(-1);
    expect<i64>(r.s33leb()).toBe(-2);
    expect<i64>(r.s33leb()).toBe(-16);
  });

  it("has one more value bit than s32", () => {
    // invalid as s32, valid as s33: 0xFFFFFFFF
    let r = rd([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect<i64>(r.s33leb()).toBe(0xffffffff);
    expect<bool>(r.failed).toBe(false);
    let m = rd([0x80, 0x80, 0x80, 0x80, 0x70]);
    expect<i64>(m.s33leb()).toBe(-0x100000000);
    expect<bool>(m.failed).toBe(false);
  });

  it("rejects a 5th byte whose bits 5..6 do not copy bit 4", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x10]);
    r.s33leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLarge);
    let r2 = rd([0xff, 0xff, 0xff, 0xff, 0x2f]);
    r2.s33leb();
    expect<i32>(r2.err).toBe(Err.IntegerTooLarge);
  });
});

describe("s64 LEB128", () => {
  it("decodes the extremes in 10 bytes", () => {
    let r = rd([
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
    ]);
    expect<i64>(r.s64leb()).toBe(i64.MAX_VALUE);
    expect<i64>(r.s64leb()).toBe(i64.MIN_VALUE);
    expect<bool>(r.failed).toBe(false);
  });

  it("sign-extends a 9-byte negative", () => {
    // -2^62 = 0x80.. 8 bytes of continuation then 0x40
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    expect<i64>(r.s64leb()).toBe(-0x4000000000000000);
  });

  it("rejects unused bits of the 10th byte that do not copy the sign", () => {
    let a = rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    a.s64leb();
    expect<i32>(a.err).toBe(Err.IntegerTooLarge);
    let b = rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    b.s64leb();
    expect<i32>(b.err).toBe(Err.IntegerTooLarge);
  });

  it("rejects an 11th byte", () => {
    let r = rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    r.s64leb();
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
  });
});

describe("sticky error", () => {
  it("keeps the first error and its offset", () => {
    let r = rd([0x01, 0x80]);
    expect<u32>(r.u8()).toBe(1);
    r.u32leb(); // starts at offset 1, runs out of bytes at offset 2
    expect<i32>(r.err).toBe(Err.UnexpectedEnd);
    expect<u32>(r.errPos).toBe(2); // "unexpected end" names where the bytes ran out
    r.fail(Err.MalformedUtf8, 0);
    expect<i32>(r.err).toBe(Err.UnexpectedEnd);
    expect<u32>(r.errPos).toBe(2);
  });

  it("makes every later read return 0 without moving", () => {
    let r = rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a]);
    r.u32leb();
    expect<bool>(r.failed).toBe(true);
    expect<u32>(r.pos).toBe(r.end);
    expect<u32>(r.u8()).toBe(0);
    expect<u32>(r.u32leb()).toBe(0);
    expect<i64>(r.s64leb()).toBe(0);
    expect<u32>(r.u32le()).toBe(0);
    expect<u64>(r.u64le()).toBe(0);
    expect<u32>(r.count(1)).toBe(0);
    expect<string>(r.name()).toBe("");
    expect<u32>(r.peek()).toBe(0xffffffff);
    expect<i32>(r.err).toBe(Err.IntegerTooLong);
    expect<u32>(r.errPos).toBe(0);
  });

  it("ends a count-driven loop by itself after a failure", () => {
    let r = rd([0x03, 0x01, 0xff]); // 3 items announced, the 2nd LEB is cut short
    let n = r.u32leb();
    let seen = 0;
    for (let i: u32 = 0; i < n; i++) { r.u32leb(); seen++; }
    expect<i32>(seen).toBe(3);
    expect<i32>(r.err).toBe(Err.UnexpectedEnd);
    expect<u32>(r.errPos).toBe(3);
  });
});

describe("bounds", () => {
  it("checks fixed-width reads and skips", () => {
    let r = rd([1, 2, 3]);
    expect<u32>(r.u32le()).toBe(0);
    expect<i32>(r.err).toBe(Err.UnexpectedEnd);
    let q = rd([1, 2, 3, 4, 5, 6, 7, 8]);
    expect<u32>(q.u32le()).toBe(0x04030201);
    expect<u64>(q.u64le()).toBe(0);
    expect<bool>(q.failed).toBe(true);
    let s = rd([1, 2]);
    s.skip(2);
    expect<bool>(s.failed).toBe(false);
    s.skip(1);
    expect<i32>(s.err).toBe(Err.UnexpectedEnd);
  });

  it("peeks without consuming", () => {
    let r = rd([0x41]);
    expect<u32>(r.peek()).toBe(0x41);
    expect<u32>(r.pos).toBe(0);
    r.u8();
    expect<u32>(r.peek()).toBe(0xffffffff);
    expect<bool>(r.failed).toBe(false);
  });

  it("rejects counts the remaining bytes cannot hold, before allocation", () => {
    let ok = rd([0x02, 0xaa, 0xbb, 0xcc, 0xdd]);
    expect<u32>(ok.count(2)).toBe(2);
    expect<bool>(ok.failed).toBe(false);
    // more items than bytes from the count on: the spec's "length out of bounds"
    let tooMany = rd([0x05, 0xaa, 0xbb]);
    expect<u32>(tooMany.count(1)).toBe(0);
    expect<i32>(tooMany.err).toBe(Err.LengthOutOfBounds);
    expect<u32>(tooMany.errPos).toBe(0);
    // fits as a byte count, but not at 2 bytes per item: "unexpected end"
    let tooBig = rd([0x02, 0xaa, 0xbb]);
    expect<u32>(tooBig.count(2)).toBe(0);
    expect<i32>(tooBig.err).toBe(Err.UnexpectedEnd);
    // 0xFFFFFFFF items of 4 bytes: rejected, no 32-bit overflow on the way
    let huge = rd([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00, 0x00, 0x00]);
    expect<u32>(huge.count(4)).toBe(0);
    expect<i32>(huge.err).toBe(Err.LengthOutOfBounds);
    // 0x40000001 * 4 wraps to 4 in u32 arithmetic: must still be rejected
    let wrap = rd([0x81, 0x80, 0x80, 0x80, 0x04, 0x00, 0x00, 0x00, 0x00]);
    expect<u32>(wrap.count(4)).toBe(0);
    expect<bool>(wrap.failed).toBe(true);
  });

  it("checks byte lengths against the bytes left", () => {
    let ok = rd([0x02, 0xaa, 0xbb]);
    expect<u32>(ok.length()).toBe(2);
    expect<u32>(ok.pos).toBe(1);
    let past = rd([0x04, 0xaa, 0xbb]);
    expect<u32>(past.length()).toBe(0);
    expect<i32>(past.err).toBe(Err.LengthOutOfBounds);
    expect<u32>(past.errPos).toBe(0);
    // counted from the length field it fits, from after it it does not
    let edge = rd([0x03, 0xaa, 0xbb]);
    expect<u32>(edge.length()).toBe(0);
    expect<i32>(edge.err).toBe(Err.UnexpectedEnd);
  });
});

describe("UTF-8 names", () => {
  it("reads ASCII and multi-byte names", () => {
    let r = rd([0x03, 0x61, 0x62, 0x63, 0x02, 0xc3, 0xa9, 0x03, 0xe2, 0x82, 0xac, 0x04, 0xf0, 0x90, 0x8d, 0x88, 0x00]);
    expect<string>(r.name()).toBe("abc");
    expect<string>(r.name()).toBe("é");
    expect<string>(r.name()).toBe("€");
    expect<string>(r.name()).toBe("𐍈");
    expect<string>(r.name()).toBe("");
    expect<bool>(r.failed).toBe(false);
    expect<bool>(r.atEnd).toBe(true);
  });

  it("rejects a length past the end", () => {
    let r = rd([0x05, 0x61, 0x62]);
    expect<string>(r.name()).toBe("");
    expect<i32>(r.err).toBe(Err.LengthOutOfBounds);
    let r2 = rd([0x03, 0x61, 0x62]);
    expect<string>(r2.name()).toBe("");
    expect<i32>(r2.err).toBe(Err.UnexpectedEnd);
  });

  it("rejects malformed UTF-8 with 'malformed UTF-8 encoding'", () => {
    let r = rd([0x02, 0xc0, 0x80]);
    expect<string>(r.name()).toBe("");
    expect<i32>(r.err).toBe(Err.MalformedUtf8);
  });

  it("accepts the boundaries of each sequence length", () => {
    expect<bool>(utf8([0x7f])).toBe(true);
    expect<bool>(utf8([0xc2, 0x80])).toBe(true);            // U+0080
    expect<bool>(utf8([0xdf, 0xbf])).toBe(true);            // U+07FF
    expect<bool>(utf8([0xe0, 0xa0, 0x80])).toBe(true);      // U+0800
    expect<bool>(utf8([0xed, 0x9f, 0xbf])).toBe(true);      // U+D7FF
    expect<bool>(utf8([0xee, 0x80, 0x80])).toBe(true);      // U+E000
    expect<bool>(utf8([0xef, 0xbf, 0xbf])).toBe(true);      // U+FFFF
    expect<bool>(utf8([0xf0, 0x90, 0x80, 0x80])).toBe(true); // U+10000
    expect<bool>(utf8([0xf4, 0x8f, 0xbf, 0xbf])).toBe(true); // U+10FFFF
    expect<bool>(utf8([])).toBe(true);
  });

  it("rejects overlongs, surrogates, out-of-range and broken sequences", () => {
    expect<bool>(utf8([0xc0, 0x80])).toBe(false);             // overlong NUL
    expect<bool>(utf8([0xc1, 0xbf])).toBe(false);             // overlong U+007F
    expect<bool>(utf8([0xe0, 0x9f, 0xbf])).toBe(false);       // overlong U+07FF
    expect<bool>(utf8([0xf0, 0x8f, 0xbf, 0xbf])).toBe(false); // overlong U+FFFF
    expect<bool>(utf8([0xed, 0xa0, 0x80])).toBe(false);       // U+D800
    expect<bool>(utf8([0xed, 0xbf, 0xbf])).toBe(false);       // U+DFFF
    expect<bool>(utf8([0xf4, 0x90, 0x80, 0x80])).toBe(false); // U+110000
    expect<bool>(utf8([0xf8, 0x88, 0x80, 0x80, 0x80])).toBe(false); // 5-byte form
    expect<bool>(utf8([0xff])).toBe(false);
    expect<bool>(utf8([0x80])).toBe(false);                   // lone continuation
    expect<bool>(utf8([0xc3])).toBe(false);                   // truncated at end
    expect<bool>(utf8([0xe2, 0x82])).toBe(false);
    expect<bool>(utf8([0xf0, 0x90, 0x8d])).toBe(false);
    expect<bool>(utf8([0xc3, 0x41])).toBe(false);             // bad continuation
    expect<bool>(utf8([0xe2, 0x82, 0xc0])).toBe(false);
  });

  it("does not read past the name's length", () => {
    // the name is 1 byte (0xc3); the 0xa9 after it belongs to the next field
    let r = rd([0x01, 0xc3, 0xa9]);
    r.name();
    expect<i32>(r.err).toBe(Err.MalformedUtf8);
  });
});
