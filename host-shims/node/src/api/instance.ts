// Instance: links a Module against a JS import object and instantiates it.
//
// Import object: `{ moduleName: { fieldName: value } }`, where value is
// - a JS function (for a func import: becomes a host function of the
//   import's type; arguments arrive decoded, results go back encoded);
// - an extern from another instance or created by the host (Func, Memory,
//   Table, Global): passed by handle, the interpreter checks its type;
// - for a global import, a plain value (number, bigint, RawValue, null):
//   becomes a new host global of the import's type.
// An import of `wasi:logging/logging` `log` that the object does not supply
// is bound to the engine's built-in wasi:logging (engine.wasiLogging(),
// docs/wasi-logging.md); supply it to override.

import { EngineCore } from "./engine-core.js";
import { ErrCode, WrtLinkError } from "./errors.js";
import { Extern, externFromHandle, Func, Global, InvokeOptions, isExtern, Memory, Table } from "./externs.js";
import { ImportDescriptor, Module } from "./module.js";
import { CallResult, finish, FuelOptions } from "./run.js";
import { RawValue } from "./values.js";
import { WASI_LOGGING_MODULE, WASI_LOGGING_NAME } from "./log-format.js";
import { wasiLogging } from "./wasi-logging.js";
import { badArgument, describeValue, optionsArg } from "./args.js";

export type ImportValue = Extern | ((...args: any[]) => unknown) | number | bigint | RawValue | null;
export type ImportObject = Record<string, Record<string, ImportValue | undefined> | undefined>;

export interface InstantiateOptions extends FuelOptions {}

export class Instance {
  /** Exports by name: Func, Memory, Table or Global wrappers. */
  readonly exports: Record<string, Extern>;
  private dropped = false;

  private constructor(readonly module: Module, readonly handle: number) {
    this.exports = Object.create(null) as Record<string, Extern>;
    const engine = module.engine;
    for (const d of module.exports()) {
      const len = engine.writeText(d.name);
      const h = engine.raw.wrt_instance_export(handle, len);
      if (h < 0) throw engine.lastError();
      this.exports[d.name] = externFromHandle(engine, h);
    }
  }

  get engine(): EngineCore {
    return this.module.engine;
  }

  /**
   * Links and instantiates `module`, then runs its start function (to
   * completion, with `opts` fuel slices if given). Throws WrtLinkError,
   * WrtInstantiationError (segment out of bounds) or WrtTrap (start trapped).
   */
  static instantiate(module: Module, imports: ImportObject = {}, opts: InstantiateOptions = {}): Instance {
    if (!(module instanceof Module)) throw badArgument("Instance.instantiate", `module must be a Module (Module.load()), got ${describeValue(module)}`);
    imports = optionsArg(imports ?? undefined, "Instance.instantiate", "imports");
    opts = optionsArg(opts, "Instance.instantiate");
    const engine = module.engine;
    const missing = module.imports().filter((d) => supplied(d, imports) === undefined && !isBuiltin(d));
    if (missing.length > 0) {
      // name every missing import, not just the first
      const list = missing.map((d) => `${d.module}.${d.name} (${describeImport(d)})`).join(", ");
      throw new WrtLinkError(`unknown import${missing.length > 1 ? `s (${missing.length})` : ""}: ${list}`, ErrCode.UnknownImport, -1);
    }
    const handles = module.imports().map((d) => resolveImport(engine, d, imports));
    engine.writeU32s(handles);
    const h = engine.raw.wrt_instantiate(module.handle, handles.length);
    if (h < 0) throw engine.lastError();
    const started = engine.raw.wrt_start(h);
    if (started < 0) throw engine.lastError();
    if (started === 1) {
      try {
        finish(engine, { params: [], results: [] }, opts);
      } catch (e) {
        try {
          engine.raw.wrt_instance_drop(h);
        } catch {
          /* the original error matters more */
        }
        throw e;
      }
    }
    return new Instance(module, h);
  }

