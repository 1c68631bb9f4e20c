// The engine core: one interpreter (build/wrt.wasm in V8, or the native
// build behind the same raw exports) plus its host side. engine.ts adds
// snapshots and wasi:logging on top; everything in this layer takes an
// EngineCore so that it does not depend on those.
//
// Provides the host ABI imports (docs/host-abi.md: `wrt.log`, `wrt.abort`),
// wraps the raw exports (docs/embedding-api.md) so that an interpreter fault
// becomes a WrtInternalError and kills this engine, and reads/writes the I/O
// buffer. The I/O address is re-read from `wrt_io` for every access, since
// anything that may allocate may move it.

import type { SigningKey } from "./signature.js";
import { ConfigKey, RAW_EXPORT_NAMES, type ConfigName, type HostImports, type RawExports } from "../binding/abi.js";
import { compileInterpreter, instantiateWasm } from "../engines/node.js";
import { instantiateNative } from "../engines/native.js";
import { ErrCode, errorForCode, WrtApiError, WrtCodedError, WrtInternalError, WrtSnapshotError } from "./errors.js";
import { parseLogLevel, stderrLogHandler, type LogHandler, type LogLevelName } from "./log-format.js";
import { FuncType, ValType, VALTYPE_BYTE, valTypeFromByte } from "./values.js";
import { badArgument, describeValue, optionalString, optionsArg } from "./args.js";
import { Wasm, type WasmInstance, type WasmMemory, type WasmModule } from "../binding/wasm-types.js";

/** Raw calls that shape what a fresh interpreter must replay before a restore (Engine.setupLog). */
const SETUP_CALLS = new Set<string>(["wrt_config", "wrt_fuel_costs", "wrt_module_load", "wrt_module_drop"]);

/** One call of the setup log: replayed in order into a fresh interpreter by `migrate()`. */
export type SetupCall =
  | { op: "wrt_config"; key: number; value: bigint }
  | { op: "wrt_fuel_costs"; table: Uint8Array }
  | { op: "wrt_module_load"; bytes: Uint8Array; handle: number }
  | { op: "wrt_module_drop"; handle: number };

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "critical"] as const;

export interface EngineOptions {
  /**
   * Which build of the interpreter runs: "node" (build/wrt.wasm in this
   * process, the default) or "native" (build/wrt-native, the wasm2c
   * translation, in a child process behind the same raw ABI: native-engine.ts).
   */
  engine?: "node" | "native";
  /** Path of the interpreter binary; default: build/wrt.wasm of this package. */
  wasmPath?: string;
  /** engine "native": path of the wrt-native binary (e.g. build/wrt-native-asan); default build/wrt-native. */
  nativePath?: string;
  /** An already compiled interpreter (skips reading and compiling). */
  wasmModule?: WasmModule;
  /**
   * Where `wrt.log` records go (the interpreter's own lines and wasi:logging
   * with the host back end); default: stderr as `[LEVEL] context: message`
   * lines; `false` drops them. An exception from the handler is caught (the
   * interpreter is mid-call) and reported on stderr.
   */
  log?: LogHandler | false;
  /** wasi:logging level filter (config key 9): records below it are dropped. "off" drops all. */
  logLevel?: LogLevelName | "off" | number;
  /**
   * Load precompiled images (`Module.load` of image bytes, images in a
   * snapshot container) as well as .wasm: an image is code the interpreter
   * verifies but did not compile (docs/image-format.md, "Trust"). Default
   * false; the device build loads only images.
   */
  allowImages?: boolean;
  /**
   * Require an Ed25519 signature from one of these public keys (PEM, DER,
   * raw 32 bytes or KeyObject) on everything `Module.load` and `restore`
   * take: unsigned or otherwise signed bytes are refused with
   * WrtSignatureError (135) before the interpreter sees them
   * (docs/signing.md). Without it a signature trailer is taken off unchecked.
   */
  requireSignature?: SigningKey | readonly SigningKey[];
  /** Limits passed to `wrt_config` before anything else. */
  config?: Partial<Record<ConfigName, number | bigint>>;
}

