// The raw ABI of the interpreter (docs/embedding-api.md, docs/host-abi.md):
// what build/wrt.wasm exports and imports, as plain types and tables. The
// bottom layer: it imports nothing, and every other file builds on it.
//
// RAW_EXPORTS lists each export once, with its signature; its order is also
// the native engine's wire protocol (an op is the index of its name).

/** A Wasm value type at the raw ABI (only i32 and i64 cross it). */
export type AbiType = "i32" | "i64";
type JsOf<T> = T extends "i64" ? bigint : T extends "void" ? void : number;

/** The signature of one raw export, visible at run time (tests check it against build/wrt.wasm). */
export interface AbiSignature<P extends readonly AbiType[] = readonly AbiType[], R extends AbiType | "void" = AbiType | "void"> {
  readonly params: P;
  readonly result: R;
}

function fn<const P extends readonly AbiType[], const R extends AbiType | "void">(params: P, result: R): AbiSignature<P, R> {
  return { params, result };
}

/**
 * Every raw export of build/wrt.wasm (docs/embedding-api.md), in wire order:
 * the native engine's op for an export is its index here (host-shims/c/native
 * main.c's OP_ enum follows this order), so rows are only ever appended.
 * tests/node/abi-sync.test.mjs checks names, order and types against
 * build/wrt.wasm and main.c.
 */
export const RAW_EXPORTS = {
  wrt_abi_version: fn([], "i32"),
  wrt_io: fn(["i32"], "i32"),
  wrt_error_code: fn([], "i32"),
  wrt_error_offset: fn([], "i32"),
  wrt_error_text: fn([], "i32"),
  wrt_config: fn(["i32", "i64"], "i32"),
  wrt_collect: fn([], "void"),
  wrt_module_load: fn(["i32"], "i32"),
  wrt_module_drop: fn(["i32"], "void"),
  wrt_module_imports: fn(["i32"], "i32"),
  wrt_module_import: fn(["i32", "i32"], "i32"),
  wrt_module_exports: fn(["i32"], "i32"),
  wrt_module_export: fn(["i32", "i32"], "i32"),
  wrt_func_new_host: fn(["i32"], "i32"),
  wrt_memory_new: fn(["i32", "i32"], "i32"),
  wrt_table_new: fn(["i32", "i32", "i32"], "i32"),
  wrt_global_new: fn(["i32", "i32", "i64"], "i32"),
  wrt_instantiate: fn(["i32", "i32"], "i32"),
  wrt_start: fn(["i32"], "i32"),
  wrt_instance_export: fn(["i32", "i32"], "i32"),
  wrt_instance_drop: fn(["i32"], "void"),
  wrt_func_type: fn(["i32"], "i32"),
  wrt_call: fn(["i32", "i32"], "i32"),
  wrt_run: fn(["i64"], "i32"),
  wrt_fuel_left: fn([], "i64"),
  wrt_results: fn([], "i32"),
  wrt_host_id: fn([], "i32"),
  wrt_host_args: fn([], "i32"),
  wrt_host_return: fn(["i32"], "i32"),
  wrt_host_trap: fn(["i32"], "i32"),
  wrt_trap_code: fn([], "i32"),
  wrt_trap_text: fn([], "i32"),
  wrt_trap_func: fn([], "i32"),
  wrt_trap_pc: fn([], "i32"),
  wrt_abandon: fn([], "void"),
  wrt_global_get: fn(["i32"], "i64"),
  wrt_global_set: fn(["i32", "i64"], "i32"),
  wrt_global_type: fn(["i32"], "i32"),
  wrt_memory_base: fn(["i32"], "i32"),
  wrt_memory_bytes: fn(["i32"], "i32"),
  wrt_memory_grow: fn(["i32", "i32"], "i32"),
  wrt_table_size: fn(["i32"], "i32"),
  wrt_table_get: fn(["i32", "i32"], "i64"),
  wrt_table_set: fn(["i32", "i32", "i64"], "i32"),
  wrt_fuel_costs: fn(["i32"], "i32"),
  wrt_snapshot: fn([], "i32"),
  wrt_restore: fn(["i32"], "i32"),
  // wasi:logging (api/wasi-logging.ts)
  wrt_wasi_logging: fn([], "i32"),
  wrt_log_read: fn([], "i32"),
  wrt_log_dropped: fn([], "i32"),
  // precompiled images (api/module.ts); build/wrt-device.wasm does not export it
  wrt_image: fn(["i32"], "i32"),
  // Component Model (component/validator.ts, docs/component-model.md); full build only
  wrt_component_validate: fn(["i32"], "i32"),
  wrt_component_customs: fn([], "i32"),
  // v128 globals (api.ts); the device build refuses wrt_global_new_v128
  wrt_global_new_v128: fn(["i32", "i64", "i64"], "i32"),
  wrt_global_get_hi: fn(["i32"], "i64"),
  wrt_global_set_v128: fn(["i32", "i64", "i64"], "i32"),
} as const;

/** The raw exports as JS functions (i64 as bigint). */
export type RawExports = { -readonly [K in keyof typeof RAW_EXPORTS]: FnOf<(typeof RAW_EXPORTS)[K]> };
type ArgsOf<P extends readonly AbiType[]> = { -readonly [I in keyof P]: JsOf<P[I]> };
type FnOf<S> = S extends AbiSignature<infer P, infer R> ? (...args: ArgsOf<P>) => JsOf<R> : never;

/** The raw export names in wire order. */
export const RAW_EXPORT_NAMES = Object.keys(RAW_EXPORTS) as readonly (keyof RawExports)[];

/** `wrt_config` keys. */
export const ConfigKey = {
  valueStackBytes: 1,
  callStackFrames: 2,
  maxPagesPerInstance: 3,
  maxPagesTotal: 4,
  maxTableElements: 5,
  maxInstances: 6,
  maxModuleBytes: 7,
  fuelMetering: 8,
  /** wasi:logging level filter: 0 trace .. 5 critical, 6 off (docs/wasi-logging.md). */
  logMinLevel: 9,
  /** wasi:logging back end: 0 host (`wrt.log` -> EngineOptions.log), 1 ring (engine.drainLog()). */
  logBackend: 10,
  logRingBytes: 11,
  logMaxRecordBytes: 12,
  /** Pages the interpreter's own memory can reach (default 65536; the C shim sets the arena size): guest growth fails cleanly below it. */
  hostMemoryPages: 13,
  /** 1: the full build also loads precompiled images (docs/image-format.md, "Trust"); default 0. */
  allowImages: 14,
  /** Bytes the interpreter's memory may grow by while one module loads; 0: no budget (Module.load's loadBudget). */
  loadBudgetBytes: 15,
  /** 1: accept SIMD (0xFD ops, v128) in modules loaded from now on; 0: refuse them ("feature disabled"). */
  simd: 17,
  /** 1: accept relaxed SIMD too (needs simd). */
  relaxedSimd: 18,
} as const;
export type ConfigName = keyof typeof ConfigKey;

/** The host ABI imports of build/wrt.wasm (docs/host-abi.md). */
export interface HostImports {
  wrt: {
    /** A record: level in the low byte of `meta`, context length above it, then text at [ptr, ptr+len). */
    log?: (meta: number, ptr: number, len: number) => void;
    abort: (msg: number, file: number, line: number, col: number) => unknown;
  };
}
