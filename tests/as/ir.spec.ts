// Unit tests for assembly/compile/ir.ts: the op numbering the dispatch loop
// relies on (docs/internal-code.md, "One jump table") and the op lengths.
import { Ir, irWords, immOp, hasImmForm, immCompare } from "../../assembly/compile/ir";

describe("op numbers", () => {
  it("fit in the byte the dispatch loop switches on", () => {
    expect<i32>(<i32>Ir.Count).toBeLessThanOrEqual(256);
  });

  it("keep the ranged forms dense and in Wasm opcode order", () => {
    expect<i32>(<i32>Ir.StoreBase).toBe(<i32>Ir.LoadBase + 14);
    expect<i32>(<i32>Ir.I32Eqz).toBe(<i32>Ir.NumBase);
    expect<i32>(<i32>Ir.I64Extend32S).toBe(<i32>Ir.NumBase + 0xC4 - 0x45);
    expect<i32>(<i32>Ir.ImmBase).toBe(<i32>Ir.SatBase + 8);
    expect<i32>(<i32>Ir.LoadAddBase + 14).toBeLessThanOrEqual(<i32>Ir.Copy2);
  });

  it("give every i32 op with an immediate form its own dense slot", () => {
    let seen = new Set<u32>();
    for (let op: u32 = 0x46; op <= 0x78; op++) {
      if (!hasImmForm(op) || (op >= 0x4C && op <= 0x4F)) continue; // le/ge: through immCompare
      let ir = immOp(op);
      expect<bool>(ir >= <u32>Ir.ImmBase && ir < <u32>Ir.JumpCmpBase).toBe(true);
      expect<bool>(seen.has(ir)).toBe(false);
      seen.add(ir);
    }
    expect<i32>(seen.size).toBe(17);
    expect<u32>(immOp(0x6A)).toBe(<u32>Ir.I32AddImm);
    expect<u32>(immOp(0x78)).toBe(<u32>Ir.I32RotrImm);
  });

  it("compile le/ge against a constant as lt/gt of the next one, except at the range ends", () => {
    expect<u64>(immCompare(0x4C, 5)).toBe((<u64>6 << 32) | 0x48);                 // le_s 5: lt_s 6
    expect<u64>(immCompare(0x4C, 0xFFFFFFFF)).toBe(0x48);                          // le_s -1: lt_s 0
    expect<u64>(immCompare(0x4C, 0x7FFFFFFF)).toBe(0);                             // le_s MAX: always
    expect<u64>(immCompare(0x4D, 0x7FFFFFFF)).toBe((<u64>0x80000000 << 32) | 0x49); // le_u: lt_u
    expect<u64>(immCompare(0x4D, 0xFFFFFFFF)).toBe(0);
    expect<u64>(immCompare(0x4E, 0)).toBe((<u64>0xFFFFFFFF << 32) | 0x4A);         // ge_s 0: gt_s -1
    expect<u64>(immCompare(0x4E, 0x80000000)).toBe(0);                             // ge_s MIN: always
    expect<u64>(immCompare(0x4F, 1)).toBe(0x4B);                                   // ge_u 1: gt_u 0
    expect<u64>(immCompare(0x4F, 0)).toBe(0);
    expect<u64>(immCompare(0x48, 9)).toBe((<u64>9 << 32) | 0x48);                 // others unchanged
  });
});

describe("op lengths", () => {
  it("match the layouts the compiler writes", () => {
    expect<u32>(irWords(Ir.Fuel)).toBe(3);
    expect<u32>(irWords(Ir.Call)).toBe(3);
    expect<u32>(irWords(Ir.I32LoadAdd)).toBe(6);
    expect<u32>(irWords(Ir.Copy2)).toBe(5);
    expect<u32>(irWords(Ir.I32AddShl)).toBe(5);
    expect<u32>(irWords(Ir.I32XorRotr)).toBe(5);
    expect<u32>(irWords(Ir.JumpI32LtSImm)).toBe(6); // a, imm, target, fuel taken, fuel not taken
    expect<u32>(irWords(Ir.Jump)).toBe(3);
    expect<u32>(irWords(Ir.JumpIf)).toBe(5);
  });
});
