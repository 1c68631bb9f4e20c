// Error codes and their texts, in one place.
//
// Decode and validation errors carry one of these codes plus a byte offset
// (see binary/reader.ts). Guest traps are a separate, smaller enum
// (exec/trap.ts): a trap is a guest event, an error is a rejected input.
//
// Texts follow the spec test suite's wording where one exists, so the spec
// runner can show both side by side.

export const enum Err {
  None = 0,
  // ---- binary format (malformed) ----
  UnexpectedEnd = 1,
  MagicHeader = 2,
  UnknownVersion = 3,
  IntegerTooLong = 4,       // LEB128 longer than ceil(N/7) bytes
  IntegerTooLarge = 5,      // unused bits of the last LEB byte set
  SectionSizeMismatch = 6,
  SectionOutOfOrder = 7,
  MalformedSectionId = 8,
  FunctionCodeMismatch = 9, // function and code section counts differ
  TooManyLocals = 10,
  MalformedUtf8 = 11,
  MalformedImportKind = 12,
  MalformedReferenceType = 13,
  MalformedValueType = 14,
  MalformedMutability = 15,
  MalformedLimits = 16,
  IllegalOpcode = 17,
  ZeroByteExpected = 18,
  DataCountRequired = 19,
  DataCountMismatch = 20,
  LengthOutOfBounds = 21,
  MalformedFuncType = 22,
  MalformedElemKind = 23,
  UnexpectedContent = 24,   // bytes left after the last section/expression
  MalformedSection = 25,    // generic structural error inside a section
  MalformedExportKind = 26,
  MalformedMemopFlags = 27, // memarg alignment exponent >= 32
  EndOpcodeExpected = 28,   // a body's code runs past its size, or else/catch out of place
  MalformedSegmentKind = 29, // element flags > 7, data flags > 2
  FeatureDisabled = 30,     // an opcode or type of a proposal the embedder turned off (config keys 17, 18)
  // ---- validation (invalid) ----
  TypeMismatch = 40,
  UnknownType = 41,
  UnknownFunction = 42,
  UnknownTable = 43,
  UnknownMemory = 44,
  UnknownGlobal = 45,
  UnknownLocal = 46,
  UnknownLabel = 47,
  UnknownElem = 48,
  UnknownData = 49,
  UnknownDataCount = 50,
  AlignmentTooLarge = 51,
  GlobalIsImmutable = 52,
  ConstantExpressionRequired = 53,
  DuplicateExportName = 54,
  MultipleMemories = 55,
  MemorySizeLimit = 56,     // "memory size must be at most 65536 pages (4GiB)"
  SizeMinimumGreaterThanMaximum = 57,
  StartFunctionType = 58,
  UndeclaredFunctionReference = 59,
  InvalidResultArity = 60,
  TableSizeLimit = 61,
  UnknownTag = 62,
  InvalidLaneIndex = 63,
  // ---- linking / instantiation ----
  UnknownImport = 80,
  IncompatibleImportType = 81,
  OutOfBoundsMemoryAccess = 82,  // data segment does not fit
  OutOfBoundsTableAccess = 83,   // elem segment does not fit
  StartTrapped = 84,
  // ---- embedding / resources ----
  OutOfMemory = 100,        // interpreter heap or a configured budget exhausted
  LimitExceeded = 101,      // an embedder limit (module size, instances, ...)
  BadHandle = 102,
  BadState = 103,           // API call not allowed in the current state
  BadArgument = 104,
  ExportNotFound = 105,
  NotAFunction = 106,
  // ---- snapshots (state/) ----
  SnapshotMagic = 120,
  SnapshotVersion = 121,
  SnapshotChecksum = 122,
  SnapshotModule = 123,
  SnapshotCorrupt = 124,
  SnapshotLimit = 125,
  SnapshotState = 126,
  // ---- precompiled images (image/) ----
  ImageMagic = 130,
  ImageVersion = 131,
  ImageChecksum = 132,
  ImageCorrupt = 133,
  ImageNotAllowed = 134,
  SignatureRefused = 135,   // host side only (docs/signing.md): the hosts check signatures before the interpreter sees the bytes
  // ---- components (component/) ----
  ComponentMalformed = 140,   // the component binary format (Binary.md)
  ComponentInvalid = 141,     // a validation rule of Binary.md / Explainer.md
  ComponentUnsupported = 142, // a gated or async feature outside WASI 0.2
}

