// Mutation check (`npm run test:mutants`): small deliberate bugs, one at a
// time, each of which the tests must catch.
//
//   node scripts/mutants.mjs [--ref REF] [--only ID,ID] [--list] [--keep]
//
// The repository at REF (default HEAD) is exported (git archive) into a
// scratch directory under the system temp dir, never into a worktree, with
// node_modules linked from here. The unmutated copy is built and every test
// group below must pass on it first (a baseline that fails makes the run
// meaningless). Then, per mutant: the file's exact text is replaced (a text
// that is missing or not unique fails the run loudly: the code moved, update
// the mutant), the interpreter rebuilt, the mutant's test groups run in
// order until one fails (killed) or all pass (survived), and the file put
// back. Survivors must be listed in EQUIVALENT with the reason they cannot
// be caught; any other survivor makes the exit status 1.
//
// Last line: `mutants: N killed, M survived (E explained as equivalent), T total`.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = process.env.WRT_TESTSUITE ? path.resolve(process.env.WRT_TESTSUITE) : path.resolve(root, "../shared/testsuite");
const core = path.join(suite, "core");

/**
 * The test groups a mutant can name: each runs in the scratch copy and
 * passes or fails. `spec` also checks the counts of tests/expected-counts.json
 * (a mutant that makes commands skip is caught there).
 */
const GROUPS = {
  spec: { why: "the core spec suite (meaning-checking runner) and its expected counts", run: (dir) => specRun(dir, []) },
  "spec-sliced": { why: "the core suite in random fuel slices", run: (dir) => specRun(dir, ["--fuel-slice", "random", "--seed", "17"]) },
  "spec-snapshot": { why: "the core suite, snapshot and restore at every slice", run: (dir) => specRun(dir, ["--snapshot-every-slice", "--fuel-slice", "spread", "--seed", "17"]) },
  oracle: { why: "the fuel oracle (hand counts, the core suite plain and sliced)", run: (dir) => nodeTest(dir, ["tests/node/fuel-oracle.test.mjs"]) },
  regress: { why: "tests/regress cases", run: (dir) => nodeTest(dir, ["tests/node/regress.test.mjs"]) },
  snapshot: { why: "snapshot tests (format, corruption, restore)", run: (dir) => nodeTest(dir, ["tests/node/snapshot.test.mjs", "tests/node/snapshot-corrupt.test.mjs"]) },
  limits: { why: "limits and API tests", run: (dir) => nodeTest(dir, ["tests/node/limits.test.mjs", "tests/node/api.test.mjs"]) },
};

/**
 * The mutants: [id, area, file, exact text, replacement, test groups, what it breaks].
 * Keep each small and realistic (an off-by-one, a missing check, a wrong code).
 */
