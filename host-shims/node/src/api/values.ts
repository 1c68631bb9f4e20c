// Wasm values <-> 8-byte slots (docs/embedding-api.md, "Values").
//
// Two paths:
// - the JS path: i32 -> number, i64 -> bigint, f32/f64 -> number,
//   funcref -> Func | null, externref -> any JS value | null;
// - the raw path: every value is its bit pattern as a bigint (v128 is a
//   128-bit bigint). NaN payloads survive only on the raw path (a JS number
//   NaN may be canonicalized), so `RawValue` is accepted wherever a value is.
//
// Slot layout: i32 in the low 4 bytes (upper bytes zero), i64 as is, f32/f64
// as IEEE-754 bits, funcref as store function address + 1 (0 = null),
// externref as a host-chosen non-zero number (0 = null), v128 as two slots
// (low 64 bits first).

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref";
export type RefType = "funcref" | "externref";

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

/** Binary encodings of value types. */
export const VALTYPE_BYTE: Record<ValType, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

export function valTypeFromByte(b: number): ValType {
  switch (b) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
  }
  throw new RangeError(`unknown value type byte 0x${b.toString(16)}`);
}

export function isValType(s: string): s is ValType {
  return s in VALTYPE_BYTE;
}

/** A value given by its exact bit pattern (unsigned bigint). */
export class RawValue {
  constructor(readonly type: ValType, readonly bits: bigint) {}
  toString(): string {
    return `${this.type}:0x${this.bits.toString(16)}`;
  }
}

/** Anything the JS path accepts or produces as a Wasm value. */
export type Value = number | bigint | null | RawValue | object | unknown;

/** Maps references to slot bits and back (provided by the engine's externs). */
export interface RefContext {
  funcToBits(v: unknown): bigint;
  funcFromBits(bits: bigint): unknown;
  externToBits(v: unknown): bigint;
  externFromBits(bits: bigint): unknown;
}

const MASK32 = 0xffffffffn;
const MASK64 = 0xffffffffffffffffn;

const scratch = new DataView(new ArrayBuffer(8));

export function f32ToBits(x: number): bigint {
  scratch.setFloat32(0, x, true);
  return BigInt(scratch.getUint32(0, true));
}
export function bitsToF32(bits: bigint): number {
  scratch.setUint32(0, Number(bits & MASK32), true);
  return scratch.getFloat32(0, true);
}
export function f64ToBits(x: number): bigint {
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}
export function bitsToF64(bits: bigint): number {
  scratch.setBigUint64(0, bits & MASK64, true);
  return scratch.getFloat64(0, true);
}

/** Number of 8-byte slots a value of this type takes. */
export function slotCount(t: ValType): number {
  return t === "v128" ? 2 : 1;
}

