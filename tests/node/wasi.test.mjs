// WASI preview 1 in the Node host (issue 12 part 1): C programs built by
// clang-14 --target=wasm32-wasi with Debian's wasi-libc (printf, malloc,
// time, argv, environ, a file read from a preopened directory, exit status)
// run with `wrt run prog.wasm args...` on the Node and native engines and
// print exactly what this test expects and what Node's own node:wasi prints
// for the same module. A printf loop stopped on fuel resumes on the other
// engine and prints exactly the rest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const CLANG = "clang-14";
const haveClang = spawnSync(CLANG, ["--version"]).status === 0 && existsSync("/usr/lib/wasm32-wasi/libc.a");
const skip = haveClang ? false : "clang-14 / wasi-libc missing (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)";
if (!haveClang && ci) test("WASI toolchain present under CI", () => assert.fail(skip));
const haveNative = existsSync(path.join(root, "build/wrt-native"));

const dir = mkdtempSync(path.join(tmpdir(), "wrt-wasi-"));

/** Compiles C source to a wasm32-wasi command module. */
function cc(name, src) {
  const c = path.join(dir, `${name}.c`);
  const out = path.join(dir, `${name}.wasm`);
  writeFileSync(c, src);
  const r = spawnSync(CLANG, ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wl,--strip-all", "-o", out, c], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

function wrt(args, opts = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000, cwd: dir, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same module under Node's node:wasi (args, no env, "." preopened). */
function nodeWasi(file, args) {
  const runner = path.join(dir, "node-wasi.mjs");
  writeFileSync(runner, `import { WASI } from "node:wasi";
import { readFileSync } from "node:fs";
const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [file, ...args], env: {}, preopens: { ".": "." }, returnOnExit: true });
const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(file)), wasi.getImportObject());
process.exitCode = wasi.start(inst);
`);
  const r = spawnSync(process.execPath, ["--no-warnings", runner, file, ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const PROGRAM = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
int main(int argc, char **argv) {
  printf("argc=%d\\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);
  size_t n = 100000;
  unsigned *a = malloc(n * sizeof *a);
  if (!a) { puts("malloc failed"); return 1; }
  unsigned long long sum = 0;
  for (size_t i = 0; i < n; i++) { a[i] = (unsigned)(i * 2654435761u); sum += a[i] % 1000; }
  printf("malloc: %zu words, checksum %llu\\n", n, sum);
  free(a);
  time_t t = time(NULL);
  printf("time after 2020: %s\\n", t > 1577836800 ? "yes" : "no");
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("monotonic clock: %s\\n", ts.tv_sec >= 0 ? "ok" : "bad");
  FILE *f = fopen("data/input.txt", "r");
  if (!f) { perror("fopen data/input.txt"); return 2; }
  char line[128];
  int lines = 0;
  while (fgets(line, sizeof line, f)) printf("file line %d: %s", ++lines, line);
  fclose(f);
  fprintf(stderr, "to stderr\\n");
  return argc > 2 ? 7 : 0;
}
`;

/** What PROGRAM prints for `prog a b` (hand-computed: the checksum is sum of (i*2654435761 mod 2^32) mod 1000). */
function expected(args) {
  let sum = 0n;
  for (let i = 0n; i < 100000n; i++) sum += ((i * 2654435761n) & 0xffffffffn) % 1000n;
  return [
    `argc=${args.length}`, ...args.map((a, i) => `argv[${i}]=${a}`),
    `malloc: 100000 words, checksum ${sum}`, "time after 2020: yes", "monotonic clock: ok",
    "file line 1: first line", "file line 2: second line", "",
  ].join("\n");
}

test("a C program (printf, malloc, time, argv, a file in a preopened dir, exit status) on the Node engine and node:wasi", { skip }, () => {
  const prog = cc("prog", PROGRAM);
  mkdirSync(path.join(dir, "data"), { recursive: true });
  writeFileSync(path.join(dir, "data/input.txt"), "first line\nsecond line\n");
  for (const args of [[], ["a", "b c"]]) {
    const argv = ["prog.wasm", ...args];
    const r = wrt(["run", "--dir", ".", "prog.wasm", ...args]);
    assert.equal(r.out, expected(argv), r.err);
    assert.equal(r.err, "to stderr\n");
    assert.equal(r.code, args.length > 1 ? 7 : 0);
    const n = nodeWasi(path.basename(prog), args);
    assert.equal(r.out, n.out, "node:wasi printed something else");
    assert.equal(r.code, n.code);
  }
  // without the preopen the file is not there: the program says so and exits 2
  const closed = wrt(["run", "prog.wasm"]);
  assert.equal(closed.code, 2);
  assert.match(closed.err, /fopen data\/input\.txt: /);
});

test("the same program on the native engine", { skip: skip || (!haveNative && "build/wrt-native missing") }, () => {
  const r = wrt(["run", "--engine", "native", "--dir", ".", "prog.wasm", "x"]);
  assert.equal(r.out, expected(["prog.wasm", "x"]), r.err);
  assert.equal(r.code, 0);
});

test("environment variables and a path outside the preopened dir", { skip }, () => {
  cc("envp", `#include <stdio.h>
#include <stdlib.h>
int main(void) {
  printf("GREETING=%s\\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
  printf("HOME=%s\\n", getenv("HOME") ? getenv("HOME") : "(unset)");
  FILE *f = fopen("../../etc/passwd", "r");
  printf("escape: %s\\n", f ? "OPENED" : "refused");
  return 0;
}
`);
  const r = wrt(["run", "--dir", ".", "--env", "GREETING=hi there", "envp.wasm"]);
  assert.equal(r.out, "GREETING=hi there\nHOME=(unset)\nescape: refused\n", r.err);
});

const LOOP = `#include <stdio.h>
int main(void) {
  for (int i = 0; i < 300; i++) printf("line %d: %d\\n", i, i * i);
  return 0;
}
`;

test("a printf loop stopped on fuel resumes on the other engine and prints exactly the rest", { skip: skip || (!haveNative && "build/wrt-native missing") }, () => {
  cc("loop", LOOP);
  const whole = wrt(["run", "loop.wasm"]);
  assert.equal(whole.code, 0);
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i}: ${i * i}\n`).join("");
  assert.equal(whole.out, lines);
  // with the progress line on, the guest's output is unchanged and the line is erased before guest output
  const shown = wrt(["run", "loop.wasm"], { env: { ...process.env, WRT_PROGRESS: "1", WRT_PROGRESS_AFTER_MS: "0" } });
  assert.equal(shown.out, lines);
  assert.doesNotMatch(shown.err, /fuel \(\d+\.\d s\)[^\r]/, "progress text not erased before other output");
  for (const [first, second] of [["node", "native"], ["native", "node"]]) {
    const snap = path.join(dir, `loop-${first}.bin`);
    const a = wrt(["run", "--engine", first, "--fuel", "60000", "--snapshot-out", snap, "loop.wasm"]);
    assert.equal(a.code, 2, a.err);
    assert.ok(a.out.endsWith("out of fuel\n"), a.out);
    const before = a.out.slice(0, -"out of fuel\n".length);
    const b = wrt(["resume", "--engine", second, snap]);
    assert.equal(b.code, 0, b.err);
    assert.ok(before.length > 0 && b.out.length > 0, `stopped at the edge: ${before.length} + ${b.out.length} bytes`);
    assert.equal(before + b.out, lines, `${first} -> ${second}`);
  }
});

test("proc_exit's status is wrt's exit status; a trap is still a trap", { skip }, () => {
  cc("exit", `#include <stdlib.h>
#include <stdio.h>
int main(int argc, char **argv) { printf("bye\\n"); if (argc > 1) __builtin_trap(); exit(42); }
`);
  const r = wrt(["run", "exit.wasm"]);
  assert.equal(r.code, 42);
  assert.equal(r.out, "bye\n");
  const t = wrt(["run", "exit.wasm", "trap"]);
  assert.equal(t.code, 1);
  assert.match(t.err, /^trap: unreachable/m);
});

// The C host's WASI subset (host-shims/c/wasi.h): stdout/stderr, clocks,
// random, proc_exit; no files (no preopened directories): wrt-native run
// and the QEMU Cortex-M3 board.
const PRINTF = `#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  printf("hello from %s with %d args\\n", argv[0], argc - 1);
  for (int i = 1; i < 4; i++) printf("%d squared is %d\\n", i, i * i);
  FILE *f = fopen("anything.txt", "r");
  printf("files: %s\\n", f ? "open" : "none");
  fflush(stdout);
  exit(argc > 1 ? 5 : 0);
}
`;

test("wrt-native run: a WASI printf program (the C host's subset)", { skip: skip || (!haveNative && "build/wrt-native missing") }, () => {
  const prog = cc("printf", PRINTF);
  const r = spawnSync(path.join(root, "build/wrt-native"), ["run", prog, "x"], { encoding: "utf8", cwd: dir });
  assert.equal(r.stdout, `hello from ${prog} with 1 args\n1 squared is 1\n2 squared is 4\n3 squared is 9\nfiles: none\n`, r.stderr);
  assert.equal(r.status, 5);
});

const haveQemu = spawnSync("qemu-system-arm", ["--version"]).status === 0 && spawnSync("arm-none-eabi-gcc", ["--version"]).status === 0;
test("the printf program prints on the QEMU Cortex-M3 board's UART", { skip: skip || (!haveQemu && !ci && "qemu-system-arm / arm-none-eabi-gcc missing") }, () => {
  const prog = cc("printf-board", PRINTF);
  const r = spawnSync(path.join(root, "flash-scripts/qemu.sh"), ["mps2-an385", prog, "--invoke", "_start", "--timeout", "120"], { encoding: "utf8", cwd: root, timeout: 300_000 });
  assert.equal(r.stdout, "hello from guest with 0 args\n1 squared is 1\n2 squared is 4\n3 squared is 9\nfiles: none\n", r.stderr);
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stderr, /warning:/);
});

test("a snapshot taken inside a WASI call (fd_write pending) restores into a fresh engine and prints exactly the rest", { skip }, async () => {
  const { Engine, Module, Instance, WasiPreview1 } = await import(path.join(root, "host-shims/node/dist/index.js"));
  const prog = cc("lines", `#include <stdio.h>
int main(void) { for (int i = 0; i < 10; i++) printf("line %d\\n", i); return 0; }
`);
  const bytes = new Uint8Array((await import("node:fs")).readFileSync(prog));
  const dec = new TextDecoder();
  // first engine: runs to the end, snapshotting from inside the fd_write of "line 5"
  const engine = new Engine({ log: false });
  const module = Module.load(engine, bytes);
  let snap = null;
  const first = [];
  const wasi = new WasiPreview1({ args: ["lines"], stdout: (b) => {
    const text = dec.decode(b);
    if (text === "line 5\n" && snap === null) snap = engine.snapshot();
    first.push(text);
  } });
  const inst = Instance.instantiate(module, wasi.imports(engine));
  wasi.bind(inst);
  inst.invoke("_start");
  assert.equal(first.join(""), Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(""));
  assert.ok(snap, "no snapshot taken");
  // second engine: the same host functions in the same order, then the snapshot
  const engine2 = new Engine({ log: false });
  Module.load(engine2, bytes);
  const rest = [];
  const wasi2 = new WasiPreview1({ args: ["lines"], stdout: (b) => rest.push(dec.decode(b)) });
  wasi2.imports(engine2);
  const state = engine2.restore(snap, { raw: true });
  assert.equal(state.status, "host-call");
  for (const i of state.instances) if (i) wasi2.bind(i);
  const r = state.call.resume(1n << 40n);
  assert.equal(r.done, true);
  assert.equal(rest.join(""), "line 5\nline 6\nline 7\nline 8\nline 9\n");
});
