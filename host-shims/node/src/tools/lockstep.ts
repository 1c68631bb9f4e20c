// Lock-step: one call run on two engines (the interpreter in Node and the
// native wasm2c build) side by side. Every `every` units of fuel both stop;
// their snapshots (docs/snapshot-format.md) must be byte-identical, since
// the format is the whole state in a fixed layout. The first difference is
// reported with the fuel count, the position and the part of the state that
// differs.
//
// Drives the raw embedding ABI directly (docs/embedding-api.md), so both
// engines receive exactly the same calls.

import type { RawExports } from "../binding/abi.js";
import { arrayArg, badArgument, bytesArg, describeValue, optionsArg } from "../api/args.js";
import { compileInterpreter, instantiateWasm } from "../engines/node.js";
import { instantiateNative } from "../engines/native.js";
import { type WasmMemory } from "../binding/wasm-types.js";

export type EngineName = "node" | "native";

interface RawSide {
  name: EngineName;
  x: RawExports & { memory: WasmMemory };
  close(): void;
}

export interface Divergence {
  /** Fuel spent by both engines when the difference was seen. */
  fuel: bigint;
  /** Snapshot section where the first differing byte lies, and what it is. */
  part: string;
  detail: string;
  /** Position of each engine (instance, internal-code offset) at that point. */
  positions: [string, string];
}

export interface LockstepResult {
  steps: number;
  fuel: bigint;
  status: "done" | "trap" | "diverged";
  /** Result slots of the finished call (equal on both engines). */
  results: bigint[];
  trap?: string;
  divergence?: Divergence;
}

const STATUS = ["done", "out of fuel", "host call", "trap"];

function wasmSide(): RawSide {
  const inst = instantiateWasm(compileInterpreter(), {
    wrt: { log() {}, abort() { throw new Error("node engine: interpreter aborted"); } },
  });
  return { name: "node", x: inst.exports as unknown as RawSide["x"], close() {} };
}

function nativeSide(): RawSide {
  const inst = instantiateNative({ wrt: { log() {}, abort() { throw new Error("native engine: interpreter aborted"); } } });
  return { name: "native", x: inst.exports as unknown as RawSide["x"], close: () => inst.close() };
}

function put(s: RawSide, bytes: Uint8Array): void {
  const p = s.x.wrt_io(bytes.length) >>> 0;
  new Uint8Array(s.x.memory.buffer).set(bytes, p);
}

function take(s: RawSide, n: number): Uint8Array {
  const p = s.x.wrt_io(n) >>> 0;
  return new Uint8Array(s.x.memory.buffer).slice(p, p + n);
}

function errorText(s: RawSide): string {
  return new TextDecoder().decode(take(s, s.x.wrt_error_text()));
}

/** Loads, instantiates and prepares the call on one engine. */
function prepare(s: RawSide, module: Uint8Array, func: string, args: bigint[]): void {
  put(s, module);
  const m = s.x.wrt_module_load(module.length);
  if (m < 0) throw new Error(`${s.name}: ${errorText(s)}`);
  if (s.x.wrt_module_imports(m) !== 0) throw new Error("lockstep runs modules without imports");
  s.x.wrt_io(4);
  const inst = s.x.wrt_instantiate(m, 0);
  if (inst < 0) throw new Error(`${s.name}: ${errorText(s)}`);
  if (s.x.wrt_start(inst) === 1 && s.x.wrt_run(1n << 62n) !== 0) throw new Error(`${s.name}: start function did not finish`);
  const name = new TextEncoder().encode(func);
  put(s, name);
  const f = s.x.wrt_instance_export(inst, name.length);
  if (f < 0) throw new Error(`${s.name}: ${errorText(s)}`);
  const slots = new Uint8Array(8 * Math.max(1, args.length));
  const dv = new DataView(slots.buffer);
  args.forEach((a, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, a), true));
  put(s, slots);
  if (s.x.wrt_call(f, args.length) < 0) throw new Error(`${s.name}: ${errorText(s)}`);
}

function snapshot(s: RawSide): Uint8Array {
  const n = s.x.wrt_snapshot();
  if (n < 0) throw new Error(`${s.name}: snapshot refused: ${errorText(s)}`);
  return take(s, n);
}

const HEADER = 24;

/** Names the first differing byte of two snapshots: section, and what lies there. */
export function describeDifference(a: Uint8Array, b: Uint8Array): { part: string; detail: string } {
  const dva = new DataView(a.buffer, a.byteOffset, a.byteLength);
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a[i] === b[i]) i++;
  if (i < HEADER) return { part: "header", detail: `byte ${i}` };
  // walk the sections of `a` to find the one holding byte i
  let at = HEADER;
  while (at + 8 <= a.length - 4) {
    const tag = String.fromCharCode(a[at]!, a[at + 1]!, a[at + 2]!, a[at + 3]!);
    const len = dva.getUint32(at + 4, true);
    const start = at + 8;
    if (i < start + len || start + len > a.length) {
      const off = i - start;
      if (tag === "MEMS") return { part: "memory", detail: memoryDetail(dva, start, off) };
      if (tag === "STAK") return { part: "value stack", detail: `stack byte ${off - 4} (slot ${Math.floor((off - 4) / 8)})` };
      if (tag === "GLOB") return { part: "globals", detail: `global ${Math.floor((off - 4) / 10)}` };
      if (tag === "MACH") return { part: "machine", detail: `field at byte ${off} of the machine section (status/position/fuel/frames)` };
      if (tag === "TABL") return { part: "tables", detail: `byte ${off} of the table section` };
      return { part: tag, detail: `byte ${off} of the section` };
    }
    at = start + len;
  }
  return { part: a.length !== b.length ? "length" : "checksum", detail: `byte ${i}` };
}

