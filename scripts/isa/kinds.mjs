// Operand kinds and op flags of the internal code (docs/internal-code.md,
// "The instruction set as data"). Every word after an op's opcode word has
// exactly one kind; a verifier checks each word by its kind alone, so a new
// op needs a table row, never new verifier code. Numbers are part of the
// generated assembly/compile/operands.ts: append, never renumber.

export const Kind = Object.freeze({
  Slot: 1,         // byte offset of an 8-byte slot from fp: multiple of 8, +8 <= frameBytes
  Slot16: 2,       // a v128 value, two slots (reserved for SIMD): multiple of 8, +16 <= frameBytes
  Imm: 3,          // any 32-bit value (constants, memarg offsets, shift counts, Const halves)
  Target: 4,       // byte offset (from the module code's start) of an op start in the same function
  BrCount: 5,      // n: the op is followed by n + 1 Target words (BrTable); the only variable length
  FuncInfo: 6,     // defined function index * FUNC_INFO_BYTES (a Call's callee)
  ImportFunc: 7,   // imported function index (< the module's imported function count)
  Func: 8,         // function index, imports first (< imported + defined)
  Table: 9,        // table index (imports first)
  Memory: 10,      // memory index (reserved for multi-memory; today memory 0 is implied, flag MEM0)
  Global: 11,      // global index (imports first)
  CanonType: 12,   // canonical function type id: the id of one of the module's types
  Data: 13,        // data segment index
  Elem: 14,        // element segment index
  Cost: 15,        // fuel cost of the block a Fuel op starts (any value)
  Side: 16,        // side-table index of that block's record
  ArgBase: 17,     // slot offset of a call's argument/result area: the callee's params and results
                   // (signature from the op's FuncInfo / ImportFunc / CanonType word) fit in the frame
  ResultSrc: 18,   // Return's source slot: the next word's count of slots from here fit in the frame
  ResultCount: 19, // Return's slot count: the function's result count
  GlobalMut: 20,   // index of a mutable global (GlobalSet): an image must not write another instance's constant
  TargetCost: 21,  // the fuel a taken jump pays for where it lands (the word after its Target): metered, the
                   // cost of the Fuel op just before the target (the target lies right past it); unmetered, 0
  NextCost: 22,    // the fuel a conditional jump pays when not taken: metered, the cost of the Fuel op right
                   // after the jump (the run continues past it); unmetered, 0
});

export const Flag = Object.freeze({
  MEM0: 1,           // uses the instance's memory 0 (the module must have one)
  NO_FALLTHROUGH: 2, // never continues at the next op (a function's last op must have this)
  TARGET_FUEL: 4,    // metered code: each Target of this op lies right past a Fuel op, whose cost the op carries (TargetCost)
  NEXT_FUEL: 8,      // metered code: the op after this one is a Fuel op (paid inline on fallthrough/return)
  NOT_IN_CODE: 16,   // never stored in code (Halt is only planted while running)
  EXTENSION: 32,     // a proposal's primary op: the op word's upper 24 bits select the real op (reserved)
  RESUMABLE: 64,     // may stop for fuel part-way with pc at itself, its block partly paid (bulk ops, exec/bulk.ts)
});

export const kindName = Object.fromEntries(Object.entries(Kind).map(([k, v]) => [v, k]));

// ---- the Wasm side of extension proposal tables (scripts/isa/gen-ext.mjs) ----

/** Immediates of an extension op, in Wasm byte order: what the decoder reads, the validator checks
 *  (`:N` is the argument: memarg's largest alignment exponent, a lane count) and the IR words they become.
 *  Numbers are part of the generated assembly/binary/ext-ops.ts. */
export const Imm = Object.freeze({
  memarg: { code: 1, words: 1, kind: Kind.Imm },   // align (<= N, needs memory 0), offset -> 1 Imm word (the offset)
  lane: { code: 2, words: 1, kind: Kind.Imm },     // one byte < N -> 1 Imm word
  lanes16: { code: 3, words: 4, kind: Kind.Imm },  // 16 bytes, each < N -> 4 Imm words (a semantics arg: pointer)
  v128: { code: 4, words: 4, kind: Kind.Imm },     // 16 bytes -> 4 Imm words (a semantics arg: pointer)
  i32: { code: 5, words: 1, kind: Kind.Imm },      // s32 LEB
  i64: { code: 6, words: 2, kind: Kind.Imm },      // s64 LEB -> lo, hi (a semantics arg: u64)
  f32: { code: 7, words: 1, kind: Kind.Imm },      // 4 bytes
  f64: { code: 8, words: 2, kind: Kind.Imm },      // 8 bytes -> lo, hi (a semantics arg: u64)
  zero: { code: 9, words: 0 },                     // a reserved 0x00 byte: no IR word
  func: { code: 10, words: 1, kind: Kind.Func },   // u32 LEB indices, below the module's count
  table: { code: 11, words: 1, kind: Kind.Table },
  memory: { code: 12, words: 1, kind: Kind.Memory },
  global: { code: 13, words: 1, kind: Kind.Global },
  data: { code: 14, words: 1, kind: Kind.Data },
  elem: { code: 15, words: 1, kind: Kind.Elem },
});

/** Value types a signature names (binary encodings; v128 values take a Slot16). */
export const ValType = Object.freeze({ i32: 0x7F, i64: 0x7E, f32: 0x7D, f64: 0x7C, v128: 0x7B, funcref: 0x70, externref: 0x6F });

/** The decoder's Feature bits (assembly/binary/decoder.ts `Feature`; tests/node/isa.test.mjs checks they agree). */
export const Feature = Object.freeze({ SIMD: 1, RelaxedSIMD: 2, TailCall: 4, Exceptions: 8, LegacyExceptions: 16 });
