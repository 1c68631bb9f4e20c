// v128 loads and stores: effective address in 64 bits (i32 address + the
// memarg offset), bounds checked against the memory's byte length before
// anything is written. Arguments per docs/internal-code.md "Ops past 256":
// (memory base, memory bytes, result slot?, operand slots, offset, lane?).

import { Trap } from "../trap";
import { put } from "./v128";

/** The guest address of an access of `size` bytes at i32 slot `a` + `off`, or -1 when out of bounds. */
@inline function addr(a: usize, off: u32, size: u64, memBytes: u64): i64 {
  let ea = <u64>load<u32>(a) + <u64>off;
  return ea + size > memBytes ? -1 : <i64>ea;
}

export function v128Load(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 16, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  put(d, load<u64>(p), load<u64>(p, 8));
  return Trap.None;
}

/** v128.load of ((x << shift) + imm, wrapping at 32 bits as i32.shl/add do) + off (V128LoadAdd). */
export function v128LoadAdd(mem: usize, memBytes: u64, d: usize, x: usize, imm: u32, off: u32, shift: u32): Trap {
  let base: u32 = (load<u32>(x) << shift) + imm; // a u32 of its own: inside <u64>(...) AssemblyScript would compute it in 64 bits
  let ea = <u64>base + <u64>off;
  if (ea + 16 > memBytes) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  put(d, load<u64>(p), load<u64>(p, 8));
  return Trap.None;
}

export function v128Store(mem: usize, memBytes: u64, a: usize, v: usize, off: u32): Trap {
  let ea = addr(a, off, 16, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  store<u64>(p, load<u64>(v));
  store<u64>(p, load<u64>(v, 8), 8);
  return Trap.None;
}

// load8x8_s/u, load16x4_s/u, load32x2_s/u: 8 bytes, each lane widened.
export function v128Load8x8S(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  for (let i: usize = 0; i < 8; i++) store<i16>(d + (i << 1), <i16>load<i8>(p + i));
  return Trap.None;
}
export function v128Load8x8U(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  for (let i: usize = 0; i < 8; i++) store<u16>(d + (i << 1), <u16>load<u8>(p + i));
  return Trap.None;
}
export function v128Load16x4S(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  for (let i: usize = 0; i < 4; i++) store<i32>(d + (i << 2), <i32>load<i16>(p + (i << 1)));
  return Trap.None;
}
export function v128Load16x4U(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  for (let i: usize = 0; i < 4; i++) store<u32>(d + (i << 2), <u32>load<u16>(p + (i << 1)));
  return Trap.None;
}
export function v128Load32x2S(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  put(d, <u64>load<i32>(p), <u64>load<i32>(p, 4));
  return Trap.None;
}
export function v128Load32x2U(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let p = mem + <usize>ea;
  put(d, <u64>load<u32>(p), <u64>load<u32>(p, 4));
  return Trap.None;
}

// loadN_splat: one lane's worth, copied to every lane.
export function v128Load8Splat(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 1, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = <u64>load<u8>(mem + <usize>ea) * 0x0101010101010101;
  put(d, x, x);
  return Trap.None;
}
export function v128Load16Splat(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 2, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = <u64>load<u16>(mem + <usize>ea) * 0x0001000100010001;
  put(d, x, x);
  return Trap.None;
}
export function v128Load32Splat(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 4, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = <u64>load<u32>(mem + <usize>ea) * 0x0000000100000001;
  put(d, x, x);
  return Trap.None;
}
export function v128Load64Splat(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = load<u64>(mem + <usize>ea);
  put(d, x, x);
  return Trap.None;
}

// load32_zero, load64_zero: lane 0, the rest zero.
export function v128Load32Zero(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 4, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  put(d, <u64>load<u32>(mem + <usize>ea), 0);
  return Trap.None;
}
export function v128Load64Zero(mem: usize, memBytes: u64, d: usize, a: usize, off: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  put(d, load<u64>(mem + <usize>ea), 0);
  return Trap.None;
}

// loadN_lane: v with one lane replaced from memory. The address slot is
// below v on the stack, so d (= the address slot) overlaps v's low half:
// v is read whole before d is written. Lane immediates are masked (an
// image's words are not validated Wasm).
export function v128Load8Lane(mem: usize, memBytes: u64, d: usize, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 1, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = load<u8>(mem + <usize>ea);
  put(d, load<u64>(v), load<u64>(v, 8));
  store<u8>(d + <usize>(lane & 15), x);
  return Trap.None;
}
export function v128Load16Lane(mem: usize, memBytes: u64, d: usize, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 2, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = load<u16>(mem + <usize>ea);
  put(d, load<u64>(v), load<u64>(v, 8));
  store<u16>(d + (<usize>(lane & 7) << 1), x);
  return Trap.None;
}
export function v128Load32Lane(mem: usize, memBytes: u64, d: usize, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 4, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = load<u32>(mem + <usize>ea);
  put(d, load<u64>(v), load<u64>(v, 8));
  store<u32>(d + (<usize>(lane & 3) << 2), x);
  return Trap.None;
}
export function v128Load64Lane(mem: usize, memBytes: u64, d: usize, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  let x = load<u64>(mem + <usize>ea);
  put(d, load<u64>(v), load<u64>(v, 8));
  store<u64>(d + (<usize>(lane & 1) << 3), x);
  return Trap.None;
}

// storeN_lane: one lane of v to memory.
export function v128Store8Lane(mem: usize, memBytes: u64, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 1, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  store<u8>(mem + <usize>ea, load<u8>(v + <usize>(lane & 15)));
  return Trap.None;
}
export function v128Store16Lane(mem: usize, memBytes: u64, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 2, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  store<u16>(mem + <usize>ea, load<u16>(v + (<usize>(lane & 7) << 1)));
  return Trap.None;
}
export function v128Store32Lane(mem: usize, memBytes: u64, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 4, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  store<u32>(mem + <usize>ea, load<u32>(v + (<usize>(lane & 3) << 2)));
  return Trap.None;
}
export function v128Store64Lane(mem: usize, memBytes: u64, a: usize, v: usize, off: u32, lane: u32): Trap {
  let ea = addr(a, off, 8, memBytes);
  if (ea < 0) return Trap.MemoryOutOfBounds;
  store<u64>(mem + <usize>ea, load<u64>(v + (<usize>(lane & 1) << 3)));
  return Trap.None;
}