  /** The wrapper of an instance that already exists in the store (e.g. after a restore). */
  static fromHandle(module: Module, handle: number): Instance {
    return new Instance(module, handle);
  }

  private export<T>(name: string, cls: Function & { prototype: T }): T {
    const e = this.exports[name];
    if (e === undefined) throw new WrtLinkError(`no export named ${JSON.stringify(name)}`, ErrCode.ExportNotFound, -1);
    if (!(e instanceof cls)) throw new TypeError(`export ${JSON.stringify(name)} is a ${e.constructor.name}`);
    return e as T;
  }

  func(name: string): Func {
    return this.export(name, Func);
  }
  memory(name: string): Memory {
    return this.export(name, Memory);
  }
  table(name: string): Table {
    return this.export(name, Table);
  }
  global(name: string): Global {
    return this.export(name, Global);
  }

  /** Calls an exported function to completion; returns its results as an array. */
  invoke(name: string, args: readonly unknown[] = [], opts: InvokeOptions = {}): unknown[] {
    return this.func(name).invoke(args, opts);
  }

  /** Calls an exported function with a fuel budget (an integer from -2^63 to 2^63 - 1, number or bigint;
   *  anything else is a WrtApiError, BadArgument, before the call starts); may return a Suspended. */
  call(name: string, args: readonly unknown[], fuel: number | bigint, opts: { raw?: boolean } = {}): CallResult<unknown> {
    return this.func(name).call(args, fuel, opts);
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.engine.raw.wrt_instance_drop(this.handle);
    // Dropping may give store addresses back (reclaim.ts), and a later
    // instance may then get the same handles: cached wrappers would be stale.
    this.engine.wrappers.clear();
  }
}

/** The import object's value for an import, or undefined. */
function supplied(d: ImportDescriptor, imports: ImportObject): ImportValue | undefined {
  const ns = imports[d.module];
  return ns && Object.prototype.hasOwnProperty.call(ns, d.name) ? ns[d.name] : undefined;
}

/** Imports the engine binds by itself when the object does not supply them (wasi:logging). */
function isBuiltin(d: ImportDescriptor): boolean {
  return d.module === WASI_LOGGING_MODULE && d.name === WASI_LOGGING_NAME && d.kind === "func";
}

/** "func [i32 i32] -> [i32]", "memory 1..2 pages", ... */
function describeImport(d: ImportDescriptor): string {
  switch (d.kind) {
    case "func": return `func [${d.type.params.join(" ")}] -> [${d.type.results.join(" ")}]`;
    case "memory": return `memory ${d.type.min}${d.type.max !== null ? `..${d.type.max}` : ".."} pages`;
    case "table": return `table of ${d.type.element}`;
    case "global": return `global ${d.type.mutable ? "mut " : ""}${d.type.type}`;
  }
}

function resolveImport(engine: EngineCore, d: ImportDescriptor, imports: ImportObject): number {
  const where = `${d.module}.${d.name}`;
  const v = supplied(d, imports);
  if (v === undefined && isBuiltin(d)) {
    return wasiLogging(engine).handle; // the interpreter checks the import's type
  }
  if (v === undefined) throw new WrtLinkError(`unknown import: ${where}`, ErrCode.UnknownImport, -1);
  if (isExtern(v)) {
    if (v.engine !== engine) throw new WrtLinkError(`import ${where} belongs to another engine`, ErrCode.IncompatibleImportType, -1);
    return v.handle; // the interpreter checks kind and type
  }
  if (typeof v === "function") {
    if (d.kind !== "func") throw new WrtLinkError(`incompatible import type: ${where} is a ${d.kind}`, ErrCode.IncompatibleImportType, -1);
    return Func.host(engine, d.type, v).handle;
  }
  if (d.kind === "global") {
    return Global.create(engine, d.type, v).handle;
  }
  throw new WrtLinkError(`incompatible import type: ${where} needs a ${d.kind}`, ErrCode.IncompatibleImportType, -1);
}
