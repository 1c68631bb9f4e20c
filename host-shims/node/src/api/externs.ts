// Wrappers of extern handles: functions, memories, tables, globals.
//
// A handle is `kind << 28 | store address` (kind 0 func, 1 table, 2 memory,
// 3 global). Wrappers are cached per engine so the same handle gives the same
// object (useful for funcref identity). A funcref's slot bits are the store
// function address + 1, i.e. func handle + 1.

import { badArgument, bytesArg, countArg, describeValue, funcTypeArg, integerArg, limitsArg, optionsArg, valTypeArg } from "./args.js";
import { EngineCore, HostEntry } from "./engine-core.js";
import { WrtApiError, ErrCode } from "./errors.js";
import { begin, callWithFuel, CallResult, FuelOptions, finish } from "./run.js";
import {
  decodeValue, encodeValue, FuncType, RawValue, RefContext, RefType, ValType, VALTYPE_BYTE, valTypeFromByte,
} from "./values.js";

export const ExternKind = { func: 0, table: 1, memory: 2, global: 3 } as const;
export type ExternKindName = keyof typeof ExternKind;
export const EXTERN_KIND_NAMES: readonly ExternKindName[] = ["func", "table", "memory", "global"];

export function handleKind(handle: number): ExternKindName {
  const k = EXTERN_KIND_NAMES[handle >>> 28];
  if (k === undefined) throw new WrtApiError(`bad extern handle ${handle}`, ErrCode.BadHandle, -1);
  return k;
}

/** Reference conversions for an engine: funcref <-> Func, externref <-> any JS value. */
export function refContext(engine: EngineCore): RefContext {
  return {
    funcToBits(v: unknown): bigint {
      if (v instanceof Func) {
        if (v.engine !== engine) throw new TypeError("funcref from another engine");
        return BigInt(v.handle) + 1n;
      }
      throw new TypeError("expected a Func or null for funcref");
    },
    funcFromBits(bits: bigint): unknown {
      return Func.fromHandle(engine, Number(bits - 1n));
    },
    externToBits(v: unknown): bigint {
      let id = engine.externIds.get(v);
      if (id === undefined) {
        id = BigInt(engine.externValues.length);
        engine.externValues.push(v);
        engine.externIds.set(v, id);
      }
      return id;
    },
    externFromBits(bits: bigint): unknown {
      const i = Number(bits);
      if (bits < BigInt(engine.externValues.length) && i > 0) return engine.externValues[i];
      return new RawValue("externref", bits); // not one of ours (e.g. raw bits given by a caller)
    },
  };
}

const contexts = new WeakMap<EngineCore, RefContext>();
export function refs(engine: EngineCore): RefContext {
  let c = contexts.get(engine);
  if (!c) contexts.set(engine, (c = refContext(engine)));
  return c;
}

function cached<T extends object>(engine: EngineCore, handle: number, make: () => T): T {
  const hit = engine.wrappers.get(handle);
  if (hit) return hit as T;
  const w = make();
  engine.wrappers.set(handle, w);
  return w;
}

/** A JS function as a host function of `type`: arguments decoded, results encoded (Func.host, restore). */
export function hostEntry(engine: EngineCore, type: FuncType, fn: (...args: any[]) => unknown, opts: { raw?: boolean } = {}): HostEntry {
  const r = refs(engine);
  return {
    type,
    call(argBits: bigint[]): bigint[] {
      const args = opts.raw
        ? argBits.map((b, i) => new RawValue(type.params[i]!, b))
        : argBits.map((b, i) => decodeValue(type.params[i]!, b, r));
      const out = fn(...args);
      const list = type.results.length === 1 ? [out] : out === undefined ? [] : (out as unknown[]);
      if (!Array.isArray(list)) throw new TypeError(`expected an array of ${type.results.length} results`);
      if (list.length !== type.results.length) {
        throw new TypeError(`expected ${type.results.length} results, got ${list.length}`);
      }
      return list.map((v, i) => encodeValue(type.results[i]!, v, r));
    },
  };
}

export interface InvokeOptions extends FuelOptions {
  /** Return results as RawValue (exact bits, NaN payloads kept). */
  raw?: boolean;
}

/** A function of the store (guest or host). */
export class Func {
  private cachedType: FuncType | null = null;

  protected constructor(readonly engine: EngineCore, readonly handle: number, type?: FuncType) {
    if (type) this.cachedType = type;
  }

  static fromHandle(engine: EngineCore, handle: number, type?: FuncType): Func {
    return cached(engine, handle, () => new Func(engine, handle, type));
  }

  /** A host function of type `type` calling `fn` with decoded arguments. */
  static host(engine: EngineCore, type: FuncType, fn: (...args: any[]) => unknown, opts: { raw?: boolean } = {}): Func {
    funcTypeArg(type, "Func.host");
    if (typeof fn !== "function") throw badArgument("Func.host", `fn must be a function, got ${describeValue(fn)}`);
    const handle = engine.newHostFunc(hostEntry(engine, type, fn, opts));
    return Func.fromHandle(engine, handle, type);
  }

