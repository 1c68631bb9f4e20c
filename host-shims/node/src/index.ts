// Public API of the Node embedding of WRT.
export { Engine, ConfigKey, LOG_LEVELS, compileInterpreter, defaultWasmPath } from "./engine.js";
export type { EngineOptions, LogHandler, RawExports, ConfigName, HostEntry } from "./engine.js";
export { Module } from "./module.js";
export { createSpectest } from "./spectest.js";
export { runSpec, runSpecFile, collectSpecFiles } from "./spec.js";
export type { SpecOptions, FileResult, SpecTotals } from "./spec.js";
export type { ImportDescriptor, ExportDescriptor, ValidationResult } from "./module.js";
export { Instance } from "./instance.js";
export type { ImportObject, ImportValue, InstantiateOptions } from "./instance.js";
export { Func, Memory, Table, Global, ExternKind, externFromHandle, isExtern } from "./externs.js";
export type { Extern, InvokeOptions, MemoryType, TableType, GlobalType } from "./externs.js";
export { Suspended, WrtOutOfFuel, WrtTimeout, Status, UNBOUNDED_FUEL, seededRandom } from "./run.js";
export type { CallResult, Completed, FuelOptions } from "./run.js";
export {
  RawValue, VALTYPE_BYTE, valTypeFromByte, encodeValue, decodeValue, f32ToBits, bitsToF32, f64ToBits, bitsToF64,
  formatTyped, parseTyped, formatF32, formatF64,
} from "./values.js";
export type { ValType, RefType, FuncType, Value, RefContext } from "./values.js";
export {
  WrtError, WrtCodedError, WrtDecodeError, WrtValidationError, WrtLinkError, WrtInstantiationError,
  WrtApiError, WrtTrap, WrtInternalError, WrtSnapshotError, WrtImageError, ErrCode, TrapCode,
} from "./errors.js";
export { readSnapshotInfo, moduleHash, crc32, resealSnapshot, migrationStats } from "./snapshot.js";
export type { HostBindings, RestoreOptions, RestoreIntoOptions, RestoredState, Restored, SnapshotInfo } from "./snapshot.js";
export type { SetupCall } from "./engine.js";
export {
  LOG_LEVEL_NAMES, parseLogLevel, formatLogLine, escapeControls, stderrLogHandler, SyslogSink, SYSLOG_FACILITIES,
  SYSLOG_SEVERITY, syslogPriority, parseFacility, WASI_LOGGING_MODULE, WASI_LOGGING_NAME,
} from "./logging.js";
export type { LogRecord, LogLevelName, SyslogOptions } from "./logging.js";