/** The options of `new Engine` / `Engine.load`, checked before anything is built. */
function checkOptions(options: EngineOptions | undefined): EngineOptions {
  const where = "Engine.load";
  const o = optionsArg(options, where);
  if (o.engine !== undefined && o.engine !== "node" && o.engine !== "native") {
    throw badArgument(where, `engine must be "node" or "native", got ${typeof o.engine === "string" ? JSON.stringify(o.engine) : describeValue(o.engine)}`);
  }
  optionalString(o.wasmPath, where, "wasmPath");
  optionalString(o.nativePath, where, "nativePath");
  if (o.log !== undefined && o.log !== false && typeof o.log !== "function") {
    throw badArgument(where, `log must be a function or false, got ${describeValue(o.log)}`);
  }
  if (o.logLevel !== undefined && typeof o.logLevel !== "string" && typeof o.logLevel !== "number") {
    throw badArgument(where, `logLevel must be a level name or number, got ${describeValue(o.logLevel)}`);
  }
  if (o.config !== undefined) optionsArg(o.config, where, "config");
  return o;
}

/** A host function as the run loop sees it: bits in, bits out. */
export interface HostEntry {
  type: FuncType;
  /** Argument bit patterns -> result bit patterns; throwing traps the guest. */
  call(args: bigint[]): bigint[];
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8enc = new TextEncoder();
const utf16 = new TextDecoder("utf-16le");

export class EngineCore {
  /** The wrapped raw exports: every call checks the engine is alive and maps faults. */
  raw: RawExports;
  instance: WasmInstance;
  private memory: WasmMemory;
  /** The options this engine was made with (a fresh interpreter for `migrate()` uses them too). */
  readonly options: EngineOptions;
  /**
   * Module loads/drops, config and cost-table calls in order: what a fresh
   * interpreter replays before it restores a snapshot of this one
   * (snapshot.ts). Holds a copy of every loaded module's bytes.
   */
  readonly setupLog: SetupCall[] = [];
  /** Off in an engine made only to replay a setup log (nothing to log there). */
  logSetupCalls = true;
  private deadReason: WrtInternalError | null = null;
  private readonly logHandler: LogHandler | false;

  /** Host functions by hostId. */
  readonly hosts = new Map<number, HostEntry>();
  private nextHostId = 1;
  /** Depth of run loops currently active (> 0 inside a host function). */
  depth = 0;
  /** Set when a nested call had to wrt_abandon (which drops the outer calls too). */
  abandoned = false;
  /** The top-level call that ran out of fuel and can be resumed, if any. */
  suspended: object | null = null;
  /** Per-engine caches owned by the extern wrappers (externs.ts). */
  readonly wrappers = new Map<number, object>();
  readonly externValues: unknown[] = [undefined];
  readonly externIds = new Map<unknown, bigint>();

  constructor(options: EngineOptions = {}) {
    options = checkOptions(options);
    this.options = options;
    this.logHandler = options.log === undefined ? stderrLogHandler : options.log;
    const native = options.engine === "native";
    const module = native ? null : options.wasmModule ?? compileInterpreter(options.wasmPath);
    let memoryRef: WasmMemory | null = null;
    const imports: HostImports = {
      wrt: {
        log: (meta: number, ptr: number, len: number): void => {
          if (this.logHandler === false || memoryRef === null) return;
          const level = meta & 0xff;
          const ctxLen = Math.min(meta >>> 8, len >>> 0);
          const bytes = new Uint8Array(memoryRef.buffer, ptr >>> 0, len >>> 0);
          const text = utf8.decode(bytes.subarray(ctxLen));
          const context = utf8.decode(bytes.subarray(0, ctxLen));
          try {
            this.logHandler(level, text, context);
          } catch (e) {
            // Unwinding through the interpreter would leave it mid-call: keep going, say so.
            process.stderr.write(`wrt: log handler failed: ${e instanceof Error ? e.message : String(e)}\n`);
          }
        },
        abort: (msg: number, file: number, line: number, col: number): never => {
          const read = (p: number): string | null => (memoryRef === null ? null : readAsString(memoryRef, p));
          const m = read(msg) ?? "abort";
          const f = read(file);
          const where = f !== null ? ` (${f}:${line}:${col})` : "";
          const err = new WrtInternalError(`interpreter aborted: ${m}${where}`);
          this.deadReason = err;
          throw err;
        },
      },
    };
    this.instance = module
      ? instantiateWasm(module, imports)
      : (instantiateNative(imports, { binary: options.nativePath }) as unknown as WasmInstance);
    const ex = this.instance.exports as Record<string, unknown>;
    const mem = ex["memory"];
    if (!(mem instanceof Wasm.Memory)) throw new WrtInternalError("build/wrt.wasm exports no memory");
    this.memory = mem;
    memoryRef = mem;
    this.raw = this.wrapExports(ex);
    if (options.config) {
      for (const [name, value] of Object.entries(options.config)) {
        if (value === undefined) continue;
        this.configure(name as ConfigName, value);
      }
    }
    if (options.logLevel !== undefined) this.configure("logMinLevel", parseLogLevel(options.logLevel));
    if (options.allowImages) this.configure("allowImages", 1);
  }