/** Human text for an error code; the spec suite's wording where it has one. */
export function errText(code: Err): string {
  switch (code) {
    case Err.None: return "no error";
    case Err.UnexpectedEnd: return "unexpected end";
    case Err.MagicHeader: return "magic header not detected";
    case Err.UnknownVersion: return "unknown binary version";
    case Err.IntegerTooLong: return "integer representation too long";
    case Err.IntegerTooLarge: return "integer too large";
    case Err.SectionSizeMismatch: return "section size mismatch";
    case Err.SectionOutOfOrder: return "unexpected content after last section";
    case Err.MalformedSectionId: return "malformed section id";
    case Err.FunctionCodeMismatch: return "function and code section have inconsistent lengths";
    case Err.TooManyLocals: return "too many locals";
    case Err.MalformedUtf8: return "malformed UTF-8 encoding";
    case Err.MalformedImportKind: return "malformed import kind";
    case Err.MalformedReferenceType: return "malformed reference type";
    case Err.MalformedValueType: return "malformed value type";
    case Err.MalformedMutability: return "malformed mutability";
    case Err.MalformedLimits: return "integer too large";
    case Err.IllegalOpcode: return "illegal opcode";
    case Err.FeatureDisabled: return "feature disabled";
    case Err.ZeroByteExpected: return "zero byte expected";
    case Err.DataCountRequired: return "data count section required";
    case Err.DataCountMismatch: return "data count and data section have inconsistent lengths";
    case Err.LengthOutOfBounds: return "length out of bounds";
    case Err.MalformedFuncType: return "malformed functype";
    case Err.MalformedElemKind: return "malformed element kind";
    case Err.UnexpectedContent: return "unexpected content after last section";
    case Err.MalformedSection: return "malformed section";
    case Err.MalformedExportKind: return "malformed export kind";
    case Err.MalformedMemopFlags: return "malformed memop flags";
    case Err.EndOpcodeExpected: return "END opcode expected";
    case Err.MalformedSegmentKind: return "malformed segment kind";
    case Err.TypeMismatch: return "type mismatch";
    case Err.UnknownType: return "unknown type";
    case Err.UnknownFunction: return "unknown function";
    case Err.UnknownTable: return "unknown table";
    case Err.UnknownMemory: return "unknown memory";
    case Err.UnknownGlobal: return "unknown global";
    case Err.UnknownLocal: return "unknown local";
    case Err.UnknownLabel: return "unknown label";
    case Err.UnknownElem: return "unknown elem segment";
    case Err.UnknownData: return "unknown data segment";
    case Err.UnknownDataCount: return "unknown data segment";
    case Err.AlignmentTooLarge: return "alignment must not be larger than natural";
    case Err.GlobalIsImmutable: return "global is immutable";
    case Err.ConstantExpressionRequired: return "constant expression required";
    case Err.DuplicateExportName: return "duplicate export name";
    case Err.MultipleMemories: return "multiple memories";
    case Err.MemorySizeLimit: return "memory size must be at most 65536 pages (4GiB)";
    case Err.SizeMinimumGreaterThanMaximum: return "size minimum must not be greater than maximum";
    case Err.StartFunctionType: return "start function";
    case Err.UndeclaredFunctionReference: return "undeclared function reference";
    case Err.InvalidResultArity: return "invalid result arity";
    case Err.TableSizeLimit: return "table size";
    case Err.UnknownTag: return "unknown tag";
    case Err.InvalidLaneIndex: return "invalid lane index";
    case Err.UnknownImport: return "unknown import";
    case Err.IncompatibleImportType: return "incompatible import type";
    case Err.OutOfBoundsMemoryAccess: return "out of bounds memory access";
    case Err.OutOfBoundsTableAccess: return "out of bounds table access";
    case Err.StartTrapped: return "start function trapped";
    case Err.OutOfMemory: return "out of memory";
    case Err.LimitExceeded: return "limit exceeded";
    case Err.BadHandle: return "bad handle";
    case Err.BadState: return "call not allowed in this state";
    case Err.BadArgument: return "bad argument";
    case Err.ExportNotFound: return "export not found";
    case Err.NotAFunction: return "export is not a function";
    case Err.SnapshotMagic: return "not a WRT snapshot";
    case Err.SnapshotVersion: return "snapshot version or internal-code version differs";
    case Err.SnapshotChecksum: return "snapshot checksum mismatch";
    case Err.SnapshotModule: return "snapshot names a module that is not loaded";
    case Err.SnapshotCorrupt: return "snapshot is inconsistent";
    case Err.SnapshotLimit: return "snapshot exceeds a configured limit";
    case Err.SnapshotState: return "snapshot not possible in this state";
    case Err.ImageMagic: return "not a WRT image";
    case Err.ImageVersion: return "image was compiled for another interpreter";
    case Err.ImageChecksum: return "image checksum mismatch";
    case Err.ImageCorrupt: return "image is inconsistent";
    case Err.ImageNotAllowed: return "precompiled images are not allowed (allowImages is off)";
    case Err.ComponentMalformed: return "malformed component";
    case Err.ComponentInvalid: return "invalid component";
    case Err.ComponentUnsupported: return "not supported";
  }
  return "unknown error";
}

/**
 * The last error of an API call: code, byte offset (or -1), and a detail
 * text (e.g. "in function 3"). One per interpreter; read by the host.
 */
export class ErrorInfo {
  code: Err = Err.None;
  offset: i64 = -1;
  detail: string = "";

  set(code: Err, offset: i64, detail: string): void {
    this.code = code;
    this.offset = offset;
    this.detail = detail;
  }
  clear(): void {
    this.code = Err.None;
    this.offset = -1;
    this.detail = "";
  }
  /** "type mismatch at byte 0x2a: in function 3" */
  message(): string {
    let s = errText(this.code);
    if (this.offset >= 0) s += " at byte 0x" + this.offset.toString(16);
    if (this.detail.length > 0) s += ": " + this.detail;
    return s;
  }
}

export const lastError = new ErrorInfo();