function memoryDetail(dv: DataView, start: number, off: number): string {
  // MEMS: u32 n; per memory: u32 max, u32 pages, u32 stored, stored x (u32 page, 64 KiB)
  let p = start + 4;
  const count = dv.getUint32(start, true);
  for (let m = 0; m < count; m++) {
    const stored = dv.getUint32(p + 8, true);
    let q = p + 12;
    for (let k = 0; k < stored; k++) {
      const page = dv.getUint32(q, true);
      if (start + off < q + 4 + 65536) return `memory ${m}, page ${page}, address 0x${(page * 65536 + Math.max(0, start + off - q - 4)).toString(16)}`;
      q += 4 + 65536;
    }
    if (start + off < q) return `memory ${m} header (size or stored-page list)`;
    p = q;
  }
  return `byte ${off} of the memory section`;
}

function position(s: Uint8Array): string {
  // MACH is the seventh section; find it by tag
  const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
  let at = HEADER;
  while (at + 8 <= s.length) {
    const tag = String.fromCharCode(s[at]!, s[at + 1]!, s[at + 2]!, s[at + 3]!);
    const len = dv.getUint32(at + 4, true);
    if (tag === "MACH") {
      const b = at + 8;
      return `status ${dv.getUint32(b, true)}, instance ${dv.getUint32(b + 4, true)}, pc 0x${dv.getUint32(b + 8, true).toString(16)}, frames ${dv.getUint32(b + 69, true)}`;
    }
    at += 8 + len;
  }
  return "unknown";
}

/**
 * Runs `func(args)` of `module` on two engines in lock-step, comparing the
 * whole state every `every` units of fuel.
 */
export interface LockstepOptions {
  engines?: [EngineName, EngineName];
  /**
   * Called after every step with the raw exports of each side (tests use it
   * to plant a difference and check that it is reported).
   */
  afterStep?: (step: number, sides: [RawSide["x"], RawSide["x"]]) => void;
}

export function lockstep(module: Uint8Array, func: string, args: bigint[], every: number,
                         opts: LockstepOptions = {}): LockstepResult {
  const where = "lockstep";
  module = bytesArg(module, where, "module");
  if (typeof func !== "string") throw badArgument(where, `func must be an export name, got ${describeValue(func)}`);
  arrayArg(args, where, "args").forEach((a, i) => {
    if (typeof a !== "bigint") throw badArgument(where, `args[${i}] must be a bigint (the argument's bits), got ${describeValue(a)}`);
  });
  if (!(Number.isSafeInteger(every) && every >= 1)) throw badArgument(where, `every (fuel per step) must be an integer of at least 1, got ${describeValue(every)}`);
  opts = optionsArg(opts, where);
  const engines = opts.engines ?? ["node", "native"];
  if (!Array.isArray(engines) || engines.length !== 2 || !engines.every((e) => e === "node" || e === "native")) {
    throw badArgument(where, `engines must be two of "node" and "native", got ${JSON.stringify(engines)}`);
  }
  const sides = engines.map((e) => (e === "node" ? wasmSide() : nativeSide())) as [RawSide, RawSide];
  try {
    for (const s of sides) prepare(s, module, func, args);
    let fuel = 0n;
    let steps = 0;
    for (;;) {
      const st = sides.map((s) => s.x.wrt_run(BigInt(every)));
      const left = sides.map((s) => s.x.wrt_fuel_left());
      steps++;
      fuel += BigInt(every) - left[0]!;
      opts.afterStep?.(steps, [sides[0].x, sides[1].x]);
      const snaps = sides.map(snapshot);
      if (st[0] !== st[1] || left[0] !== left[1] || !equal(snaps[0]!, snaps[1]!)) {
        const d = st[0] !== st[1]
          ? { part: "status", detail: `${sides[0].name}: ${STATUS[st[0]!] ?? st[0]}, ${sides[1].name}: ${STATUS[st[1]!] ?? st[1]}` }
          : left[0] !== left[1] ? { part: "fuel", detail: `fuel left ${left[0]} vs ${left[1]}` } : describeDifference(snaps[0]!, snaps[1]!);
        return { steps, fuel, status: "diverged", results: [],
          divergence: { fuel, ...d, positions: [position(snaps[0]!), position(snaps[1]!)] } };
      }
      if (st[0] === 1) continue;
      if (st[0] === 0) {
        const n = sides[0].x.wrt_results();
        const dv = new DataView(take(sides[0], 8 * n).buffer);
        const results = Array.from({ length: n }, (_, i) => dv.getBigUint64(i * 8, true));
        return { steps, fuel, status: "done", results };
      }
      if (st[0] === 3) {
        const t = new TextDecoder().decode(take(sides[0], sides[0].x.wrt_trap_text()));
        return { steps, fuel, status: "trap", results: [], trap: t };
      }
      throw new Error(`lockstep: unexpected status ${STATUS[st[0]!] ?? st[0]} (host calls are not supported)`);
    }
  } finally {
    for (const s of sides) s.close();
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
