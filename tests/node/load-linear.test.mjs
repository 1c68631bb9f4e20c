// Loading is linear (issue 18 part 4, the validator and compiler side): a
// 1 MB module of any of these shapes loads, or is refused with a clear
// error, in under a second. Before, 50,000 nested `if (result) ... else`
// took minutes (each if scanned forward to its own end) and nested loops
// took seconds (each back edge searched the whole control stack).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, WrtValidationError, WrtError } from "../../host-shims/node/dist/index.js";

const leb = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const sec = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
function moduleOf(body) {
  const type = [0x60, 1, 0x7f, 1, 0x7f];   // (param i32) (result i32)
  const fbody = [0, ...body, 0x0b];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...sec(1, [1, ...type]), ...sec(3, [1, 0]), ...sec(10, [1, ...leb(fbody.length), ...fbody])]);
}
const rep = (n, bytes) => { const o = []; for (let i = 0; i < n; i++) o.push(...bytes); return o; };
const times = (n, f) => { const o = []; for (let i = 0; i < n; i++) o.push(...f(i)); return o; };

/** [name, levels or repeats -> module] */
const SHAPES = {
  "nested if (result i32) ... else": (n) => moduleOf([...rep(n, [0x41, 1, 0x04, 0x7f]), 0x41, 7, ...rep(n, [0x05, 0x41, 9, 0x0b])]),
  "nested block (loop (br_if 1) ... (br 0))": (n) => moduleOf([...rep(n, [0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x0d, 1]), ...rep(n, [0x0c, 0, 0x0b, 0x0b]), 0x20, 0]),
  "nested blocks": (n) => moduleOf([...rep(n, [0x02, 0x40]), ...rep(n, [0x0b]), 0x20, 0]),
  "loops in sequence inside 1,000 blocks": (n) => moduleOf([...rep(1000, [0x02, 0x40]), ...rep(n, [0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x0d, 1, 0x0c, 0, 0x0b, 0x0b]), ...rep(1000, [0x0b]), 0x20, 0]),
  "br_table over nested blocks": (n) => moduleOf([...rep(n, [0x02, 0x40]), 0x20, 0, 0x0e, ...leb(n - 1), ...times(n - 1, (i) => leb(i)), 0, ...rep(n, [0x0b]), 0x20, 0]),
  "straight-line code": (n) => moduleOf([...rep(n, [0x20, 0, 0x41, 1, 0x6a, 0x21, 0]), 0x20, 0]),
  "a deep operand stack": (n) => moduleOf([...rep(n, [0x20, 0]), ...rep(n - 1, [0x6a])]),
};

/** Loads `bytes` in a fresh engine: [ms, null or the error]. */
function timeLoad(bytes) {
  const e = new Engine({ log: false });
  const t = performance.now();
  let err = null;
  try { Module.load(e, bytes); } catch (x) { err = x; }
  return [performance.now() - t, err];
}

test("a 1 MB module of each shape loads or is refused in under a second", () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    // as many levels or repeats as fit in about 1 MB
    let n = 1000;
    while (make(n * 2).length <= 1 << 20) n *= 2;
    const bytes = make(n);
    const [ms, err] = timeLoad(bytes);
    assert.ok(ms < 1000, `${name} (${bytes.length} bytes): ${ms.toFixed(0)} ms`);
    assert.ok(err === null || err instanceof WrtError, `${name}: ${err}`);
  }
});

test("the deepest nesting allowed loads quickly; one level more is refused, saying why", () => {
  for (const name of ["nested if (result i32) ... else", "nested block (loop (br_if 1) ... (br 0))", "nested blocks"]) {
    // the function's own frame is level 0: 16,384 more may open
    const ok = SHAPES[name](name.includes("loop") ? 8192 : 16384);
    const [ms, err] = timeLoad(ok);
    assert.equal(err, null, `${name}: ${err}`);
    assert.ok(ms < 1000, `${name} at the limit: ${ms.toFixed(0)} ms`);
    const [, deep] = timeLoad(SHAPES[name](name.includes("loop") ? 8193 : 16385));
    assert.ok(deep instanceof WrtValidationError || deep instanceof WrtError, `${name}: ${deep}`);
    assert.match(deep.message, /blocks nested deeper than 16384 in function 0/);
  }
});