const MUTANTS = [
  // ---- decoder (assembly/binary)
  ["dec-limits-flags", "decoder", "assembly/binary/decoder.ts", "if ((flags & 0x7F) > 1) { r.fail(Err.MalformedLimits, at); return; }", "if ((flags & 0x7F) > 3) { r.fail(Err.MalformedLimits, at); return; }", ["spec", "regress"], "memory/table limits flags 2 and 3 accepted (issue 17)"],
  ["dec-leb-too-long", "decoder", "assembly/binary/reader.ts", "        if (b & 0x80) { this.fail(Err.IntegerTooLong, start); return 0; }\n        let used = bits - shift;\n", "        let used = bits - shift;\n", ["spec"], "an unsigned LEB128 longer than allowed is accepted"],
  ["dec-utf8", "decoder", "assembly/binary/reader.ts", "if (!validUtf8(start, len)) { this.fail(Err.MalformedUtf8); return \"\"; }", "", ["spec"], "names are not checked for UTF-8"],
  ["dec-section-order", "decoder", "assembly/binary/decoder.ts", "if (rank <= lastRank) { failed(Err.SectionOutOfOrder, idAt); return false; }", "if (rank < lastRank) { failed(Err.SectionOutOfOrder, idAt); return false; }", ["spec"], "a repeated section is accepted"],
  ["dec-func-code-count", "decoder", "assembly/binary/decoder.ts", "if (m.funcTypeIdx.length != m.codes.length) {", "if (m.funcTypeIdx.length < m.codes.length) {", ["spec"], "fewer bodies than functions accepted"],
  ["dec-valid-error-kind", "decoder", "assembly/valid/module.ts", "if (names.has(e.name)) return fail(Err.DuplicateExportName, -1, what);", "if (names.has(e.name)) return fail(Err.MalformedExportKind, -1, what);", ["spec"], "a decode error where validation is expected (issue 17)"],
  // ---- validator (assembly/valid)
  ["val-align", "validator", "assembly/valid/stacks.ts", "if (align > natural) return fail(Err.AlignmentTooLarge);", "if (align > natural + 1) return fail(Err.AlignmentTooLarge);", ["spec"], "alignment one above natural accepted"],
  ["val-immutable-global", "validator", "assembly/valid/code.ts", "if (!gt.mutable) { fail(Err.GlobalIsImmutable); break; }", "", ["spec"], "global.set of an immutable global accepted"],
  ["val-duplicate-export", "validator", "assembly/valid/module.ts", "if (names.has(e.name)) return fail(Err.DuplicateExportName, -1, what);", "", ["spec"], "duplicate export names accepted"],
  ["val-memory-size", "validator", "assembly/valid/module.ts", "const MAX_PAGES: u64 = 65536;", "const MAX_PAGES: u64 = 65537;", ["spec"], "a memory of 65537 pages accepted"],
  ["val-type-mismatch-code", "validator", "assembly/valid/stacks.ts", "if (actual != expect && actual != ValType.Bot && expect != ValType.Bot) fail(Err.TypeMismatch);", "if (actual != expect && actual != ValType.Bot && expect != ValType.Bot) fail(Err.UnknownType);", ["spec"], "a type mismatch reported as another validation error"],
  // ---- compiler (assembly/compile)
  ["cmp-brtable-fuel", "compiler", "assembly/compile/compiler.ts", "if (op < <u32>Op.PrefixFC) this.pending += fuelCost(op);", "if (op < <u32>Op.PrefixFC && op != Op.BrTable) this.pending += fuelCost(op);", ["oracle"], "br_table charges no fuel, IR_VERSION bumped as the ir-version test asks (issue 17)",
    [["assembly/compile/ir.ts", "export const IR_VERSION: u32 = ", "export const IR_VERSION: u32 = 900 + "]]],
  ["cmp-fc-fuel", "compiler", "assembly/compile/compiler.ts", "this.pending += fuelCost(FUEL_FC_BASE + (sub & 0x7F));", "this.pending += fuelCost(FUEL_FC_BASE + (sub & 0x7F)) + 1;", ["oracle"], "0xFC instructions charged one too many"],
  ["cmp-tail-end-fuel", "compiler", "assembly/compile/compiler.ts", "next = 0x0B; tail = fuelCost(Op.End);", "next = 0x0B; tail = 0;", ["oracle"], "a tail return does not pay the function's end"],
  // ---- dispatch loop (assembly/exec/interp.ts)
  ["int-div-overflow", "dispatch", "assembly/exec/interp.ts", "if (a == i32.MIN_VALUE && b == -1) return trapOut(Trap.IntegerOverflow, instId, <u32>(pc - codeBase), frameCount, fuel);", "", ["spec"], "i32.div_s INT_MIN / -1 does not trap"],
  ["int-load-bounds", "dispatch", "assembly/exec/interp.ts", "  let ea = <u64>load<u32>(fp + load<u32>(pc, 8)) + <u64>load<u32>(pc, 12);\n  if (!inBounds(ea, sizeof<T>(), memBytes)) return false;\n  store<u64>(fp + load<u32>(pc, 4), widened", "  let ea = <u64>load<u32>(fp + load<u32>(pc, 8)) + <u64>load<u32>(pc, 12);\n  if (!inBounds(ea, sizeof<T>() == 8 ? 7 : sizeof<T>(), memBytes)) return false;\n  store<u64>(fp + load<u32>(pc, 4), widened", ["spec"], "an 8-byte load one byte past the end of memory accepted"],
  ["int-sub", "dispatch", "assembly/exec/interp.ts", "store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a - b)); pc += 16; continue;", "store<u64>(fp + load<u32>(pc, 4), <u64><u32>(b - a)); pc += 16; continue;", ["spec"], "i32.sub with its operands swapped"],
  ["int-trap-text", "dispatch", "assembly/exec/trap.ts", "case Trap.IntegerDivideByZero: return \"integer divide by zero\";", "case Trap.IntegerDivideByZero: return \"integer overflow\";", ["spec"], "a wrong trap text (issue 17)"],
  ["int-trap-code", "dispatch", "assembly/exec/interp.ts", "if (a == i64.MIN_VALUE && b == -1) return trapOut(Trap.IntegerOverflow,", "if (a == i64.MIN_VALUE && b == -1) return trapOut(Trap.IntegerDivideByZero,", ["spec"], "i64.div_s overflow reported as divide by zero"],
  // ---- fuel (assembly/exec/interp.ts fast and slow paths)
  ["fuel-fast-path", "fuel", "assembly/exec/interp.ts", "if (fuel >= cost) { fuel -= cost; pc += 12; continue; }", "if (fuel >= cost) { fuel -= cost - 1; pc += 12; continue; }", ["oracle"], "a block charged one less on the fast path"],
  ["fuel-resume", "fuel", "assembly/exec/interp.ts", "    if (fuel >= rest) {\n      fuel -= rest;\n", "    if (fuel >= rest) {\n      fuel -= rest - 1;\n", ["oracle"], "the rest of a block after a fuel stop charged one less"],
  // ---- restore (assembly/state)
  ["rst-checksum", "restore", "assembly/state/restore.ts", "if (crc32(p, len - 4) != load<u32>(p + len - 4)) {", "if (false) {", ["snapshot"], "a snapshot's checksum is not checked"],
  ["rst-fuel-table", "restore", "assembly/state/restore.ts", "if (load<u32>(p, 12) != fuelTableHash()) {", "if (false) {", ["snapshot"], "a snapshot taken under another fuel cost table is restored"],
  ["rst-fuel-left", "restore", "assembly/state/restore.ts", "for (let i = 0; i < machFieldCount(); i++) memory.copy(to + machFieldOffset(i), from + machFieldOffset(i), machFieldBytes(i));", "for (let i = 0; i < machFieldCount(); i++) memory.copy(to + machFieldOffset(i), from + machFieldOffset(i), machFieldBytes(i));\n  machine.fuel += 1;", ["oracle", "snapshot", "spec-snapshot"], "the fuel left is restored one too high"],
];

