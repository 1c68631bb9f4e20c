// Guest traps: a small enum of codes, returned through the dispatch loop as
// a status (never an AssemblyScript exception). Texts are the spec suite's.

export const enum Trap {
  None = 0,
  Unreachable = 1,
  MemoryOutOfBounds = 2,
  TableOutOfBounds = 3,
  IndirectCallTypeMismatch = 4,
  UninitializedElement = 5,
  NullReference = 6,
  IntegerDivideByZero = 7,
  IntegerOverflow = 8,
  InvalidConversion = 9,
  CallStackExhausted = 10,
  HostError = 11,
  OutOfMemory = 12,          // an interpreter or embedder memory limit hit where the spec has no failure result
  UndefinedElement = 13,
}

export function trapText(t: Trap): string {
  switch (t) {
    case Trap.Unreachable: return "unreachable";
    case Trap.MemoryOutOfBounds: return "out of bounds memory access";
    case Trap.TableOutOfBounds: return "out of bounds table access";
    case Trap.IndirectCallTypeMismatch: return "indirect call type mismatch";
    case Trap.UninitializedElement: return "uninitialized element";
    case Trap.NullReference: return "null reference";
    case Trap.IntegerDivideByZero: return "integer divide by zero";
    case Trap.IntegerOverflow: return "integer overflow";
    case Trap.InvalidConversion: return "invalid conversion to integer";
    case Trap.CallStackExhausted: return "call stack exhausted";
    case Trap.HostError: return "host error";
    case Trap.OutOfMemory: return "out of memory";
    case Trap.UndefinedElement: return "undefined element";
  }
  return "no trap";
}
