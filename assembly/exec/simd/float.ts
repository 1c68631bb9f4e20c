// Float lane ops. Arithmetic results have canonical NaNs (docs/determinism.md);
// abs and neg work on the bits and keep payloads; pmin/pmax return one of
// their inputs unchanged (the spec defines them as a select). All lane-wise.

import { canon32, canon64, mask32, mask64 } from "./v128";

// ---------------------------------------------------------------- compares

export function f32x4Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) == load<f32>(b + i))); }
export function f32x4Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) != load<f32>(b + i))); }
export function f32x4Lt(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) < load<f32>(b + i))); }
export function f32x4Gt(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) > load<f32>(b + i))); }
export function f32x4Le(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) <= load<f32>(b + i))); }
export function f32x4Ge(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<f32>(a + i) >= load<f32>(b + i))); }
export function f64x2Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) == load<f64>(b + i))); }
export function f64x2Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) != load<f64>(b + i))); }
export function f64x2Lt(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) < load<f64>(b + i))); }
export function f64x2Gt(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) > load<f64>(b + i))); }
export function f64x2Le(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) <= load<f64>(b + i))); }
export function f64x2Ge(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<f64>(a + i) >= load<f64>(b + i))); }

// ---------------------------------------------------------------- sign bits

export function f32x4Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<u32>(a + i) & 0x7FFFFFFF); }
export function f32x4Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<u32>(a + i) ^ 0x80000000); }
export function f64x2Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<u64>(a + i) & 0x7FFFFFFFFFFFFFFF); }
export function f64x2Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<u64>(a + i) ^ 0x8000000000000000); }

// ---------------------------------------------------------------- rounding, sqrt

export function f32x4Ceil(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(ceil<f32>(load<f32>(a + i)))); }
export function f32x4Floor(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(floor<f32>(load<f32>(a + i)))); }
export function f32x4Trunc(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(trunc<f32>(load<f32>(a + i)))); }
export function f32x4Nearest(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(nearest<f32>(load<f32>(a + i)))); }
export function f32x4Sqrt(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(sqrt<f32>(load<f32>(a + i)))); }
export function f64x2Ceil(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(ceil<f64>(load<f64>(a + i)))); }
export function f64x2Floor(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(floor<f64>(load<f64>(a + i)))); }
export function f64x2Trunc(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(trunc<f64>(load<f64>(a + i)))); }
export function f64x2Nearest(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(nearest<f64>(load<f64>(a + i)))); }
export function f64x2Sqrt(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(sqrt<f64>(load<f64>(a + i)))); }

// ---------------------------------------------------------------- arithmetic

export function f32x4Add(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(load<f32>(a + i) + load<f32>(b + i))); }
export function f32x4Sub(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(load<f32>(a + i) - load<f32>(b + i))); }
export function f32x4Mul(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(load<f32>(a + i) * load<f32>(b + i))); }
export function f32x4Div(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(load<f32>(a + i) / load<f32>(b + i))); }
export function f32x4Min(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(min<f32>(load<f32>(a + i), load<f32>(b + i)))); }
export function f32x4Max(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, canon32(max<f32>(load<f32>(a + i), load<f32>(b + i)))); }
export function f64x2Add(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(load<f64>(a + i) + load<f64>(b + i))); }
export function f64x2Sub(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(load<f64>(a + i) - load<f64>(b + i))); }
export function f64x2Mul(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(load<f64>(a + i) * load<f64>(b + i))); }
export function f64x2Div(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(load<f64>(a + i) / load<f64>(b + i))); }
export function f64x2Min(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(min<f64>(load<f64>(a + i), load<f64>(b + i)))); }
export function f64x2Max(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, canon64(max<f64>(load<f64>(a + i), load<f64>(b + i)))); }

/** pmin: b < a ? b : a, the chosen input's bits unchanged. */
export function f32x4Pmin(d: usize, a: usize, b: usize): void {
  for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<f32>(b + i) < load<f32>(a + i) ? load<u32>(b + i) : load<u32>(a + i));
}
/** pmax: a < b ? b : a. */
export function f32x4Pmax(d: usize, a: usize, b: usize): void {
  for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<f32>(a + i) < load<f32>(b + i) ? load<u32>(b + i) : load<u32>(a + i));
}
export function f64x2Pmin(d: usize, a: usize, b: usize): void {
  for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<f64>(b + i) < load<f64>(a + i) ? load<u64>(b + i) : load<u64>(a + i));
}
export function f64x2Pmax(d: usize, a: usize, b: usize): void {
  for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<f64>(a + i) < load<f64>(b + i) ? load<u64>(b + i) : load<u64>(a + i));
}
