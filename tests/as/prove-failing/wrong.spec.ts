// Deliberately wrong assertions: as-pect must report these as failures.
// tests/as/prove-failing/prove-failing.test.mjs runs this file and expects a
// non-zero exit and the failure messages below, which proves that an
// `expect` in tests/as/*.spec.ts can fail at all.
import { Reader } from "../../../assembly/binary/reader";

let held: u8[] = [];

class Pair {
  constructor(public a: i32, public b: i32) {}
}

describe("deliberately failing", () => {
  it("PROVE-FAIL-VALUE: 0xFFFFFFFF in 5 bytes is not 0", () => {
    held = [0xff, 0xff, 0xff, 0xff, 0x0f];
    let r = new Reader(held.dataStart, 0, 5);
    expect<u32>(r.u32leb()).toBe(0, "PROVE-FAIL-VALUE expected mismatch");
  });

  it("PROVE-FAIL-STRING: strings are compared", () => {
    expect<string>("abc").toBe("abd", "PROVE-FAIL-STRING expected mismatch");
  });

  it("PROVE-FAIL-STRICT: class-typed toStrictEqual compares fields", () => {
    expect<Pair>(new Pair(1, 2)).toStrictEqual(new Pair(1, 3), "PROVE-FAIL-STRICT expected mismatch");
  });

  it("PROVE-PASS: a true assertion in the same file still passes", () => {
    expect<i32>(19 + 23).toBe(42);
  });
});
