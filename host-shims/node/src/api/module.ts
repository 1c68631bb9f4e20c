// Module: decode + validate + compile module bytes (or read a precompiled
// image); import/export descriptors; writing an image.

import { ConfigKey } from "../binding/abi.js";
import { EngineCore, parseFuncType } from "./engine-core.js";
import { WrtCodedError } from "./errors.js";
import { badArgument, bytesArg, describeValue, optionsArg } from "./args.js";
import { acceptSigned, trustedKeys } from "./signature.js";
import { EXTERN_KIND_NAMES, ExternKindName, GlobalType, MemoryType, TableType } from "./externs.js";
import { FuncType, RefType, valTypeFromByte } from "./values.js";

export type ImportDescriptor =
  | { module: string; name: string; kind: "func"; type: FuncType }
  | { module: string; name: string; kind: "table"; type: TableType }
  | { module: string; name: string; kind: "memory"; type: MemoryType }
  | { module: string; name: string; kind: "global"; type: GlobalType };

export interface ExportDescriptor {
  name: string;
  kind: ExternKindName;
}

export type ValidationResult = { valid: true } | { valid: false; error: WrtCodedError };

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

class DescReader {
  private at = 0;
  private readonly dv: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    return this.dv.getUint8(this.at++);
  }
  u32(): number {
    const v = this.dv.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  name(): string {
    const n = this.u32();
    const s = utf8.decode(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  funcType(): FuncType {
    const { type, end } = parseFuncType(this.bytes, this.at);
    this.at = end;
    return type;
  }
  limits(): { min: number; max: number | null } {
    const hasMax = this.u8();
    const min = this.u32();
    const max = this.u32();
    return { min, max: hasMax ? max : null };
  }
}

/** The engine argument of a static constructor: an Engine (Engine.load), nothing else. */
export function engineArg(engine: unknown, where: string): void {
  if (!(engine instanceof EngineCore)) throw badArgument(where, `engine must be an Engine (Engine.load()), got ${describeValue(engine)}`);
}

export class Module {
  private importsCache: ImportDescriptor[] | null = null;
  private exportsCache: ExportDescriptor[] | null = null;
  private dropped = false;

  private constructor(readonly engine: EngineCore, readonly handle: number) {}

  /**
   * Decodes, validates and compiles a .wasm, or reads an image (image());
   * throws WrtDecodeError / WrtValidationError / WrtImageError (with code and offset),
   * or WrtSignatureError when the engine requires a signature (requireSignature).
   */
  static load(engine: EngineCore, bytes: Uint8Array, opts: { loadBudget?: number } = {}): Module {
    engineArg(engine, "Module.load");
    bytes = bytesArg(bytes, "Module.load");
    opts = optionsArg(opts, "Module.load");
    // loadBudget: bytes the interpreter's memory may grow by during this load (ConfigKey.loadBudgetBytes, reset after)
    const budget = opts.loadBudget;
    if (budget !== undefined && !(Number.isInteger(budget) && budget > 0 && budget <= 0xffffffff)) {
      throw new RangeError("loadBudget is a byte count from 1 to 2^32-1");
    }
    // a signature: required from the engine's keys (requireSignature), else a trailer is taken off (docs/signing.md)
    bytes = acceptSigned(bytes, trustedKeys(engine.options), "module");
    if (budget !== undefined && engine.raw.wrt_config(ConfigKey.loadBudgetBytes, BigInt(budget)) < 0) throw engine.lastError();
    try {
      engine.writeBytes(bytes);
      const h = engine.raw.wrt_module_load(bytes.length);
      if (h < 0) throw engine.lastError();
      return new Module(engine, h);
    } finally {
      if (budget !== undefined) engine.raw.wrt_config(ConfigKey.loadBudgetBytes, 0n);
    }
  }

  /**
   * The precompiled image of this module (docs/image-format.md), for an
   * interpreter without a compiler (build/wrt-device.wasm, `--device`
   * firmware). It holds the module's bytes and its internal code; it loads
   * only where the internal-code version, the fuel cost table and the
   * fuel-metering setting are the same as here.
   */
  image(): Uint8Array {
    const n = this.engine.raw.wrt_image(this.handle);
    if (n < 0) throw this.engine.lastError();
    return this.engine.readBytes(n);
  }

  /** The wrapper of a module already loaded under `handle` (e.g. by a restore). */
  static fromHandle(engine: EngineCore, handle: number): Module {
    return new Module(engine, handle);
  }

  /** Loads and drops again: says whether the bytes are a valid module. */
  static validate(engine: EngineCore, bytes: Uint8Array): ValidationResult {
    engineArg(engine, "Module.validate"); // a bad argument throws: it says nothing of the bytes
    bytes = bytesArg(bytes, "Module.validate");
    let m: Module;
    try {
      m = Module.load(engine, bytes);
    } catch (e) {
      if (e instanceof WrtCodedError) return { valid: false, error: e };
      throw e;
    }
    m.drop();
    return { valid: true };
  }

  imports(): ImportDescriptor[] {
    if (this.importsCache) return this.importsCache;
    const r = this.engine.raw;
    const n = r.wrt_module_imports(this.handle);
    if (n < 0) throw this.engine.lastError();
    const out: ImportDescriptor[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.wrt_module_import(this.handle, i);
      if (len < 0) throw this.engine.lastError();
      out.push(parseImport(this.engine.readBytes(len)));
    }
    return (this.importsCache = out);
  }

  exports(): ExportDescriptor[] {
    if (this.exportsCache) return this.exportsCache;
    const r = this.engine.raw;
    const n = r.wrt_module_exports(this.handle);
    if (n < 0) throw this.engine.lastError();
    const out: ExportDescriptor[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.wrt_module_export(this.handle, i);
      if (len < 0) throw this.engine.lastError();
      const rd = new DescReader(this.engine.readBytes(len));
      const kind = kindName(rd.u8());
      out.push({ kind, name: rd.name() });
    }
    return (this.exportsCache = out);
  }

  /** Forgets the module (instances keep what they need). */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.engine.raw.wrt_module_drop(this.handle);
  }
}

function kindName(k: number): ExternKindName {
  const n = EXTERN_KIND_NAMES[k];
  if (n === undefined) throw new RangeError(`unknown extern kind ${k}`);
  return n;
}

function parseImport(bytes: Uint8Array): ImportDescriptor {
  const rd = new DescReader(bytes);
  const kind = kindName(rd.u8());
  const module = rd.name();
  const name = rd.name();
  switch (kind) {
    case "func":
      return { module, name, kind, type: rd.funcType() };
    case "table": {
      const element = valTypeFromByte(rd.u8()) as RefType;
      return { module, name, kind, type: { element, ...rd.limits() } };
    }
    case "memory":
      return { module, name, kind, type: rd.limits() };
    case "global": {
      const type = valTypeFromByte(rd.u8());
      return { module, name, kind, type: { type, mutable: rd.u8() !== 0 } };
    }
  }
}
