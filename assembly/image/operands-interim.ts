// INTERIM copy of the isa engineer's generated assembly/compile/operands.ts
// (scripts/isa/gen.mjs, not yet on main), plus kind 20 GlobalMut for GlobalSet.
// The image verifier (verify.ts) imports the table from here until the
// generated file lands; then this file goes and verify.ts imports that one.
// Per internal-code op: its words, flags and the kind of each operand word (docs/internal-code.md,
// "Operand kinds"). The image verifier checks every word by its kind with this table alone.

/** What an operand word holds (scripts/isa/kinds.mjs says what each kind must satisfy). */
export const enum Kind {
  None = 0,
  Slot = 1,
  Slot16 = 2,
  Imm = 3,
  Target = 4,
  BrCount = 5,
  FuncInfo = 6,
  ImportFunc = 7,
  Func = 8,
  Table = 9,
  Memory = 10,
  Global = 11,
  CanonType = 12,
  Data = 13,
  Elem = 14,
  Cost = 15,
  Side = 16,
  ArgBase = 17,
  ResultSrc = 18,
  ResultCount = 19,
  GlobalMut = 20,   // a mutable global's index (GlobalSet)
}

/** Properties of an op a verifier needs beyond its operands (scripts/isa/kinds.mjs). */
export const enum OpFlag {
  MEM0 = 1,
  NO_FALLTHROUGH = 2,
  TARGET_FUEL = 4,
  NEXT_FUEL = 8,
  NOT_IN_CODE = 16,
  EXTENSION = 32,
}

/** Ops: every op word below this is an op; no other word is (the loop dispatches on the low byte). */
export const OP_COUNT: u32 = 251;

// One u32 per op: words (incl. the op word) | flags << 8 | (offset of its kinds in KINDS) << 16.
// Flag 0x80: variable length, the last fixed word is a BrCount n and n + 1 Target words follow.
const OPS: usize = memory.data<u32>([
  0x00000201, 0x00000001, 0x00000003, 0x00001001, 0x00020602, 0x00030c03,
  0x00030c03, 0x00058203, 0x00070203, 0x00090803, 0x000b0803, 0x000d0805,
  0x00110003, 0x00130004, 0x00100005, 0x00160003, 0x003f0003, 0x00030102,
  0x00110103, 0x00100104, 0x00100104, 0x001a0105, 0x001a0002, 0x001e0004,
  0x00210004, 0x001e0003, 0x00200005, 0x00240005, 0x00280006, 0x002d0006,
  0x002e0002, 0x00110003, 0x00320003, 0x00120104, 0x00120104, 0x00120104,
  0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104,
  0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104,
  0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104, 0x00120104,
  0x00120104, 0x00120104, 0x00000000, 0x00110003, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00110003, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00110003, 0x00110003, 0x00110003, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00110003, 0x00110003, 0x00110003, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00100004, 0x00100004, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00100004, 0x00100004,
  0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00100004, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003, 0x00110003,
  0x00110003, 0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00120004,
  0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00120004,
  0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00120004,
  0x00120004, 0x00120004, 0x00120004, 0x00120004, 0x00340c04, 0x00340c04,
  0x00340c04, 0x00340c04, 0x00340c04, 0x00340c04, 0x00340c04, 0x00340c04,
  0x00340c04, 0x00340c04, 0x00370c04, 0x00370c04, 0x00370c04, 0x00370c04,
  0x00370c04, 0x00370c04, 0x00370c04, 0x00370c04, 0x00370c04, 0x00370c04,
  0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106,
  0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106, 0x003a0106,
  0x003a0106, 0x003a0106, 0x00100005, 0x00110005, 0x00110005,
]);

// Operand kinds, shared runs: an op's kinds are KINDS[offset .. offset + words - 1).
const KINDS: usize = memory.data<u8>([
  15, 16, 4, 1, 4, 1, 5, 18, 19, 6, 17, 7, 17, 12, 9, 17, 1, 1, 1, 1, 3, 3, 1, 11,
  11, 1, 13, 1, 1, 1, 1, 9, 1, 9, 1, 1, 9, 1, 1, 1, 9, 9, 1, 1, 1, 9, 14, 1,
  1, 1, 1, 8, 1, 1, 4, 1, 3, 4, 1, 1, 3, 3, 3, 20, 1,
]);

@inline function opRecord(word: u32): u32 {
  return word < OP_COUNT ? load<u32>(OPS + (<usize>word << 2)) : 0;
}

/** Is `word` an op word? */
export function isOp(word: u32): bool { return opRecord(word) != 0; }

/** Fixed words of op `word`, the op word included (0: not an op). BrTable's targets come on top: see opLength. */
export function opWords(word: u32): u32 { return opRecord(word) & 0xFF; }

/** The op's OpFlag bits (0 for a word that is not an op). */
export function opFlags(word: u32): u32 { return (opRecord(word) >>> 8) & 0x7F; }

/** Kind of operand word `i` (1 .. opWords - 1) of op `word`; for a variable op, every word past the fixed ones is a Target. Kind.None outside. */
export function operandKind(word: u32, i: u32): Kind {
  let r = opRecord(word);
  let words = r & 0xFF;
  if (i == 0) return Kind.None;
  if (i >= words) return (r & 0x8000) != 0 ? Kind.Target : Kind.None;
  return <Kind>load<u8>(KINDS + <usize>(r >>> 16) + <usize>(i - 1));
}

/** Words of the op starting at word `pos` of `code`, BrTable targets included; 0 if `code[pos]` is not an op or the op does not end within `code`. */
export function opLength(code: StaticArray<u32>, pos: u32): u32 {
  let len = <u32>code.length;
  if (pos >= len) return 0;
  let r = opRecord(unchecked(code[pos]));
  let words = r & 0xFF;
  if (words == 0) return 0;
  let total = <u64>words;
  if ((r & 0x8000) != 0) {
    if (<u64>pos + <u64>words > <u64>len) return 0;
    total += <u64>unchecked(code[pos + words - 1]) + 1;
  }
  return <u64>pos + total <= <u64>len ? <u32>total : 0;
}
