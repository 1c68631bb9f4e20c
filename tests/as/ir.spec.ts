// Unit tests for assembly/compile/ir.ts: the op numbering the dispatch loop
// relies on (docs/internal-code.md, "One jump table") and the op lengths.
import { Ir, irWords, immOp, hasImmForm } from "../../assembly/compile/ir";

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
      if (!hasImmForm(op)) continue;
      let ir = immOp(op);
      expect<bool>(ir >= <u32>Ir.ImmBase && ir < <u32>Ir.JumpCmpBase).toBe(true);
      expect<bool>(seen.has(ir)).toBe(false);
      seen.add(ir);
    }
    expect<i32>(seen.size).toBe(21);
    expect<u32>(immOp(0x6A)).toBe(<u32>Ir.I32AddImm);
    expect<u32>(immOp(0x78)).toBe(<u32>Ir.I32RotrImm);
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