/** Survivors that no test can catch, with the reason. */
const EQUIVALENT = {
  "dec-func-code-count": "assembly/valid/module.ts checks the same counts again and reports the same Err code (9, a decode error, the same text); only the error offset differs (-1 instead of the module's length), which no interface specifies",
};

function specRun(dir, flags) {
  const r = spawnSync(process.execPath, [path.join(dir, "host-shims/node/dist/cli.js"), "spec", ...flags, core], { cwd: dir, encoding: "utf8", timeout: 600_000 });
  const m = /^spec: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(r.stdout ?? "");
  if (r.status !== 0 || !m) return { ok: false, why: `exit ${r.status}: ${(r.stdout ?? "").split("\n").filter((l) => /failed|line \d+/.test(l) && !/ 0 failed/.test(l)).slice(0, 2).join(" | ").slice(0, 300)}` };
  const want = JSON.parse(readFileSync(path.join(dir, "tests/expected-counts.json"), "utf8")).core?.node;
  if (!want || +m[1] !== want.passed || +m[3] !== want.skipped) return { ok: false, why: `counts ${m[1]} passed, ${m[3]} skipped; expected ${want?.passed}, ${want?.skipped}` };
  return { ok: true };
}

function nodeTest(dir, files) {
  const r = spawnSync(process.execPath, ["--test", ...files], { cwd: dir, encoding: "utf8", timeout: 900_000, env: { ...process.env, WRT_TESTSUITE: suite } });
  if (r.status === 0) return { ok: true };
  const first = (r.stdout ?? "").split("\n").find((l) => l.startsWith("not ok")) ?? `exit ${r.status}`;
  return { ok: false, why: first.slice(0, 200) };
}

/**
 * Builds build/wrt.wasm in the scratch copy: asc's release target straight
 * to build/wrt.wasm (half the time of scripts/build-wasm.mjs, which adds a
 * wasm-opt pass and the device build that no test group here uses).
 */