  private wrapExports(ex: Record<string, unknown>): RawExports {
    const out: Record<string, unknown> = {};
    for (const name of RAW_EXPORT_NAMES) {
      const f = ex[name];
      if (typeof f !== "function") {
        out[name] = () => {
          throw new WrtInternalError(`build/wrt.wasm does not export ${name} (yet)`);
        };
        continue;
      }
      const fn = f as (...a: unknown[]) => unknown;
      const logged = SETUP_CALLS.has(name);
      out[name] = (...args: unknown[]): unknown => {
        if (this.deadReason) throw new WrtInternalError(`interpreter is dead after an earlier fault: ${this.deadReason.message}`);
        try {
          if (!logged || !this.logSetupCalls) return fn(...args);
          const input = this.setupInput(ex, name, args);
          const res = fn(...args);
          this.logSetup(name, args, res, input);
          return res;
        } catch (e) {
          throw this.fault(e);
        }
      };
    }
    return out as unknown as RawExports;
  }

  /** The I/O buffer bytes a setup call reads (module bytes, cost table), copied before the call. */
  private setupInput(ex: Record<string, unknown>, name: string, args: unknown[]): Uint8Array | null {
    const len = name === "wrt_module_load" ? Number(args[0]) : name === "wrt_fuel_costs" ? Number(args[0]) * 4 : 0;
    if (!(len > 0)) return null;
    const addr = (ex["wrt_io"] as (n: number) => number)(0) >>> 0;
    if (addr === 0 || addr + len > this.memory.buffer.byteLength) return null;
    return new Uint8Array(this.memory.buffer, addr, len).slice();
  }

  private logSetup(name: string, args: unknown[], res: unknown, input: Uint8Array | null): void {
    if (typeof res === "number" && res < 0) return; // refused: changed nothing
    if (name === "wrt_config") this.setupLog.push({ op: name, key: Number(args[0]), value: BigInt(args[1] as bigint) });
    else if (name === "wrt_module_drop") this.setupLog.push({ op: name, handle: Number(args[0]) });
    else if (input === null) return;
    else if (name === "wrt_fuel_costs") this.setupLog.push({ op: name, table: input });
    else this.setupLog.push({ op: "wrt_module_load", bytes: input, handle: res as number });
  }

  /**
   * Takes over the interpreter instance of `fresh` (an Engine made only for
   * this, holding a restored copy of this engine's state): every wrapper of
   * this engine keeps its handles, which mean the same things there.
   */
  adoptInterpreter(fresh: EngineCore): void {
    this.instance = fresh.instance;
    this.memory = fresh.memory;
    this.raw = this.wrapExports(fresh.instance.exports as Record<string, unknown>);
  }

  /** Turns an exception out of build/wrt.wasm into a WrtInternalError (and kills the engine). */
  private fault(e: unknown): unknown {
    if (e instanceof WrtInternalError) {
      this.deadReason ??= e;
      return e;
    }
    if (e instanceof Wasm.RuntimeError || e instanceof RangeError) {
      const err = new WrtInternalError(`interpreter crashed: ${(e as Error).message}`, { cause: e });
      this.deadReason = err;
      return err;
    }
    return e; // e.g. an exception from a log handler
  }

  /**
   * Continues in a fresh interpreter: snapshot, a new instance of the
   * interpreter replays `setupLog`, restores; wrappers keep working. Returns
   * the snapshot's size in bytes.
   */
  migrate(): number {
    return migrateEngine(this);
  }

  /** True once the interpreter has faulted; then every call throws WrtInternalError. */
  get dead(): boolean {
    return this.deadReason !== null;
  }

  hasExport(name: string): boolean {
    return typeof (this.instance.exports as Record<string, unknown>)[name] === "function";
  }

  abiVersion(): number {
    return this.raw.wrt_abi_version();
  }

