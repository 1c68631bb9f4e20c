// Public API of the Node embedding of WRT (the package's main export).
// Layers (docs/architecture.md): binding/ (raw ABI) < engines/ (node, native)
// < api/ (typed API) < logging/, tools/, cli/ and the spec runner.
export { Engine } from "./api/engine.js";
export type { Restored } from "./api/engine.js";
export { EngineCore, LOG_LEVELS, } from "./api/engine-core.js";
export type { EngineOptions, HostEntry, SetupCall } from "./api/engine-core.js";
export { ConfigKey, RAW_EXPORTS, RAW_EXPORT_NAMES } from "./binding/abi.js";
export type { RawExports, ConfigName, HostImports, AbiType, AbiSignature } from "./binding/abi.js";
export { compileInterpreter, defaultWasmPath } from "./engines/node.js";
export { instantiateNative } from "./engines/native.js";
export type { NativeOptions, NativeInstance } from "./engines/native.js";
export { Module } from "./api/module.js";
export { createSpectest } from "./spectest.js";
export { runSpec, runSpecFile, collectSpecFiles } from "./spec.js";
export type { SpecOptions, FileResult, SpecTotals } from "./spec.js";
export type { ImportDescriptor, ExportDescriptor, ValidationResult } from "./api/module.js";
export { Instance } from "./api/instance.js";
export type { ImportObject, ImportValue, InstantiateOptions } from "./api/instance.js";
export { Func, Memory, Table, Global, ExternKind, externFromHandle, isExtern } from "./api/externs.js";
export type { Extern, InvokeOptions, MemoryType, TableType, GlobalType } from "./api/externs.js";
export { Suspended, WrtOutOfFuel, WrtTimeout, Status, UNBOUNDED_FUEL, seededRandom } from "./api/run.js";
export type { CallResult, Completed, FuelOptions } from "./api/run.js";
export {
  RawValue, VALTYPE_BYTE, valTypeFromByte, encodeValue, decodeValue, f32ToBits, bitsToF32, f64ToBits, bitsToF64,
  formatTyped, parseTyped, parseV128, formatV128Lanes, formatF32, formatF64,
} from "./api/values.js";
export type { ValType, RefType, FuncType, Value, RefContext } from "./api/values.js";
export {
  WrtError, WrtCodedError, WrtDecodeError, WrtValidationError, WrtLinkError, WrtInstantiationError,
  WrtApiError, WrtTrap, WrtInternalError, WrtSnapshotError, WrtImageError, WrtSignatureError, ErrCode, TrapCode,
} from "./api/errors.js";
export {
  signBytes, verifySigned, readSignature, keyId, rawPublicKey, publicKeyOf, generateSigningKeys, SIGNATURE_TRAILER_BYTES, SIGNATURE_MAGIC,
} from "./api/signature.js";
export type { SigningKey } from "./api/signature.js";
export { readSnapshotInfo, moduleHash, crc32, resealSnapshot, migrationStats } from "./api/snapshot.js";
export type { HostBindings, RestoreOptions, RestoreIntoOptions, RestoredState, SnapshotInfo } from "./api/snapshot.js";
export { readContainer, writeContainer } from "./api/container.js";
export type { Container } from "./api/container.js";
export {
  LOG_LEVEL_NAMES, parseLogLevel, formatLogLine, escapeControls, stderrLogHandler, WASI_LOGGING_MODULE, WASI_LOGGING_NAME,
} from "./api/log-format.js";
export type { LogRecord, LogLevelName, LogHandler } from "./api/log-format.js";
export { SyslogSink, SYSLOG_FACILITIES, SYSLOG_SEVERITY, syslogPriority, parseFacility } from "./logging/syslog.js";
export type { SyslogOptions } from "./logging/syslog.js";
export { lockstep, describeDifference } from "./tools/lockstep.js";
export type { LockstepOptions, LockstepResult, Divergence } from "./tools/lockstep.js";
export { WasiPreview1, WasiExit, WASI_MODULE } from "./wasi/preview1.js";
export type { WasiOptions } from "./wasi/preview1.js";
export { AssemblyScriptEnv, assemblyScriptEnv } from "./hosts/assemblyscript.js";
export type { AssemblyScriptEnvOptions } from "./hosts/assemblyscript.js";
export { trapUnknownImports, missingImports } from "./hosts/unknown-imports.js";
// Component Model validator (comp; the jco-based WIT tools stay out of the package entry)
export { ComponentValidator, type ComponentVerdict, type ComponentCustom } from "./component/validator.js";