function build(dir, { node = false } = {}) {
  const asc = path.join(root, "node_modules/assemblyscript/bin/asc.js");
  // the interpreter's asc config (wrt.asconfig.json; asconfig.json before it was renamed)
  const config = existsSync(path.join(dir, "wrt.asconfig.json")) ? "wrt.asconfig.json" : "asconfig.json";
  const r = spawnSync(process.execPath, [asc, "assembly/index.ts", "--config", config, "--target", "release", "--outFile", "build/wrt.wasm", "--textFile", "build/wrt.wat"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) return `build failed: ${(r.stderr || r.stdout).split("\n").filter(Boolean).slice(-3).join(" | ").slice(0, 400)}`;
  if (node) {
    const t = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "host-shims/node/tsconfig.json"], { cwd: dir, encoding: "utf8" });
    if (t.status !== 0) return `tsc failed: ${t.stdout.slice(0, 400)}`;
  }
  return null;
}

function parseArgs(argv) {
  const o = { ref: "HEAD", only: null, list: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--ref") o.ref = argv[++i];
    else if (argv[i] === "--only") o.only = new Set(argv[++i].split(","));
    else if (argv[i] === "--list") o.list = true;
    else if (argv[i] === "--keep") o.keep = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // a mutant is one edit, plus optional further edits (file, find, replace) applied with it
  const mutants = MUTANTS.map(([id, area, file, find, replace, groups, what, also = []]) => ({ id, area, groups, what, file, edits: [[file, find, replace], ...also] }))
    .filter((m) => !opts.only || opts.only.has(m.id));
  if (opts.list) {
    for (const m of mutants) console.log(`${m.id.padEnd(22)} ${m.area.padEnd(10)} ${m.file}: ${m.what} [${m.groups.join(", ")}]`);
    return;
  }
  if (!existsSync(core)) throw new Error(`no spec suite at ${core}`);
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-mutants-"));
  console.log(`scratch copy of ${opts.ref} in ${dir}`);
  execFileSync("sh", ["-c", `git -C "${root}" archive "${opts.ref}" | tar -x -C "${dir}"`]);
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  let failedRun = false;
  try {
    // Every mutant's text must be there exactly once before anything runs.
    for (const m of mutants) {
      for (const [file, find] of m.edits) {
        const text = readFileSync(path.join(dir, file), "utf8");
        const n = text.split(find).length - 1;
        if (n !== 1) throw new Error(`mutant ${m.id}: the text to replace occurs ${n} times in ${file} (the code moved: update the mutant)\n  ${JSON.stringify(find)}`);
      }
    }
    const err = build(dir, { node: true });
    if (err) throw new Error(`baseline: ${err}`);
    const groups = [...new Set(mutants.flatMap((m) => m.groups))];
    for (const g of groups) {
      const r = GROUPS[g].run(dir);
      if (!r.ok) throw new Error(`baseline: test group ${g} fails without any mutant: ${r.why}`);
    }
    console.log(`baseline: built, test groups pass: ${groups.join(", ")}`);
    let killed = 0, survived = 0, equivalent = 0;
    for (const m of mutants) {
      const originals = m.edits.map(([file]) => [path.join(dir, file), readFileSync(path.join(dir, file), "utf8")]);
      for (const [file, find, replace] of m.edits) {
        const p = path.join(dir, file);
        writeFileSync(p, readFileSync(p, "utf8").replace(find, replace));
      }
      const t0 = Date.now();
      let verdict, why = "";
      const berr = build(dir);
      if (berr) {
        verdict = "killed"; why = `does not build (${berr.slice(0, 120)})`;
      } else {
        verdict = "survived";
        for (const g of m.groups) {
          const r = GROUPS[g].run(dir);
          if (!r.ok) { verdict = "killed"; why = `${g}: ${r.why}`; break; }
        }
      }
      for (const [p, text] of originals) writeFileSync(p, text);
      const secs = ((Date.now() - t0) / 1000).toFixed(0);
      if (verdict === "killed") killed++;
      else if (EQUIVALENT[m.id]) { equivalent++; survived++; why = `equivalent: ${EQUIVALENT[m.id]}`; }
      else { survived++; failedRun = true; }
      console.log(`${verdict.toUpperCase().padEnd(8)} ${m.id.padEnd(22)} ${m.area.padEnd(10)} ${m.what} (${secs} s)${why ? `\n         ${why}` : ""}`);
    }
    console.log(`mutants: ${killed} killed, ${survived} survived (${equivalent} explained as equivalent), ${mutants.length} total`);
  } catch (e) {
    console.log(`mutants: ERROR ${e.message}`);
    failedRun = true;
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failedRun ? 1 : 0;
}

await main();