  /** Sets one `wrt_config` key; a refused key or value is WrtApiError BadArgument naming both. */
  configure(name: ConfigName, value: number | bigint): void {
    if (!Object.hasOwn(ConfigKey, name)) {
      throw badArgument("config", `unknown key ${JSON.stringify(name)} (known: ${Object.keys(ConfigKey).join(", ")})`);
    }
    const key = ConfigKey[name];
    if (!(typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value)))) {
      throw badArgument("config", `${name} takes an integer (a number or a bigint), got ${describeValue(value)}`);
    }
    if (this.raw.wrt_config(key, BigInt(value)) < 0) {
      const e = this.lastError();
      e.message = `config ${name} = ${value}: ${e.message}`;
      throw e;
    }
  }

  /** Frees unreachable interpreter objects (call at top level after dropping things). */
  collect(): void {
    this.raw.wrt_collect();
    this.wrappers.clear(); // reclaimed handles may be handed out again
  }

  // ---- I/O buffer ----

  /** A view of the I/O buffer holding at least `size` bytes (valid until the next raw call). */
  io(size: number): DataView {
    return new DataView(this.memory.buffer, this.ioAddress(size), size);
  }

  /** `wrt_io(size)`, checked: the buffer must fit in the interpreter's memory. */
  ioAddress(size: number): number {
    const a = this.raw.wrt_io(size);
    const addr = a >>> 0;
    if (size > 0 && (a === -1 || addr === 0 || addr + size > this.memory.buffer.byteLength)) {
      throw new WrtApiError(`cannot get an I/O buffer of ${size} bytes`, ErrCode.OutOfMemory, -1);
    }
    return addr;
  }

  writeBytes(bytes: Uint8Array): void {
    const addr = this.ioAddress(bytes.length);
    new Uint8Array(this.memory.buffer, addr, bytes.length).set(bytes);
  }

  /** Writes UTF-8 text to the I/O buffer; returns its byte length. */
  writeText(text: string): number {
    const bytes = utf8enc.encode(text);
    this.writeBytes(bytes);
    return bytes.length;
  }

  /** A copy of the first `len` bytes of the I/O buffer. */
  readBytes(len: number): Uint8Array {
    const addr = this.ioAddress(len);
    return new Uint8Array(this.memory.buffer, addr, len).slice();
  }

  readText(len: number): string {
    return len <= 0 ? "" : utf8.decode(this.readBytes(len));
  }

  writeSlots(slots: readonly bigint[]): void {
    const v = this.io(slots.length * 8);
    slots.forEach((s, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, s), true));
  }

  readSlots(n: number): bigint[] {
    const v = this.io(n * 8);
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) out.push(v.getBigUint64(i * 8, true));
    return out;
  }

  writeU32s(values: readonly number[]): void {
    const v = this.io(values.length * 4);
    values.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  }

  /**
   * A copy of the interpreter's memory [addr, addr+len): works on both
   * engines (with the native engine, `view` shows only the I/O buffer).
   */
  readMemory(addr: number, len: number): Uint8Array {
    const native = this.instance as unknown as { peek?: (a: number, n: number) => Uint8Array };
    if (typeof native.peek === "function") return native.peek(addr >>> 0, len >>> 0);
    return this.view(addr, len).slice();
  }

  /** Writes the interpreter's memory at addr (both engines). */
  writeMemory(addr: number, bytes: Uint8Array): void {
    const native = this.instance as unknown as { poke?: (a: number, b: Uint8Array) => void };
    if (typeof native.poke === "function") native.poke(addr >>> 0, bytes);
    else this.view(addr, bytes.length).set(bytes);
  }

  /** The interpreter's linear memory bytes [addr, addr+len) as a live view (the Node engine only: see readMemory). */
  view(addr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, addr >>> 0, len >>> 0);
  }

  // ---- errors ----

  /** The last error (`wrt_error_*`) as a typed error. */
  lastError(): WrtCodedError {
    const code = this.raw.wrt_error_code();
    const offset = this.raw.wrt_error_offset();
    const text = this.readText(this.raw.wrt_error_text()) || `error ${code}`;
    return errorForCode(code, offset, text);
  }

  // ---- descriptors ----

  writeFuncType(type: FuncType): void {
    const n = 8 + type.params.length + type.results.length;
    const v = this.io(n);
    v.setUint32(0, type.params.length, true);
    v.setUint32(4, type.results.length, true);
    let k = 8;
    for (const t of type.params) v.setUint8(k++, VALTYPE_BYTE[t]);
    for (const t of type.results) v.setUint8(k++, VALTYPE_BYTE[t]);
  }

  /** The type of a function extern handle. */
  funcType(handle: number): FuncType {
    const len = this.raw.wrt_func_type(handle);
    if (len < 0) throw this.lastError();
    return parseFuncType(this.readBytes(len), 0).type;
  }

  // ---- host functions ----

  /** Registers a host function; returns its extern handle. */
  newHostFunc(entry: HostEntry): number {
    const id = this.nextHostId++;
    this.writeFuncType(entry.type);
    const handle = this.raw.wrt_func_new_host(id);
    if (handle < 0) throw this.lastError();
    this.hosts.set(id, entry);
    return handle;
  }

  /**
   * Binds `entry` to a host function that already exists in the store (after
   * a restore). Host ids are given in order of creation from 1, so the same
   * program creating the same host functions gets the same ids.
   */
  bindHost(id: number, entry: HostEntry): void {
    this.hosts.set(id, entry);
    if (id >= this.nextHostId) this.nextHostId = id + 1;
  }
}

