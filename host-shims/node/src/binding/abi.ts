// The raw ABI of the interpreter (docs/embedding-api.md, docs/host-abi.md):
// what build/wrt.wasm exports and imports, as plain types and tables. The
// bottom layer: it imports nothing, and every other file builds on it.
//
// RAW_EXPORT_NAMES is also the native engine's wire protocol (an op is the
// index of its name), so names are only ever appended.

/** The raw exports of build/wrt.wasm (docs/embedding-api.md). */
export interface RawExports {
  wrt_abi_version(): number;
  wrt_io(size: number): number;
  wrt_error_code(): number;
  wrt_error_offset(): number;
  wrt_error_text(): number;
  wrt_config(key: number, value: bigint): number;
  wrt_collect(): void;
  wrt_module_load(len: number): number;
  wrt_module_drop(m: number): void;
  wrt_module_imports(m: number): number;
  wrt_module_import(m: number, i: number): number;
  wrt_module_exports(m: number): number;
  wrt_module_export(m: number, i: number): number;
  wrt_func_new_host(hostId: number): number;
  wrt_memory_new(min: number, max: number): number;
  wrt_table_new(elemType: number, min: number, max: number): number;
  wrt_global_new(type: number, mutable: number, bits: bigint): number;
  wrt_instantiate(m: number, n: number): number;
  wrt_start(inst: number): number;
  wrt_instance_export(inst: number, len: number): number;
  wrt_instance_drop(inst: number): void;
  wrt_func_type(handle: number): number;
  wrt_call(func: number, nargs: number): number;
  wrt_run(fuel: bigint): number;
  wrt_fuel_left(): bigint;
  wrt_results(): number;
  wrt_host_id(): number;
  wrt_host_args(): number;
  wrt_host_return(nresults: number): number;
  wrt_host_trap(len: number): number;
  wrt_trap_code(): number;
  wrt_trap_text(): number;
  wrt_trap_func(): number;
  wrt_trap_pc(): number;
  wrt_abandon(): void;
  wrt_global_get(handle: number): bigint;
  wrt_global_set(handle: number, bits: bigint): number;
  wrt_global_type(handle: number): number;
  wrt_memory_base(handle: number): number;
  wrt_memory_bytes(handle: number): number;
  wrt_memory_grow(handle: number, pages: number): number;
  wrt_table_size(handle: number): number;
  wrt_table_get(handle: number, i: number): bigint;
  wrt_table_set(handle: number, i: number, bits: bigint): number;
  wrt_fuel_costs(n: number): number;
  wrt_snapshot(): number;
  wrt_restore(len: number): number;
  wrt_wasi_logging(): number;
  wrt_log_read(): number;
  wrt_log_dropped(): number;
  wrt_image(m: number): number;
}

export const RAW_EXPORT_NAMES: readonly (keyof RawExports)[] = [
  "wrt_abi_version", "wrt_io", "wrt_error_code", "wrt_error_offset", "wrt_error_text",
  "wrt_config", "wrt_collect", "wrt_module_load", "wrt_module_drop", "wrt_module_imports",
  "wrt_module_import", "wrt_module_exports", "wrt_module_export", "wrt_func_new_host",
  "wrt_memory_new", "wrt_table_new", "wrt_global_new", "wrt_instantiate", "wrt_start",
  "wrt_instance_export", "wrt_instance_drop", "wrt_func_type", "wrt_call", "wrt_run",
  "wrt_fuel_left", "wrt_results", "wrt_host_id", "wrt_host_args", "wrt_host_return",
  "wrt_host_trap", "wrt_trap_code", "wrt_trap_text", "wrt_trap_func", "wrt_trap_pc",
  "wrt_abandon", "wrt_global_get", "wrt_global_set", "wrt_global_type", "wrt_memory_base",
  "wrt_memory_bytes", "wrt_memory_grow", "wrt_table_size", "wrt_table_get", "wrt_table_set",
  "wrt_fuel_costs", "wrt_snapshot", "wrt_restore",
  // wasi:logging (logging.ts); appended so the native serve protocol's op numbers stay put
  "wrt_wasi_logging", "wrt_log_read", "wrt_log_dropped",
  // precompiled images (image.ts); build/wrt-device.wasm does not export it
  "wrt_image",
];

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
