// What an expected failure of the spec suite means in WRT's terms: the
// tables the spec runner (spec.ts) checks traps, decode errors and
// validation errors against. docs/spec-runner.md explains them.
//
// The spec's texts are the reference interpreter's messages. WRT's own texts
// follow them (assembly/errors.ts, assembly/exec/trap.ts), so a rejection
// must match three ways: the error class (decode vs validation vs trap), the
// code (from these tables), and the text (the spec's, or a wording listed in
// WORDING). Anything not in the tables is a failure, so a new expectation of
// the suite needs a deliberate row here.

/** Trap codes of assembly/exec/trap.ts (mirrored in errors.ts TrapCode). */
const T = {
  Unreachable: 1, MemoryOutOfBounds: 2, TableOutOfBounds: 3, IndirectCallTypeMismatch: 4,
  UninitializedElement: 5, NullReference: 6, IntegerDivideByZero: 7, IntegerOverflow: 8,
  InvalidConversion: 9, CallStackExhausted: 10, UndefinedElement: 13,
} as const;

/** `Err` codes of assembly/errors.ts: decode (1..39), validation (40..79), instantiation (80..99). */
const E = {
  UnexpectedEnd: 1, MagicHeader: 2, UnknownVersion: 3, IntegerTooLong: 4, IntegerTooLarge: 5,
  SectionSizeMismatch: 6, SectionOutOfOrder: 7, MalformedSectionId: 8, FunctionCodeMismatch: 9,
  TooManyLocals: 10, MalformedUtf8: 11, MalformedImportKind: 12, MalformedReferenceType: 13,
  MalformedValueType: 14, MalformedMutability: 15, MalformedLimits: 16, IllegalOpcode: 17,
  ZeroByteExpected: 18, DataCountRequired: 19, DataCountMismatch: 20, LengthOutOfBounds: 21,
  UnexpectedContent: 24, MalformedMemopFlags: 27, EndOpcodeExpected: 28,
  TypeMismatch: 40, UnknownType: 41, UnknownFunction: 42, UnknownTable: 43, UnknownMemory: 44,
  UnknownGlobal: 45, UnknownLocal: 46, UnknownLabel: 47, UnknownElem: 48, UnknownData: 49,
  UnknownDataCount: 50, AlignmentTooLarge: 51, GlobalIsImmutable: 52, ConstantExpressionRequired: 53,
  DuplicateExportName: 54, MultipleMemories: 55, MemorySizeLimit: 56, SizeMinimumGreaterThanMaximum: 57,
  StartFunctionType: 58, UndeclaredFunctionReference: 59, InvalidResultArity: 60, InvalidLaneIndex: 63,
  UnknownImport: 80, IncompatibleImportType: 81, OutOfBoundsMemoryAccess: 82, OutOfBoundsTableAccess: 83,
} as const;

/** assert_trap / assert_exhaustion / a trapping start function: spec text -> WRT trap codes. */
export const TRAP_CODES: Record<string, readonly number[]> = {
  "unreachable": [T.Unreachable],
  "out of bounds memory access": [T.MemoryOutOfBounds],
  "out of bounds table access": [T.TableOutOfBounds],
  "indirect call type mismatch": [T.IndirectCallTypeMismatch],
  "uninitialized element": [T.UninitializedElement],
  "undefined element": [T.UndefinedElement],
  "null reference": [T.NullReference],
  "integer divide by zero": [T.IntegerDivideByZero],
  "integer overflow": [T.IntegerOverflow],
  "invalid conversion to integer": [T.InvalidConversion],
  "call stack exhausted": [T.CallStackExhausted],
};

/** assert_malformed (binary modules): spec text -> WRT decode error codes. */
export const DECODE_CODES: Record<string, readonly number[]> = {
  "unexpected end": [E.UnexpectedEnd],
  "unexpected end of section or function": [E.UnexpectedEnd],
  "magic header not detected": [E.MagicHeader],
  "unknown binary version": [E.UnknownVersion],
  "integer representation too long": [E.IntegerTooLong],
  // limits flags beyond 0/1 are "integer too large" in the reference interpreter
  "integer too large": [E.IntegerTooLarge, E.MalformedLimits],
  "section size mismatch": [E.SectionSizeMismatch],
  "malformed section id": [E.MalformedSectionId],
  "function and code section have inconsistent lengths": [E.FunctionCodeMismatch],
  "too many locals": [E.TooManyLocals],
  "malformed UTF-8 encoding": [E.MalformedUtf8],
  "malformed import kind": [E.MalformedImportKind],
  "malformed reference type": [E.MalformedReferenceType],
  "malformed value type": [E.MalformedValueType],
  "malformed mutability": [E.MalformedMutability],
  "illegal opcode": [E.IllegalOpcode],
  "zero byte expected": [E.ZeroByteExpected],
  "data count section required": [E.DataCountRequired],
  "data count and data section have inconsistent lengths": [E.DataCountMismatch],
  "length out of bounds": [E.LengthOutOfBounds],
  // sections out of order are reported like content after the last one
  "unexpected content after last section": [E.UnexpectedContent, E.SectionOutOfOrder],
  "malformed memop flags": [E.MalformedMemopFlags],
  "END opcode expected": [E.EndOpcodeExpected],
};