/** Reads an AssemblyScript string (UTF-16LE, byte length as u32 at ptr-4). */
function readAsString(memory: WasmMemory, ptr: number): string | null {
  ptr >>>= 0;
  if (ptr === 0 || ptr < 4 || ptr > memory.buffer.byteLength) return null;
  const len = new DataView(memory.buffer).getUint32(ptr - 4, true);
  if (ptr + len > memory.buffer.byteLength) return null;
  return utf16.decode(new Uint8Array(memory.buffer, ptr, len & ~1));
}

/** Parses a type descriptor at `at`; returns it and the offset after it. */
export function parseFuncType(bytes: Uint8Array, at: number): { type: FuncType; end: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const np = dv.getUint32(at, true);
  const nr = dv.getUint32(at + 4, true);
  let k = at + 8;
  const params: ValType[] = [];
  const results: ValType[] = [];
  for (let i = 0; i < np; i++) params.push(valTypeFromByte(bytes[k++]!));
  for (let i = 0; i < nr; i++) results.push(valTypeFromByte(bytes[k++]!));
  return { type: { params, results }, end: k };
}

// ---- migrate ----

/** Totals of `migrate()` calls in this process (the spec runner prints them). */
export const migrationStats = { count: 0, bytes: 0, maxBytes: 0, snapshotMs: 0, freshMs: 0, restoreMs: 0 };

export function resetMigrationStats(): void {
  Object.assign(migrationStats, { count: 0, bytes: 0, maxBytes: 0, snapshotMs: 0, freshMs: 0, restoreMs: 0 });
}

/** Replays `engine`'s setup log into `fresh` (same config, cost table, module handles). */
function replaySetup(engine: EngineCore, fresh: EngineCore): void {
  const r = fresh.raw;
  for (const c of engine.setupLog) {
    switch (c.op) {
      case "wrt_config":
        if (r.wrt_config(c.key, c.value) < 0) throw fresh.lastError();
        break;
      case "wrt_fuel_costs":
        fresh.writeBytes(c.table);
        if (r.wrt_fuel_costs(c.table.length / 4) < 0) throw fresh.lastError();
        break;
      case "wrt_module_load": {
        fresh.writeBytes(c.bytes);
        const h = r.wrt_module_load(c.bytes.length);
        if (h !== c.handle) throw new WrtInternalError(`replaying the setup: module handle ${h}, expected ${c.handle}`);
        break;
      }
      case "wrt_module_drop":
        // Not replayed: a dropped module may still be named by a live
        // instance, and a restore looks it up among the loaded modules.
        break;
    }
  }
}

/**
 * Moves the whole state into a fresh interpreter (a new WebAssembly
 * instance of build/wrt.wasm with the same setup replayed) and continues
 * there; every wrapper (Func, Instance, Suspended, ...) keeps working.
 * Only at top level (not inside a host function). Returns the snapshot's size.
 */
function migrateEngine(engine: EngineCore): number {
  if (engine.depth > 0) {
    throw new WrtSnapshotError("migrate only at top level (not inside a host function)", ErrCode.SnapshotState, -1);
  }
  const t0 = performance.now();
  const n = engine.raw.wrt_snapshot();
  if (n < 0) {
    const e = engine.lastError();
    throw e instanceof WrtSnapshotError ? e : new WrtSnapshotError(e.message, e.code, e.offset);
  }
  // The bytes stay in the old interpreter's I/O buffer (nothing runs there
  // any more) and are copied once, straight into the fresh one's.
  const bytes = engine.view(engine.ioAddress(n), n);
  const t1 = performance.now();
  const fresh = new EngineCore({ ...engine.options, config: undefined });
  fresh.logSetupCalls = false;
  replaySetup(engine, fresh);
  const t2 = performance.now();
  fresh.writeBytes(bytes);
  if (fresh.raw.wrt_restore(n) < 0) {
    const e = fresh.lastError();
    throw new WrtInternalError(`a fresh interpreter refused this engine's own snapshot: ${e.message}`, { cause: e });
  }
  engine.adoptInterpreter(fresh);
  const t3 = performance.now();
  const s = migrationStats;
  s.count++;
  s.bytes += n;
  if (n > s.maxBytes) s.maxBytes = n;
  s.snapshotMs += t1 - t0;
  s.freshMs += t2 - t1;
  s.restoreMs += t3 - t2;
  return n;
}
