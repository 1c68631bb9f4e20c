// The Node host's copy of the interpreter's interface cannot drift from the
// interpreter's sources (issue 15 part 6): the raw export table
// (binding/abi.ts RAW_EXPORTS: names, wire order, signatures) against the
// exports of build/wrt.wasm and build/wrt-device.wasm and against wrt-native's
// op enum (host-shims/c/native/main.c); ErrCode/TrapCode are generated from
// assembly/errors.ts and assembly/exec/trap.ts (scripts/gen-host-codes.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { RAW_EXPORTS, RAW_EXPORT_NAMES, ErrCode, TrapCode } = await import(path.join(root, "host-shims/node/dist/index.js"));

/** Function exports of a Wasm binary with their types: name -> {params, results} (value types as i32/i64/f32/f64). */
function functionExports(bytes) {
  let p = 8;
  const u32 = () => {
    let r = 0, shift = 0, b;
    do { b = bytes[p++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return r >>> 0;
  };
  const name = () => { const n = u32(); const s = Buffer.from(bytes.subarray(p, p + n)).toString("utf8"); p += n; return s; };
  const VT = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
  const types = [], funcs = [], exports = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        assert.equal(bytes[p++], 0x60);
        const params = Array.from({ length: u32() }, () => VT[bytes[p++]]);
        const results = Array.from({ length: u32() }, () => VT[bytes[p++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name(); name();
        const kind = bytes[p++];
        if (kind === 0) funcs.push(u32());
        else if (kind === 1) { p++; const f = bytes[p++]; u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = bytes[p++]; u32(); if (f & 1) u32(); }
        else if (kind === 3) p += 2;
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcs.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const nm = name();
        const kind = bytes[p++];
        const idx = u32();
        if (kind === 0) exports.set(nm, types[funcs[idx]]);
      }
    }
    p = end;
  }
  return exports;
}

function signatureOf(name) {
  const s = RAW_EXPORTS[name];
  return { params: [...s.params], results: s.result === "void" ? [] : [s.result] };
}

test("RAW_EXPORTS names every wrt_* export of build/wrt.wasm, with its exact type", () => {
  const ex = functionExports(readFileSync(path.join(root, "build/wrt.wasm")));
  const wasmNames = [...ex.keys()].filter((n) => n.startsWith("wrt_")).sort();
  assert.deepEqual([...RAW_EXPORT_NAMES].sort(), wasmNames, "RAW_EXPORTS (binding/abi.ts) and build/wrt.wasm's exports differ");
  for (const n of RAW_EXPORT_NAMES) assert.deepEqual(signatureOf(n), ex.get(n), `${n}: binding/abi.ts says ${JSON.stringify(signatureOf(n))}`);
});

test("build/wrt-device.wasm exports a subset of RAW_EXPORTS with the same types", { skip: !existsSync(path.join(root, "build/wrt-device.wasm")) && "no device build" }, () => {
  const ex = functionExports(readFileSync(path.join(root, "build/wrt-device.wasm")));
  const names = [...ex.keys()].filter((n) => n.startsWith("wrt_"));
  assert.ok(names.length > 40, `only ${names.length} exports`);
  for (const n of names) {
    assert.ok(n in RAW_EXPORTS, `${n} is exported by the device build but not in RAW_EXPORTS`);
    assert.deepEqual(signatureOf(n), ex.get(n), n);
  }
});

test("wrt-native's op enum follows RAW_EXPORTS' wire order", () => {
  const src = readFileSync(path.join(root, "host-shims/c/native/main.c"), "utf8");
  const m = /enum\s*\{([^}]*OP_COUNT[^}]*)\}/.exec(src);
  assert.ok(m, "no OP_ enum in main.c");
  const ops = m[1].split(",").map((s) => s.replace(/\/\*[\s\S]*?\*\//g, "").trim()).filter(Boolean);
  assert.equal(ops.at(-1), "OP_COUNT");
  assert.deepEqual(ops.slice(0, -1), RAW_EXPORT_NAMES.map((n) => n.replace(/^wrt_/, "OP_")));
});

test("ErrCode and TrapCode are the interpreter's Err and Trap enums (generated, not stale)", () => {
  const r = spawnSync(process.execPath, [path.join(root, "scripts/gen-host-codes.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  // spot checks against the sources, read independently of the generator
  const errSrc = readFileSync(path.join(root, "assembly/errors.ts"), "utf8");
  for (const [k, v] of [...errSrc.matchAll(/^\s+([A-Z]\w*) = (\d+),/gm)].map((x) => [x[1], Number(x[2])])) {
    assert.equal(ErrCode[k], v, `ErrCode.${k}`);
  }
  const trapSrc = readFileSync(path.join(root, "assembly/exec/trap.ts"), "utf8");
  for (const [, k, v] of trapSrc.matchAll(/^\s+([A-Z]\w*) = (\d+),/gm)) if (k !== "None") assert.equal(TrapCode[k], Number(v), `TrapCode.${k}`);
});

test("the generator's check fails when assembly/errors.ts gains a code", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-codes-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ["scripts/gen-host-codes.mjs", "assembly/exec/trap.ts", "host-shims/node/src/api/codes.ts"]) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(dir, f));
  }
  const errors = readFileSync(path.join(root, "assembly/errors.ts"), "utf8");
  writeFileSync(path.join(dir, "assembly/errors.ts"), errors.replace(/(export const enum Err \{\n\s+None = 0,\n)/, "$1  BrandNewCode = 199,\n"));
  const r = spawnSync(process.execPath, [path.join(dir, "scripts/gen-host-codes.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /codes\.ts is stale/);
});
