// Shared pieces of the differential fuzzer (fuzz/run.mjs): seeded randomness,
// the argument pools, how values and traps are written down so that the V8
// side and the wrt side can be compared as plain strings.
//
// Observable behaviour of one call (both sides produce the same shape):
//   { name, outcome: "ok" | "trap" | "exception" | "skip", results: [str],
//     trap: class | null, logs: [str] }
// A value is written "<type>:<bits in hex>", except a NaN: "<type>:nan"
// (NaN bits are not compared: V8 hands NaNs to JS as a JS number, and its
// arithmetic NaNs are the host CPU's, not our canonical ones; see
// fuzz/README.md).

import { createHash } from "node:crypto";
import { seededRandom } from "../../host-shims/node/dist/index.js";

/**
 * What is kept of a memory for the comparison: its size, a SHA-256, and a
 * copy of the bytes when it is at most 16 MiB (bigger ones compare by hash:
 * no NaN tolerance there, and no copies of up to 1 GiB between threads).
 */
export function memoryImage(view) {
  const hash = createHash("sha256").update(view).digest("hex");
  return { size: view.length, hash, bytes: view.length <= (16 << 20) ? view.slice() : null };
}

/** mulberry32 as u32 words (the Node API's seededRandom gives them divided by 2^32). */
export function rng(seed) {
  const f = seededRandom(seed);
  return () => f() * 4294967296;
}

/** A 32-bit hash of a few integers (seeds per module and per call). */
export function mix(...xs) {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);

export function f32Bits(x) { f32buf[0] = x; return u32buf[0]; }
export function bitsF32(b) { u32buf[0] = Number(b) >>> 0; return f32buf[0]; }
export function f64Bits(x) { f64buf[0] = x; return u64buf[0]; }
export function bitsF64(b) { u64buf[0] = BigInt.asUintN(64, BigInt(b)); return f64buf[0]; }

const isNaN32 = (b) => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
const isNaN64 = (b) => (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n;

/** A value from its bit pattern (bigint; refs: 0 = null). */
export function showBits(type, bits) {
  bits = BigInt(bits);
  switch (type) {
    case "i32": return `i32:${BigInt.asUintN(32, bits).toString(16)}`;
    case "i64": return `i64:${BigInt.asUintN(64, bits).toString(16)}`;
    case "f32": { const b = Number(BigInt.asUintN(32, bits)); return isNaN32(b) ? "f32:nan" : `f32:${b.toString(16)}`; }
    case "f64": { const b = BigInt.asUintN(64, bits); return isNaN64(b) ? "f64:nan" : `f64:${b.toString(16)}`; }
    default: return `${type}:${bits === 0n ? "null" : "ref"}`;
  }
}

/** A value as V8 hands it to JS (number, bigint, function/object/null). */
export function showJs(type, v) {
  switch (type) {
    case "i32": return showBits(type, BigInt(v | 0));
    case "i64": return showBits(type, BigInt(v));
    case "f32": return Number.isNaN(v) ? "f32:nan" : showBits(type, BigInt(f32Bits(v)));
    case "f64": return Number.isNaN(v) ? "f64:nan" : showBits(type, f64Bits(v));
    default: return `${type}:${v === null ? "null" : "ref"}`;
  }
}

/** Trap codes of assembly/exec/trap.ts -> the classes both sides are compared by. */
const WRT_TRAP_CLASS = {
  1: "unreachable", 2: "memory", 3: "table", 4: "indirect", 5: "indirect", 6: "indirect",
  7: "div-by-zero", 8: "overflow", 9: "conversion", 10: "stack", 11: "host", 12: "memory", 13: "table",
};
export const wrtTrapClass = (code) => WRT_TRAP_CLASS[code] ?? `wrt-code-${code}`;

/**
 * V8's RuntimeError messages -> the same classes. V8 reports a null entry and
 * a signature mismatch of call_indirect with one message, so both are
 * "indirect" on our side too (codes 4, 5, 6).
 */
const V8_TRAPS = [
  [/unreachable/, "unreachable"],
  [/memory access out of bounds|data segment.*out of bounds|out of bounds memory|memory.*too large/i, "memory"],
  [/table index is out of bounds|table.*out of bounds|element segment.*out of bounds|out of bounds table/i, "table"],
  [/null function|signature mismatch|function signature/i, "indirect"],
  [/divide by zero|remainder by zero/, "div-by-zero"],
  [/divide result unrepresentable/, "overflow"],
  [/float unrepresentable/, "conversion"],
];
export function v8TrapClass(message) {
  for (const [re, cls] of V8_TRAPS) if (re.test(message)) return cls;
  return `v8:${message}`;
}

const I32_POOL = [0, 1, -1, 2, 3, 7, 8, 16, 255, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 65535 * 16, -2];
const I64_POOL = [0n, 1n, -1n, 2n, 7n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, -0x8000000000000000n, 0x100000000n];
const F_POOL = [0, -0, 1, -1, 0.5, -1.5, 2, 1e10, -1e10, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 2.2250738585072014e-308, 4294967296, -2147483649];

/**
 * Deterministic argument bits for a parameter list: mostly from the pools
 * (edge values), sometimes random. Floats are never NaN: V8 would pass a NaN
 * argument through JS with bits of its own choosing. References are null.
 */
export function makeArgs(params, seed) {
  const r = rng(seed);
  const pick = (pool) => pool[r() % pool.length];
  return params.map((t) => {
    const fresh = r() % 4 === 0;
    switch (t) {
      case "i32": return BigInt.asUintN(32, BigInt(fresh ? r() | 0 : pick(I32_POOL)));
      case "i64": return BigInt.asUintN(64, fresh ? (BigInt(r()) << 32n) | BigInt(r()) : pick(I64_POOL));
      case "f32": { const v = fresh ? (r() / 65536 - 32768) : pick(F_POOL); return BigInt(f32Bits(v)); }
      case "f64": { const v = fresh ? (r() / 1024 - 2097152) : pick(F_POOL); return f64Bits(v); }
      default: return 0n;
    }
  });
}

/** Argument bits -> the JS values V8 gets for them. */
export function argToJs(type, bits) {
  switch (type) {
    case "i32": return Number(BigInt.asIntN(32, bits));
    case "i64": return BigInt.asIntN(64, bits);
    case "f32": return bitsF32(bits);
    case "f64": return bitsF64(bits);
    default: return null;
  }
}

/** Limits both sides apply identically. */
export const LIMITS = {
  /** Host -> guest nesting (call-export inside call-export ...): deeper is "skip" on both sides. */
  maxNest: 24,
  /**
   * wrt's default per-instance page limit (config key 3): memory.grow past it
   * returns -1 in wrt but succeeds in V8 (up to 65536 pages). A V8 call that
   * leaves memory 0 bigger is "skip": the embedder limit, not a difference.
   */
  maxPages: 16384,
};