  get type(): FuncType {
    return (this.cachedType ??= this.engine.funcType(this.handle));
  }

  private encodeArgs(args: readonly unknown[]): bigint[] {
    const t = this.type;
    if (!Array.isArray(args)) throw badArgument("Func call", `args must be an array, got ${describeValue(args)}`);
    if (args.length !== t.params.length) {
      throw new TypeError(`expected ${t.params.length} arguments, got ${args.length}`);
    }
    const r = refs(this.engine);
    return args.map((a, i) => encodeValue(t.params[i]!, a, r));
  }

  private decoder(raw: boolean | undefined): (bits: bigint[]) => unknown[] {
    const t = this.type;
    const r = refs(this.engine);
    return raw
      ? (bits) => bits.map((b, i) => new RawValue(t.results[i]!, b))
      : (bits) => bits.map((b, i) => decodeValue(t.results[i]!, b, r));
  }

  /**
   * Calls the function to completion and returns its results (always an
   * array). `fuel` is a total budget (exceeding it throws WrtOutOfFuel);
   * `fuelSlice` runs in resumed slices.
   */
  invoke(args: readonly unknown[] = [], opts: InvokeOptions = {}): unknown[] {
    return this.decoder(opts.raw)(this.invokeRaw(this.encodeArgs(args), opts));
  }

  /** Like invoke, with arguments and results as bit patterns (v128 as 128-bit bigints). */
  invokeRaw(args: readonly bigint[], opts: FuelOptions = {}): bigint[] {
    begin(this.engine, this.handle, this.type, args);
    return finish(this.engine, this.type, opts);
  }

  /** Starts a call with `fuel`; returns the results, or a Suspended to `resume`. */
  call(args: readonly unknown[], fuel: number | bigint, opts: { raw?: boolean } = {}): CallResult<unknown> {
    return callWithFuel(this.engine, this.handle, this.type, this.encodeArgs(args), fuel, this.decoder(opts.raw));
  }

  /** Like call, with bit patterns. */
  callRaw(args: readonly bigint[], fuel: number | bigint): CallResult<bigint> {
    return callWithFuel(this.engine, this.handle, this.type, args, fuel, (b) => b);
  }
}

export interface MemoryType {
  min: number;
  max: number | null;
}

/** A linear memory of the store. */
export class Memory {
  private constructor(readonly engine: EngineCore, readonly handle: number) {}

  static fromHandle(engine: EngineCore, handle: number): Memory {
    return cached(engine, handle, () => new Memory(engine, handle));
  }

  /** A new host memory (`min`/`max` in 64 KiB pages). */
  static create(engine: EngineCore, type: MemoryType): Memory {
    limitsArg(type, "Memory.create", "type");
    const h = engine.raw.wrt_memory_new(type.min, type.max ?? -1);
    if (h < 0) throw engine.lastError();
    return Memory.fromHandle(engine, h);
  }

  /** Size in bytes. */
  get byteLength(): number {
    return this.engine.raw.wrt_memory_bytes(this.handle) >>> 0;
  }

  /** Size in pages. */
  get pages(): number {
    return Math.floor(this.byteLength / 65536);
  }

  /** A live view of the memory; valid only until the next call into the interpreter (Node engine; native: use read/write). */
  bytes(): Uint8Array {
    const r = this.engine.raw;
    const len = r.wrt_memory_bytes(this.handle) >>> 0;
    const base = r.wrt_memory_base(this.handle) >>> 0;
    return this.engine.view(base, len);
  }

  /** A copy of bytes [offset, offset+length) (both engines). */
  read(offset: number, length: number): Uint8Array {
    const r = this.engine.raw;
    const len = r.wrt_memory_bytes(this.handle) >>> 0;
    integerArg(offset, "Memory.read", "offset");
    integerArg(length, "Memory.read", "length");
    if (!(offset >= 0 && length >= 0 && offset + length <= len)) throw new RangeError(`out of bounds memory read: [${offset}, ${offset + length}) of ${len} bytes`);
    return this.engine.readMemory((r.wrt_memory_base(this.handle) >>> 0) + offset, length);
  }

  /** Writes bytes at offset (both engines). */
  write(offset: number, data: Uint8Array): void {
    integerArg(offset, "Memory.write", "offset");
    data = bytesArg(data, "Memory.write", "data");
    const r = this.engine.raw;
    const len = r.wrt_memory_bytes(this.handle) >>> 0;
    if (!(offset >= 0 && offset + data.length <= len)) throw new RangeError(`out of bounds memory write: [${offset}, ${offset + data.length}) of ${len} bytes`);
    this.engine.writeMemory((r.wrt_memory_base(this.handle) >>> 0) + offset, data);
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1. */
  grow(delta: number): number {
    countArg(delta, "Memory.grow", "delta (pages)");
    return this.engine.raw.wrt_memory_grow(this.handle, delta);
  }
}

export interface TableType {
  element: RefType;
  min: number;
  max: number | null;
}

/** A table of the store. */
export class Table {
  private constructor(readonly engine: EngineCore, readonly handle: number, public element: RefType) {}