function toBigIntExact(v: unknown, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  throw new TypeError(`expected an integer for ${what}, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

/** JS value -> bit pattern (unsigned bigint) of type `t`. */
export function encodeValue(t: ValType, v: unknown, refs: RefContext): bigint {
  if (v instanceof RawValue) {
    if (v.type !== t) throw new TypeError(`expected a ${t} value, got a raw ${v.type}`);
    return t === "v128" ? BigInt.asUintN(128, v.bits) : BigInt.asUintN(64, v.bits);
  }
  switch (t) {
    case "i32":
      return BigInt.asUintN(32, toBigIntExact(v, "i32"));
    case "i64":
      return BigInt.asUintN(64, toBigIntExact(v, "i64"));
    case "f32":
      if (typeof v !== "number") throw new TypeError(`expected a number for f32, got ${describe(v)}`);
      return f32ToBits(v);
    case "f64":
      if (typeof v !== "number") throw new TypeError(`expected a number for f64, got ${describe(v)}`);
      return f64ToBits(v);
    case "v128":
      return BigInt.asUintN(128, toBigIntExact(v, "v128"));
    case "funcref":
      return v === null || v === undefined ? 0n : refs.funcToBits(v);
    case "externref":
      return v === null || v === undefined ? 0n : refs.externToBits(v);
  }
}

/** Bit pattern of type `t` -> JS value. */
export function decodeValue(t: ValType, bits: bigint, refs: RefContext): unknown {
  switch (t) {
    case "i32":
      return Number(BigInt.asIntN(32, bits));
    case "i64":
      return BigInt.asIntN(64, bits);
    case "f32":
      return bitsToF32(bits);
    case "f64":
      return bitsToF64(bits);
    case "v128":
      return new RawValue("v128", BigInt.asUintN(128, bits));
    case "funcref":
      return bits === 0n ? null : refs.funcFromBits(bits);
    case "externref":
      return bits === 0n ? null : refs.externFromBits(bits);
  }
}

/** Values' bit patterns -> 8-byte slots (v128 -> two slots, low half first). */
export function toSlots(types: readonly ValType[], bits: readonly bigint[]): bigint[] {
  if (types.length !== bits.length) {
    throw new TypeError(`expected ${types.length} values, got ${bits.length}`);
  }
  const slots: bigint[] = [];
  types.forEach((t, i) => {
    const b = bits[i]!;
    if (t === "v128") {
      slots.push(b & MASK64, (b >> 64n) & MASK64);
    } else if (t === "i32" || t === "f32") {
      slots.push(b & MASK32);
    } else {
      slots.push(b & MASK64);
    }
  });
  return slots;
}

/** 8-byte slots -> values' bit patterns. */
export function fromSlots(types: readonly ValType[], slots: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  let k = 0;
  for (const t of types) {
    if (t === "v128") {
      const lo = slots[k++] ?? 0n;
      const hi = slots[k++] ?? 0n;
      out.push((hi << 64n) | lo);
    } else if (t === "i32" || t === "f32") {
      out.push((slots[k++] ?? 0n) & MASK32);
    } else {
      out.push(slots[k++] ?? 0n);
    }
  }
  return out;
}

export function totalSlots(types: readonly ValType[]): number {
  let n = 0;
  for (const t of types) n += slotCount(t);
  return n;
}

// ---- text forms (CLI) ----

/** Shortest decimal text that reads back as the same f32. */
export function formatF32(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0";
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

export function formatF64(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

// v128 text: a lane shape and its lanes, lane 0 first (memory order), as
// `i32x4:1 2 3 4`; or the 128-bit integer (`0x...`, lane 0 in the low bits).
const V128_SHAPES: Record<string, { bits: number; float?: "f32" | "f64" }> = {
  i8x16: { bits: 8 }, i16x8: { bits: 16 }, i32x4: { bits: 32 }, i64x2: { bits: 64 },
  f32x4: { bits: 32, float: "f32" }, f64x2: { bits: 64, float: "f64" },
};

/** `i32x4:1 2 3 4`: the lanes of a v128 in one shape, lane 0 first (integers signed). */
export function formatV128Lanes(bits: bigint, shape: keyof typeof V128_SHAPES): string {
  const s = V128_SHAPES[shape]!;
  const lanes: string[] = [];
  for (let i = 0; i < 128 / s.bits; i++) {
    const lane = BigInt.asUintN(s.bits, bits >> BigInt(i * s.bits));
    if (s.float === "f32") lanes.push(formatF32(bitsToF32(lane)));
    else if (s.float === "f64") lanes.push(formatF64(bitsToF64(lane)));
    else lanes.push(String(BigInt.asIntN(s.bits, lane)));
  }
  return `${shape}:${lanes.join(" ")}`;
}

/** v128 text -> bits: `[v128:]SHAPE:l0 l1 ...` (spaces or commas), or `[v128:]0x...` / decimal (the 128-bit integer). */
export function parseV128(text: string): bigint {
  const body = text.trim().replace(/^v128:/i, "");
  const m = /^(i8x16|i16x8|i32x4|i64x2|f32x4|f64x2):(.*)$/i.exec(body);
  if (!m) return BigInt.asUintN(128, parseIntText(body, "v128"));
  const shape = m[1]!.toLowerCase();
  const s = V128_SHAPES[shape]!;
  const lanes = m[2]!.split(/[\s,]+/).filter(Boolean);
  const n = 128 / s.bits;
  if (lanes.length !== n) throw new TypeError(`v128 ${shape} needs ${n} lanes, got ${lanes.length}: ${JSON.stringify(text)}`);
  let bits = 0n;
  lanes.forEach((l, i) => {
    let v: bigint;
    if (s.float === "f32") v = f32ToBits(parseFloatText(l));
    else if (s.float === "f64") v = f64ToBits(parseFloatText(l));
    else {
      v = parseIntText(l, `${shape} lane`);
      if (v < -(1n << BigInt(s.bits - 1)) || v >= 1n << BigInt(s.bits)) throw new RangeError(`${shape} lane out of range: ${l}`);
    }
    bits |= BigInt.asUintN(s.bits, v) << BigInt(i * s.bits);
  });
  return bits;
}

/** `TYPE:VALUE` text of a value given by its bits (i32/i64 signed decimal; v128 as i32x4 lanes, lane 0 first). */
export function formatTyped(t: ValType, bits: bigint): string {
  switch (t) {
    case "i32":
      return `i32:${BigInt.asIntN(32, bits)}`;
    case "i64":
      return `i64:${BigInt.asIntN(64, bits)}`;
    case "f32":
      return `f32:${formatF32(bitsToF32(bits))}`;
    case "f64":
      return `f64:${formatF64(bitsToF64(bits))}`;
    case "v128":
      return `v128:${formatV128Lanes(bits, "i32x4")}`;
    case "funcref":
    case "externref":
      return bits === 0n ? `${t}:null` : `${t}:${bits}`;
  }
}

function parseFloatText(text: string): number {
  const s = text.trim().toLowerCase();
  if (s === "nan" || s === "+nan") return NaN;
  if (s === "-nan") return -NaN;
  if (s === "inf" || s === "+inf" || s === "infinity") return Infinity;
  if (s === "-inf" || s === "-infinity") return -Infinity;
  const n = Number(s);
  if (Number.isNaN(n)) throw new TypeError(`not a number: ${JSON.stringify(text)}`);
  return n;
}

function parseIntText(text: string, what: string): bigint {
  const s = text.trim();
  const neg = s.startsWith("-");
  const body = neg || s.startsWith("+") ? s.slice(1) : s;
  if (!/^(0x[0-9a-f_]+|[0-9_]+)$/i.test(body)) throw new TypeError(`not an integer for ${what}: ${JSON.stringify(text)}`);
  const v = BigInt(body.replace(/_/g, ""));
  return neg ? -v : v;
}

/** Command-line text -> bits of type `t` (integers: signed or unsigned decimal or 0x hex). */
export function parseTyped(t: ValType, text: string): bigint {
  switch (t) {
    case "i32": {
      const v = parseIntText(text, t);
      if (v < -(1n << 31n) || v >= 1n << 32n) throw new RangeError(`i32 out of range: ${text}`);
      return BigInt.asUintN(32, v);
    }
    case "i64": {
      const v = parseIntText(text, t);
      if (v < -(1n << 63n) || v >= 1n << 64n) throw new RangeError(`i64 out of range: ${text}`);
      return BigInt.asUintN(64, v);
    }
    case "f32":
      return f32ToBits(parseFloatText(text));
    case "f64":
      return f64ToBits(parseFloatText(text));
    case "v128":
      return parseV128(text);
    case "funcref":
    case "externref":
      if (text === "null") return 0n;
      return BigInt.asUintN(64, parseIntText(text, t));
  }
}
