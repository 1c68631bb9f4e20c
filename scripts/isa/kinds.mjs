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
});

export const Flag = Object.freeze({
  MEM0: 1,           // uses the instance's memory 0 (the module must have one)
  NO_FALLTHROUGH: 2, // never continues at the next op (a function's last op must have this)
  TARGET_FUEL: 4,    // metered code: each Target of this op is a Fuel op (the handler pays it inline)
  NEXT_FUEL: 8,      // metered code: the op after this one is a Fuel op (paid inline on fallthrough/return)
  NOT_IN_CODE: 16,   // never stored in code (Halt is only planted while running)
  EXTENSION: 32,     // a proposal's primary op: the op word's upper 24 bits select the real op (reserved)
  RESUMABLE: 64,     // may stop for fuel part-way with pc at itself, its block partly paid (bulk ops, exec/bulk.ts)
});

export const kindName = Object.fromEntries(Object.entries(Kind).map(([k, v]) => [v, k]));