/** assert_invalid: spec text -> WRT validation error codes. */
export const VALIDATION_CODES: Record<string, readonly number[]> = {
  "type mismatch": [E.TypeMismatch],
  "unknown type": [E.UnknownType],
  "unknown function": [E.UnknownFunction],
  "unknown table": [E.UnknownTable],
  "unknown memory": [E.UnknownMemory],
  "unknown global": [E.UnknownGlobal],
  "unknown local": [E.UnknownLocal],
  "unknown label": [E.UnknownLabel],
  "unknown elem segment": [E.UnknownElem],
  "unknown data segment": [E.UnknownData, E.UnknownDataCount],
  "alignment must not be larger than natural": [E.AlignmentTooLarge],
  "global is immutable": [E.GlobalIsImmutable],
  "invalid lane index": [E.InvalidLaneIndex],
  "constant expression required": [E.ConstantExpressionRequired],
  "duplicate export name": [E.DuplicateExportName],
  "multiple memories": [E.MultipleMemories],
  "memory size must be at most 65536 pages (4GiB)": [E.MemorySizeLimit],
  "size minimum must not be greater than maximum": [E.SizeMinimumGreaterThanMaximum],
  "start function": [E.StartFunctionType],
  "undeclared function reference": [E.UndeclaredFunctionReference],
  "invalid result arity": [E.InvalidResultArity],
};

/** assert_unlinkable: spec text -> WRT link error codes. */
export const LINK_CODES: Record<string, readonly number[]> = {
  "unknown import": [E.UnknownImport],
  "incompatible import type": [E.IncompatibleImportType],
};

/**
 * assert_uninstantiable: a segment out of bounds is an instantiation error
 * (no guest code ran); a trapping start function is a trap.
 */
export const INSTANTIATION_CODES: Record<string, readonly number[]> = {
  "out of bounds memory access": [E.OutOfBoundsMemoryAccess],
  "out of bounds table access": [E.OutOfBoundsTableAccess],
};

/**
 * Deliberate wording differences: the spec's text -> the text WRT prints
 * instead. WRT has one "unexpected end", whether the module, a section or a
 * function body ends too early.
 */
export const WORDING: Record<string, string> = {
  "unexpected end of section or function": "unexpected end",
};

/**
 * Single commands where WRT reports another (equally right) error than the
 * reference interpreter, by file (without .json) and line, with the reason.
 * `kind`/`code`: what WRT must report instead.
 *
 * Most are one pattern: WRT bounds every read by the end of its section or
 * function body, so a LEB128, an expression or a name that runs past the
 * end is "unexpected end" (or "END opcode expected" in a body); the
 * reference interpreter reads on into the next bytes and reports what it
 * finds there (the suite's own comment at binary.wast line 93 says so).
 */
export const KNOWN_DIFFERENCES: Record<string, { kind: "malformed" | "invalid"; code: number; why: string }> = {
  "binary-leb128:348": { kind: "malformed", code: E.UnexpectedEnd, why: "the 6-byte LEB128 runs past the function section's end; WRT stops at the end" },
  "binary:93": { kind: "malformed", code: E.EndOpcodeExpected, why: "a body without its end: WRT stops at the body's declared size, the reference reads the next section's id as `end`" },
  "binary:113": { kind: "malformed", code: E.UnexpectedEnd, why: "a constant expression without `end` at the global section's end; the reference reads on into the code section" },
  "binary:929": { kind: "malformed", code: E.UnexpectedEnd, why: "2 exports declared, 1 given: WRT stops at the export section's end, the reference reads the code section as a name length" },
  // wast2json writes these text modules without a data count section, and
  // their code uses a data index: the binary format requires the section
  // then (spec 5.5.16, `data count section required`), so the binary is
  // malformed; the reference interpreter validates the text module instead.
  // V8 reports both as "invalid data segment index" (it does not insist on
  // the data count section).
  "memory_init:190": { kind: "malformed", code: E.DataCountRequired, why: "`data.drop 0` in a binary without a data count section (spec 5.5.16)" },
  "memory_init:227": { kind: "malformed", code: E.DataCountRequired, why: "`memory.init 1` in a binary without a data count section (spec 5.5.16)" },
};

/** The spec's text without a trailing index ("unknown memory 1" -> "unknown memory"). */
export function baseText(text: string): string {
  return text.replace(/ \d+$/, "");
}

/** Does WRT's message say what the spec's text says (or its listed wording)? */
export function sameText(message: string, specText: string): boolean {
  const base = baseText(specText);
  const wording = WORDING[base];
  return message.includes(specText) || message.includes(base) || (wording !== undefined && message.includes(wording));
}