  /** `element` is needed to decode entries; the ABI has no table-type query (assumed funcref). */
  static fromHandle(engine: EngineCore, handle: number, element?: RefType): Table {
    const t = cached(engine, handle, () => new Table(engine, handle, element ?? "funcref"));
    if (element) t.element = element;
    return t;
  }

  static create(engine: EngineCore, type: TableType): Table {
    limitsArg(type, "Table.create", "type");
    if (type.element !== "funcref" && type.element !== "externref") {
      throw badArgument("Table.create", `type.element must be "funcref" or "externref", got ${describeValue(type.element)}`);
    }
    const h = engine.raw.wrt_table_new(VALTYPE_BYTE[type.element], type.min, type.max ?? -1);
    if (h < 0) throw engine.lastError();
    return Table.fromHandle(engine, h, type.element);
  }

  get size(): number {
    return this.engine.raw.wrt_table_size(this.handle) >>> 0;
  }

  getRaw(i: number): bigint {
    integerArg(i, "Table.get", "index");
    const bits = this.engine.raw.wrt_table_get(this.handle, i);
    if (bits === -1n) throw new RangeError("out of bounds table access");
    return BigInt.asUintN(64, bits);
  }

  get(i: number): unknown {
    return decodeValue(this.element, this.getRaw(i), refs(this.engine));
  }

  setRaw(i: number, bits: bigint): void {
    integerArg(i, "Table.set", "index");
    if (this.engine.raw.wrt_table_set(this.handle, i, BigInt.asIntN(64, bits)) < 0) throw this.engine.lastError();
  }

  set(i: number, v: unknown): void {
    this.setRaw(i, encodeValue(this.element, v, refs(this.engine)));
  }
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

/** A global of the store. */
export class Global {
  private constructor(readonly engine: EngineCore, readonly handle: number) {}

  static fromHandle(engine: EngineCore, handle: number): Global {
    return cached(engine, handle, () => new Global(engine, handle));
  }

  static create(engine: EngineCore, type: GlobalType, value: unknown): Global {
    if (type === undefined) throw badArgument("Global.create", "type must be { type, mutable }, got undefined");
    valTypeArg(optionsArg(type, "Global.create", "type").type, "Global.create", "type.type");
    const bits = encodeValue(type.type, value, refs(engine));
    const mut = type.mutable ? 1 : 0;
    const h = type.type === "v128"
      ? engine.raw.wrt_global_new_v128(mut, BigInt.asIntN(64, bits), BigInt.asIntN(64, bits >> 64n))
      : engine.raw.wrt_global_new(VALTYPE_BYTE[type.type], mut, BigInt.asIntN(64, bits));
    if (h < 0) throw engine.lastError();
    return Global.fromHandle(engine, h);
  }

  get globalType(): GlobalType {
    const t = this.engine.raw.wrt_global_type(this.handle);
    if (t < 0) throw this.engine.lastError();
    return { type: valTypeFromByte(t & 0xff), mutable: (t & 0x100) !== 0 };
  }

  /** The value's bits (a v128 as a 128-bit bigint, lane 0 in the low bits). */
  getRaw(): bigint {
    const t = this.globalType.type;
    const bits = BigInt.asUintN(64, this.engine.raw.wrt_global_get(this.handle));
    if (t === "v128") return BigInt.asUintN(64, this.engine.raw.wrt_global_get_hi(this.handle)) << 64n | bits;
    return t === "i32" || t === "f32" ? bits & 0xffffffffn : bits;
  }

  setRaw(bits: bigint): void {
    const r = this.globalType.type === "v128"
      ? this.engine.raw.wrt_global_set_v128(this.handle, BigInt.asIntN(64, bits), BigInt.asIntN(64, bits >> 64n))
      : this.engine.raw.wrt_global_set(this.handle, BigInt.asIntN(64, bits));
    if (r < 0) throw this.engine.lastError();
  }

  get value(): unknown {
    return decodeValue(this.globalType.type, this.getRaw(), refs(this.engine));
  }

  set value(v: unknown) {
    this.setRaw(encodeValue(this.globalType.type, v, refs(this.engine)));
  }
}

export type Extern = Func | Memory | Table | Global;

export function isExtern(v: unknown): v is Extern {
  return v instanceof Func || v instanceof Memory || v instanceof Table || v instanceof Global;
}

/** The wrapper of an extern handle. */
export function externFromHandle(engine: EngineCore, handle: number): Extern {
  switch (handleKind(handle)) {
    case "func": return Func.fromHandle(engine, handle);
    case "table": return Table.fromHandle(engine, handle);
    case "memory": return Memory.fromHandle(engine, handle);
    case "global": return Global.fromHandle(engine, handle);
  }
}
