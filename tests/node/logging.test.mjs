// wasi:logging on the Node host (docs/wasi-logging.md): a guest logging at
// every level with several contexts, through each back end: the embedder
// callback, stderr (the CLI), the ring (overflow count), syslog (a datagram
// socket owned by the test, and a real rsyslogd when installed); the level
// filter; bad input trapping the guest with a clear message while the engine
// and other instances carry on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import wabtInit from "wabt";
import {
  Engine, Module, Instance, WrtTrap, SyslogSink, formatLogLine, syslogPriority, SYSLOG_FACILITIES,
} from "../../host-shims/node/dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const wabt = await wabtInit();
const dir = mkdtempSync(path.join(tmpdir(), "wrt-log-"));
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"];

function wat(src) {
  const m = wabt.parseWat("t.wat", src);
  try {
    m.resolveNames();
    m.validate();
    return m.toBinary({}).buffer;
  } finally {
    m.destroy();
  }
}

const enc = new TextEncoder();
/** A WAT data string for UTF-8 bytes (every byte escaped). */
const watBytes = (b) => Array.from(b, (x) => "\\" + x.toString(16).padStart(2, "0")).join("");

// ---------------------------------------------------------------- the guest

const CONTEXTS = ["net", "db.pool", "", "störung/日本"];
const MESSAGES = ["starting", "hello é ✓", "", "line one\nline two\t\u001b[31mred\u001b[0m \u0085 end"];

/** Every (level, context, message) the guest's `all` logs, in order. */
const RECORDS = [];
for (let level = 0; level < 6; level++) {
  CONTEXTS.forEach((context, i) => RECORDS.push({ level, context, message: MESSAGES[(i + level) % MESSAGES.length] }));
}

/** The guest: `all` logs RECORDS; `log` passes its arguments on; `poke` writes bytes for bad-input cases. */
function guestWat() {
  const strings = [...new Set([...CONTEXTS, ...MESSAGES])];
  const at = new Map();
  let off = 1024;
  const data = [];
  for (const s of strings) {
    const b = enc.encode(s);
    at.set(s, { ptr: off, len: b.length });
    data.push(`(data (i32.const ${off}) "${watBytes(b)}")`);
    off += b.length + 16;
  }
  const calls = RECORDS.map(({ level, context, message }) => {
    const c = at.get(context), m = at.get(message);
    return `(call $log (i32.const ${level}) (i32.const ${c.ptr}) (i32.const ${c.len}) (i32.const ${m.ptr}) (i32.const ${m.len}))`;
  });
  return `(module
    (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
    (memory (export "memory") 1)
    ${data.join("\n    ")}
    (func (export "all") (result i32) ${calls.join("\n      ")} (i32.const 7))
    (func (export "log") (param i32 i32 i32 i32 i32)
      (call $log (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
    (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))`;
}
const GUEST = wat(guestWat());
const guestFile = path.join(dir, "guest.wasm");
writeFileSync(guestFile, GUEST);

const lineOf = (r) => formatLogLine(r.level, r.message, r.context);

/** tests/logging/log-threads.wat as a file: spam(id, count, pad) logs "t<id>" / "<pad x's> line <i>" at level i % 6. */
function threadsGuestPath() {
  const f = path.join(dir, "log-threads.wasm");
  if (!existsSync(f)) writeFileSync(f, wat(readFileSync(path.join(root, "tests/logging/log-threads.wat"), "utf8")));
  return f;
}

function collecting(options = {}) {
  const got = [];
  const engine = new Engine({ ...options, log: (level, message, context) => got.push({ level, context, message }) });
  return { engine, got };
}

// ---------------------------------------------------------------- format

test("line format: [LEVEL] context: message, no context: [LEVEL] message, controls escaped", () => {
  assert.equal(formatLogLine(3, "disk full", "fs"), "[WARN] fs: disk full");
  assert.equal(formatLogLine(5, "gone", ""), "[CRITICAL] gone");
  assert.equal(formatLogLine(0, "a\nb\rc\u001bd\u007fe\u0085f\tg\\h é", "c\nx"), "[TRACE] c\\nx: a\\nb\\rc\\x1bd\\x7fe\\u0085f\tg\\h é");
  assert.deepEqual(RECORDS.slice(0, 4).map(lineOf), [
    "[TRACE] net: starting",
    "[TRACE] db.pool: hello é ✓",
    "[TRACE] ",
    "[TRACE] störung/日本: line one\\nline two\t\\x1b[31mred\\x1b[0m \\u0085 end",
  ]);
});

// ---------------------------------------------------------------- callback

test("callback: every level and context arrives exactly, in order; the import binds by itself", () => {
  const { engine, got } = collecting();
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  assert.deepEqual(inst.invoke("all"), [7]);
  assert.deepEqual(got, RECORDS);
});

test("explicit binding: engine.wasiLogging() in the import object, one extern per engine", () => {
  const { engine, got } = collecting();
  const log = engine.wasiLogging();
  assert.equal(engine.wasiLogging(), log);
  assert.deepEqual(log.type, { params: ["i32", "i32", "i32", "i32", "i32"], results: [] });
  const inst = Instance.instantiate(Module.load(engine, GUEST), { "wasi:logging/logging": { log } });
  inst.invoke("all");
  assert.deepEqual(got, RECORDS);
  // An embedder's own function wins over the built-in one.
  const mine = [];
  const own = Instance.instantiate(Module.load(engine, GUEST), { "wasi:logging/logging": { log: (...a) => { mine.push(a); } } });
  own.invoke("log", [4, 0, 0, 0, 0]);
  assert.deepEqual(mine, [[4, 0, 0, 0, 0]]);
  assert.equal(got.length, RECORDS.length);
});

test("instantiate/run/drop cycles with wasi:logging reuse the store (one builtin per engine, instances reclaimed)", () => {
  const { engine, got } = collecting();
  const module = Module.load(engine, GUEST);
  const seen = new Set();
  for (let i = 0; i < 50; i++) {
    const inst = Instance.instantiate(module, {});
    seen.add(`${engine.wasiLogging().handle}/${inst.handle}/${inst.func("all").handle}`);
    inst.invoke("all");
    inst.drop();
    if (i % 2) engine.collect();
  }
  assert.equal(seen.size, 1, [...seen].join(" "));
  assert.equal(got.length, 50 * RECORDS.length);
});

test("a wrong import type for wasi:logging is a link error", () => {
  const engine = new Engine({ log: false });
  const bad = wat(`(module (import "wasi:logging/logging" "log" (func (param i32))))`);
  assert.throws(() => Instance.instantiate(Module.load(engine, bad), {}), /incompatible import type/);
});

test("a throwing callback does not break the interpreter", () => {
  const engine = new Engine({ log: () => { throw new Error("callback boom"); } });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  const write = process.stderr.write;
  const said = [];
  process.stderr.write = (s) => (said.push(String(s)), true);
  try {
    assert.deepEqual(inst.invoke("all"), [7]);
    assert.equal(engine.dead, false);
    assert.deepEqual(inst.invoke("all"), [7]);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(said.length, 2 * RECORDS.length);
  assert.match(said[0], /^wrt: log handler failed: callback boom\n$/);
});

test("the caller's memory is the one read: no memory, re-exported, through a table", () => {
  const { engine, got } = collecting();
  const a = Instance.instantiate(Module.load(engine, wat(`(module
    (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
    (func (export "f") (param i32 i32 i32 i32 i32) (call $log (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
    (table (export "t") 1 funcref) (elem (i32.const 0) $log) (export "log" (func $log)))`)), {});
  a.invoke("f", [2, 0, 0, 0, 0]); // no memory: empty strings only
  assert.throws(() => a.invoke("f", [2, 0, 1, 0, 0]), /wasi:logging: context \(0, 1 bytes\) is outside guest memory/);
  const b = Instance.instantiate(Module.load(engine, wat(`(module
    (type $t (func (param i32 i32 i32 i32 i32)))
    (import "a" "log" (func $log (type $t)))
    (import "a" "t" (table 1 funcref))
    (memory 1) (data (i32.const 0) "hi")
    (func (export "direct") (call $log (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2)))
    (func (export "indirect") (call_indirect (type $t) (i32.const 4) (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 1) (i32.const 0))))`)),
  { a: { log: a.exports.log, t: a.exports.t } });
  b.invoke("direct");
  b.invoke("indirect");
  assert.deepEqual(got, [{ level: 2, context: "", message: "" }, { level: 3, context: "", message: "hi" }, { level: 4, context: "h", message: "i" }]);
});

test("engines on worker threads: stderr lines stay whole", async () => {
  const script = `
    import { Worker, isMainThread, workerData } from "node:worker_threads";
    import { readFileSync } from "node:fs";
    const api = await import(${JSON.stringify(path.join(root, "host-shims/node/dist/index.js"))});
    if (isMainThread) {
      for (let t = 0; t < 4; t++) new Worker(new URL(import.meta.url), { workerData: t });
    } else {
      const engine = new api.Engine();
      const inst = api.Instance.instantiate(api.Module.load(engine, readFileSync(${JSON.stringify(threadsGuestPath())})), {});
      inst.invoke("spam", [workerData, 2000, 300]);
    }`;
  const f = path.join(dir, "workers.mjs");
  writeFileSync(f, script);
  const r = spawnSync(process.execPath, [f], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  const re = /^\[([A-Z]+)\] t(\d+): (x*) line (\d+)$/;
  checkThreadLines(r.stderr.slice(0, -1).split("\n"), 4, 2000, 300, (l) => {
    const m = re.exec(l);
    return m && { level: LEVELS.indexOf(m[1]), thread: m[2], pad: m[3], line: m[4] };
  });
});

// ---------------------------------------------------------------- level filter

test("level filter: logLevel option, config key 9 at any time, off", () => {
  for (const [opt, min] of [["trace", 0], ["info", 2], ["warn", 3], ["critical", 5], ["off", 6], [4, 4]]) {
    const { engine, got } = collecting({ logLevel: opt });
    Instance.instantiate(Module.load(engine, GUEST), {}).invoke("all");
    assert.deepEqual(got, RECORDS.filter((r) => r.level >= min), `logLevel ${opt}`);
  }
  const { engine, got } = collecting();
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  engine.configure("logMinLevel", 5);
  inst.invoke("all");
  engine.configure("logMinLevel", 0);
  inst.invoke("log", [0, 1024, 3, 0, 0]);
  assert.deepEqual(got, [...RECORDS.filter((r) => r.level === 5), { level: 0, context: "net", message: "" }]);
  assert.throws(() => new Engine({ logLevel: "loud" }), /unknown log level/);
  assert.throws(() => engine.configure("logMinLevel", 7));
});

// ---------------------------------------------------------------- ring

/** What a ring of `cap` bytes keeps of `records` (whole records, 12-byte header each) and how many it drops. */
function ringModel(records, cap) {
  let used = 0;
  const kept = [];
  let dropped = 0;
  for (const r of records) {
    const size = 12 + enc.encode(r.context).length + enc.encode(r.message).length;
    if (used + size > cap) dropped++;
    else {
      used += size;
      kept.push(r);
    }
  }
  return { kept, dropped };
}

test("ring: records drained oldest first, overflow drops whole records and counts them", () => {
  const engine = new Engine({ config: { logBackend: 1, logRingBytes: 300 } });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  inst.invoke("all");
  const first = ringModel(RECORDS, 300);
  assert.ok(first.dropped > 0 && first.kept.length > 0);
  const drained = engine.drainLog();
  assert.deepEqual(drained.map(({ level, context, message }) => ({ level, context, message })), first.kept);
  assert.deepEqual(drained.map((r) => r.levelName), first.kept.map((r) => LEVELS[r.level].toLowerCase()));
  assert.equal(engine.logDropped(), first.dropped);
  assert.deepEqual(engine.drainLog(), []);
  // Drained: room again; the count goes on.
  inst.invoke("all");
  assert.equal(engine.drainLog().length, first.kept.length);
  assert.equal(engine.logDropped(), 2 * first.dropped);
});

test("ring: a big ring keeps everything; the level filter applies before it; wrap-around keeps records whole", () => {
  const engine = new Engine({ config: { logBackend: 1, logRingBytes: 1 << 16 }, logLevel: "warn" });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  inst.invoke("all");
  const want = RECORDS.filter((r) => r.level >= 3);
  assert.deepEqual(engine.drainLog().map(({ level, context, message }) => ({ level, context, message })), want);
  assert.equal(engine.logDropped(), 0);
  // A ring just bigger than one round: partial drains make records straddle the end.
  const small = new Engine({ config: { logBackend: 1, logRingBytes: 257 } });
  const i2 = Instance.instantiate(Module.load(small, GUEST), {});
  const seen = [];
  for (let round = 0; round < 20; round++) {
    i2.invoke("log", [round % 6, 1024, 3, 1024 + 3 + 16, 8]); // net / db.pool bytes: any valid text
    if (round % 3 === 2) seen.push(...small.drainLog());
  }
  seen.push(...small.drainLog());
  assert.equal(seen.length + small.logDropped(), 20);
  for (const r of seen) assert.equal(r.context, "net");
});

// ---------------------------------------------------------------- bad input

const BAD = [
  ["unknown level 6", [6, 1024, 3, 1024, 3], /^wasi:logging: unknown level 6$/],
  ["unknown level -1", [-1, 1024, 3, 1024, 3], /^wasi:logging: unknown level 4294967295$/],
  ["context out of bounds", [2, 65536, 1, 1024, 3], /^wasi:logging: context \(65536, 1 bytes\) is outside guest memory$/],
  ["message straddles the end", [2, 1024, 3, 65530, 7], /^wasi:logging: message \(65530, 7 bytes\) is outside guest memory$/],
  ["huge length", [2, 1024, 3, 16, -1], /^wasi:logging: message \(16, 4294967295 bytes\) is outside guest memory$/],
  ["pointer + length wrap 32 bits", [2, -16, 32, 1024, 3], /^wasi:logging: context \(4294967280, 32 bytes\) is outside guest memory$/],
];

test("bad input traps the guest with a clear message; nothing logged; the engine and other instances carry on", () => {
  const { engine, got } = collecting();
  const module = Module.load(engine, GUEST);
  const victim = Instance.instantiate(module, {});
  const bystander = Instance.instantiate(module, {});
  const mem = victim.memory("memory");
  for (const [what, args, message] of BAD) {
    assert.throws(() => victim.invoke("log", args), (e) => e instanceof WrtTrap && message.test(e.message), what);
  }
  // Invalid UTF-8 in context or message: lone continuation, overlong, surrogate, truncated, > U+10FFFF.
  const bads = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]];
  for (const b of bads) {
    mem.write(60000, Uint8Array.from(b));
    assert.throws(() => victim.invoke("log", [3, 60000, b.length, 1024, 3]), /: wasi:logging: context is not valid UTF-8$/);
    assert.throws(() => victim.invoke("log", [3, 1024, 3, 60000, b.length]), /: wasi:logging: message is not valid UTF-8$/);
  }
  // Longer than the record limit (config key 12).
  engine.configure("logMaxRecordBytes", 100);
  assert.throws(() => victim.invoke("log", [2, 0, 60, 0, 41]), /: wasi:logging: record longer than 100 bytes$/);
  victim.invoke("log", [2, 0, 60, 0, 40]); // exactly the limit: fine (zero bytes are valid UTF-8)
  engine.configure("logMaxRecordBytes", 65536);
  assert.equal(got.length, 1);
  got.length = 0;
  assert.equal(engine.dead, false);
  // The trapping instance and its neighbour still work.
  assert.deepEqual(victim.invoke("all"), [7]);
  assert.deepEqual(bystander.invoke("all"), [7]);
  assert.deepEqual(got, [...RECORDS, ...RECORDS]);
});

test("bad input in another engine does not disturb this one", () => {
  const a = collecting();
  const b = collecting();
  const ia = Instance.instantiate(Module.load(a.engine, GUEST), {});
  const ib = Instance.instantiate(Module.load(b.engine, GUEST), {});
  assert.throws(() => ia.invoke("log", [2, 0, 0, 70000, 1]), WrtTrap);
  ib.invoke("all");
  assert.deepEqual(b.got, RECORDS);
  assert.deepEqual(a.got, []);
});

// ---------------------------------------------------------------- CLI: stderr and ring

function wrt(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("CLI stderr back end: one line per record in the documented format; --log-level", () => {
  let r = wrt("run", guestFile, "--invoke", "all");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "i32:7\n");
  assert.equal(r.err, RECORDS.map((x) => lineOf(x) + "\n").join(""));
  r = wrt("run", guestFile, "--invoke", "all", "--log-level", "error", "--log-backend", "stderr");
  assert.equal(r.err, RECORDS.filter((x) => x.level >= 4).map((x) => lineOf(x) + "\n").join(""));
  r = wrt("run", guestFile, "--invoke", "all", "--log-level", "off");
  assert.equal(r.err, "");
  r = wrt("run", guestFile, "--invoke", "log", "9", "0", "0", "0", "0");
  assert.equal(r.code, 1);
  assert.equal(r.err, "trap: wasi:logging: unknown level 9\n");
  r = wrt("run", guestFile, "--log-level", "loud");
  assert.equal(r.code, 64);
  assert.match(r.err, /unknown log level "loud"/);
  r = wrt("run", guestFile, "--log-backend", "carrier-pigeon");
  assert.equal(r.code, 64);
});

test("CLI ring back end: records after the run, then the dropped count (also after a trap)", () => {
  let r = wrt("run", guestFile, "--invoke", "all", "--log-backend", "ring", "--log-ring-bytes", "300");
  assert.equal(r.code, 0, r.err);
  const { kept, dropped } = ringModel(RECORDS, 300);
  assert.equal(r.err, kept.map((x) => lineOf(x) + "\n").join("") + `wrt: log ring: ${dropped} records dropped\n`);
  r = wrt("run", guestFile, "--invoke", "log", "6", "0", "0", "0", "0", "--log-backend", "ring");
  assert.equal(r.code, 1);
  assert.equal(r.err, "trap: wasi:logging: unknown level 6\nwrt: log ring: 0 records dropped\n");
  r = wrt("run", guestFile, "--log-ring-bytes", "10");
  assert.equal(r.code, 64);
});

// ---------------------------------------------------------------- syslog

const SEVERITY = [7, 7, 6, 4, 3, 2];

function parseRecord(text) {
  // RFC 3164 with a HOSTNAME (logger --rfc3164) or without (what syslog(3) sends to the local socket).
  let m = /^<(\d+)>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?:(\S+) )?([^ [\]]+)\[(\d+)\]: (.*)$/s.exec(text);
  if (m) return { format: "rfc3164", pri: Number(m[1]), tag: m[4], pid: Number(m[5]), msg: m[6] };
  m = /^<(\d+)>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) (.*)$/s.exec(text);
  if (m) return { format: "rfc5424", pri: Number(m[1]), tag: m[4], pid: Number(m[5]), msgid: m[6], msg: m[8] };
  throw new Error(`not a syslog record: ${JSON.stringify(text)}`);
}

/** The MSG part the back end sends for a record: `context: message` (escaped), or `message`. */
const bodyOf = (r) => lineOf(r).replace(/^\[[A-Z]+\] /, "");

let recvBin = null;
function receiverBinary() {
  if (recvBin !== null) return recvBin || null;
  const out = path.join(dir, "syslog-recv");
  const r = spawnSync("gcc", ["-O2", "-o", out, path.join(root, "tests/logging/syslog-recv.c")], { encoding: "utf8" });
  recvBin = r.status === 0 ? out : "";
  return recvBin || null;
}

/** A datagram socket owned by the test: start(), then stop() -> the records received, as strings. */
async function datagramSocket(socketPath) {
  const proc = spawn(receiverBinary(), [socketPath], { stdio: ["pipe", "pipe", "inherit"] });
  let text = "";
  proc.stdout.setEncoding("utf8");
  await new Promise((resolve, reject) => {
    proc.stdout.on("data", (t) => {
      text += t;
      if (text.startsWith("ready\n")) resolve();
    });
    proc.on("exit", () => reject(new Error("receiver exited")));
  });
  return {
    async stop() {
      const done = new Promise((resolve) => proc.on("exit", resolve));
      proc.stdin.end();
      await done;
      return text.split("\n").slice(1, -1).map((h) => Buffer.from(h, "hex").toString("utf8"));
    },
  };
}

function run(args) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err, pid: p.pid }));
  });
}

test("syslog: records on a datagram socket owned by the test: priority, facility, tag, pid, context", async (t) => {
  if (!receiverBinary()) return skipOrFail(t, "no gcc to build tests/logging/syslog-recv.c");
  const sock = path.join(dir, "dgram.sock");
  for (const [format, facility, level] of [["rfc3164", "user", "trace"], ["rfc5424", "local3", "info"], ["rfc3164", "daemon", "error"]]) {
    const rx = await datagramSocket(sock);
    const r = await run(["run", guestFile, "--invoke", "all", "--log-backend", "syslog", "--syslog-socket", sock,
      "--syslog-facility", facility, "--syslog-format", format, "--log-level", level]);
    const got = (await rx.stop()).map(parseRecord);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const min = LEVELS.indexOf(level.toUpperCase());
    const want = RECORDS.filter((x) => x.level >= min);
    assert.equal(got.length, want.length, format);
    got.forEach((g, i) => {
      const w = want[i];
      assert.equal(g.format, format);
      assert.equal(g.pri, SYSLOG_FACILITIES[facility] * 8 + SEVERITY[w.level]);
      assert.equal(g.pri, syslogPriority(w.level, SYSLOG_FACILITIES[facility]));
      assert.equal(g.tag, "wrt");
      assert.equal(g.pid, r.pid);
      assert.equal(g.msg, bodyOf(w));
      if (format === "rfc5424") assert.equal(g.msgid, "-");
    });
  }
});

test("syslog from the Node API: SyslogSink as the engine's log handler", async (t) => {
  if (!receiverBinary()) return skipOrFail(t, "no gcc to build tests/logging/syslog-recv.c");
  const sock = path.join(dir, "api.sock");
  const rx = await datagramSocket(sock);
  const sink = new SyslogSink({ socketPath: sock, facility: "local7", tag: "guest-a" });
  const engine = new Engine({ log: sink.handler });
  Instance.instantiate(Module.load(engine, GUEST), {}).invoke("all");
  await sink.close();
  const got = (await rx.stop()).map(parseRecord);
  assert.deepEqual(got.map((g) => [g.pri, g.tag, g.pid, g.msg]),
    RECORDS.map((w) => [23 * 8 + SEVERITY[w.level], "guest-a", process.pid, bodyOf(w)]));
  // A MSG longer than maxBytes is cut (at a character boundary), never split into several records.
  const rx2 = await datagramSocket(sock);
  const cut = new SyslogSink({ socketPath: sock, maxBytes: 65 });
  const e2 = new Engine({ log: cut.handler });
  const i2 = Instance.instantiate(Module.load(e2, GUEST), {});
  i2.memory("memory").write(40000, enc.encode("é".repeat(150)));
  i2.invoke("log", [2, 0, 0, 40000, 300]);
  await cut.close();
  assert.deepEqual((await rx2.stop()).map((x) => parseRecord(x).msg), ["é".repeat(32)]);
  assert.throws(() => new SyslogSink({ socketPath: path.join(dir, "none.sock") }), /is not a socket/);
  assert.throws(() => new SyslogSink({ socketPath: sock, facility: "kern" }), /reserved for the kernel/);
  assert.throws(() => new SyslogSink({ socketPath: sock, facility: "nope" }), /unknown syslog facility/);
});

test("syslog: no socket -> the CLI says so and exits 1", () => {
  const r = wrt("run", guestFile, "--invoke", "all", "--log-backend", "syslog", "--syslog-socket", path.join(dir, "absent.sock"));
  assert.equal(r.code, 1);
  assert.match(r.err, /syslog: .*absent\.sock is not a socket/);
});

function findRsyslogd() {
  for (const p of ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"]) if (existsSync(p)) return p;
  return null;
}

test("syslog: a real rsyslogd on a private socket gets priority, facility, severity, tag, pid, message", async (t) => {
  const rsyslogd = findRsyslogd();
  if (!rsyslogd) return skipOrFail(t, "rsyslogd not installed (Debian package rsyslog)");
  const work = mkdtempSync(path.join(tmpdir(), "wrt-rsyslog-"));
  const sock = path.join(work, "log.sock");
  const outFile = path.join(work, "out.log");
  writeFileSync(path.join(work, "rsyslog.conf"), `
global(workDirectory="${work}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${sock}" RateLimit.Interval="0" UseSpecialParser="off" ParseHostname="on")
template(name="t" type="string" string="%pri%|%syslogfacility-text%|%syslogseverity-text%|%app-name%|%procid%|%msg:::json%\\n")
*.* action(type="omfile" file="${outFile}" template="t")
`);
  const daemon = spawn(rsyslogd, ["-n", "-f", path.join(work, "rsyslog.conf"), "-i", path.join(work, "pid")], { stdio: "ignore" });
  try {
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(sock), "rsyslogd made no socket");
    const runs = [];
    for (const format of ["rfc3164", "rfc5424"]) {
      const r = await run(["run", guestFile, "--invoke", "all", "--log-backend", "syslog", "--syslog-socket", sock,
        "--syslog-facility", "local5", "--syslog-format", format]);
      assert.equal(r.code, 0, r.err);
      runs.push(r.pid);
    }
    const want = [];
    const names = ["debug", "debug", "info", "warning", "err", "crit"];
    for (const pid of runs) {
      for (const w of RECORDS) want.push(`${21 * 8 + SEVERITY[w.level]}|local5|${names[w.level]}|wrt|${pid}|${bodyOf(w)}`);
    }
    let lines = [];
    for (let i = 0; i < 100; i++) {
      lines = existsSync(outFile) ? readFileSync(outFile, "utf8").split("\n").filter(Boolean) : [];
      if (lines.length >= want.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // rsyslog puts the space after "TAG:" of an RFC 3164 record into %msg%; it escapes tabs as #011.
    const got = lines.map((l) => {
      const f = l.split("|");
      const msg = JSON.parse(`"${f.slice(5).join("|")}"`).replace(/^ /, "").replaceAll("#011", "\t");
      return [...f.slice(0, 5), msg].join("|");
    });
    assert.deepEqual(got, want);
  } finally {
    daemon.kill();
  }
});

// ---------------------------------------------------------------- C host

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");

/**
 * Builds tests/logging/log-threads.c against host-shims/c with WRT_THREADS=1
 * and a copy of the wasm2c runtime whose trap state is thread-local (the
 * stock 1.0.32 runtime keeps one jmp_buf for the process).
 */
function buildThreaded() {
  const r0 = spawnSync(process.execPath, [path.join(root, "scripts/build-c.mjs")], { encoding: "utf8" });
  if (r0.status !== 0) throw new Error(`build-c: ${r0.stderr}`);
  const out = mkdtempSync(path.join(tmpdir(), "wrt-threads-"));
  const gen = path.join(root, "build/c");
  for (const f of ["wrt.c", "wrt.h", "wrt_gen.h", "wasm-rt.h", "wasm-rt-impl.h", "wasm-rt-impl.c"]) {
    let s = readFileSync(path.join(gen, f), "utf8");
    if (f.startsWith("wasm-rt")) {
      s = s
        .replace(/^(extern )?jmp_buf wasm_rt_jmp_buf;/m, "$1_Thread_local jmp_buf wasm_rt_jmp_buf;")
        .replace(/^static jmp_buf\* g_unwind_target;/m, "static _Thread_local jmp_buf* g_unwind_target;")
        .replace(/^(extern )?uint32_t wasm_rt_call_stack_depth;/m, "$1_Thread_local uint32_t wasm_rt_call_stack_depth;")
        .replace(/^(extern )?uint32_t wasm_rt_saved_call_stack_depth;/m, "$1_Thread_local uint32_t wasm_rt_saved_call_stack_depth;")
        .replace(/^static (uint32_t|uint8_t) g_active_exception/gm, "static _Thread_local $1 g_active_exception");
    }
    writeFileSync(path.join(out, f), s);
  }
  const shim = path.join(root, "host-shims/c");
  const cc = (src, obj, flags) => {
    const r = spawnSync("gcc", ["-std=gnu11", "-O1", "-DNDEBUG", ...flags, "-c", src, "-o", path.join(out, obj)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`gcc ${src}: ${r.stderr}`);
    return path.join(out, obj);
  };
  const objs = [
    cc(path.join(out, "wrt.c"), "gen.o", ["-w", "-I", out]),
    cc(path.join(out, "wasm-rt-impl.c"), "rt.o", ["-w", "-I", out]),
    cc(path.join(shim, "wrt.c"), "shim.o", ["-Wall", "-Werror", "-DWRT_THREADS=1", "-DWRT_FORMAT_FLOATS=1", "-I", shim, "-I", out]),
    cc(path.join(shim, "wrt_log_posix.c"), "posix.o", ["-Wall", "-Werror", "-I", shim]),
    cc(path.join(root, "tests/logging/log-threads.c"), "main.o", ["-Wall", "-Werror", "-I", shim]),
  ];
  const exe = path.join(out, "log-threads");
  const r = spawnSync("gcc", [...objs, "-lm", "-lpthread", "-o", exe], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`link: ${r.stderr}`);
  return exe;
}

const nativeWhy = ["gcc", "wasm2c"].filter((c) => !has(c));
const nativeSkip = nativeWhy.length && !ci ? `missing ${nativeWhy.join(", ")}` : false;
let threadedExe = null;
const threadsGuest = threadsGuestPath();

/** Checks that `records` are exactly THREADS x LINES whole records of log-threads, each thread's in order. */
function checkThreadLines(records, threads, lines, pad, parse) {
  assert.equal(records.length, threads * lines);
  const next = new Array(threads).fill(0);
  const x = "x".repeat(pad);
  for (const rec of records) {
    const m = parse(rec);
    assert.ok(m, `torn or foreign record: ${JSON.stringify(rec.slice(0, 120))}`);
    const t = Number(m.thread), i = Number(m.line);
    assert.equal(m.pad, x);
    assert.equal(i, next[t], `thread ${t}: line ${i} after ${next[t] - 1}`);
    assert.equal(m.level, i % 6);
    next[t]++;
  }
  assert.deepEqual(next, new Array(threads).fill(lines));
}

test("native: 8 OS threads, each its own interpreter, 10,000 lines each to one pipe: every line whole", { skip: nativeSkip }, async () => {
  threadedExe ??= buildThreaded();
  for (const [lines, pad] of [[10000, 200], [300, 6000]]) { // 6000 > PIPE_BUF: only the lock keeps lines whole
    const t0 = Date.now();
    const r = spawnSync(threadedExe, [threadsGuest, "8", String(lines), String(pad), "stderr"], { encoding: "utf8", maxBuffer: 1 << 30 });
    const ms = Date.now() - t0;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.endsWith("\n"));
    const re = /^\[([A-Z]+)\] t(\d+): (x*) line (\d+)$/;
    checkThreadLines(r.stdout.slice(0, -1).split("\n"), 8, lines, pad, (l) => {
      const m = re.exec(l);
      return m && { level: LEVELS.indexOf(m[1]), thread: m[2], pad: m[3], line: m[4] };
    });
    console.log(`# native threads: 8 x ${lines} lines of ${pad + 20} bytes in ${ms} ms`);
  }
});

test("native: 8 OS threads logging to syslog (RFC 3164 datagrams, local4): every record whole, right priority", { skip: nativeSkip || (!receiverBinary() && !ci ? "no gcc" : false) }, async () => {
  if (!receiverBinary()) assert.fail("no gcc to build tests/logging/syslog-recv.c (CI=true: this test must run)");
  threadedExe ??= buildThreaded();
  const sock = path.join(dir, "threads.sock");
  const rx = await datagramSocket(sock);
  const r = await new Promise((resolve) => {
    const p = spawn(threadedExe, [threadsGuest, "8", "10000", "100", "syslog", sock], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, err, pid: p.pid }));
  });
  const got = await rx.stop();
  assert.equal(r.code, 0, r.err);
  checkThreadLines(got, 8, 10000, 100, (text) => {
    const g = parseRecord(text);
    const m = /^t(\d+): (x*) line (\d+)$/.exec(g.msg);
    if (!m || g.tag !== "wrt-threads" || g.pid !== r.pid) return null;
    const level = Number(m[3]) % 6;
    assert.equal(g.pri, 20 * 8 + SEVERITY[level]);
    return { level, thread: m[1], pad: m[2], line: m[3] };
  });
});

/** Skips a test without its tool; under CI=true (nothing may skip) fails it instead. */
function skipOrFail(t, why) {
  if (/^(1|true|yes)$/i.test(process.env.CI ?? "")) assert.fail(`${why} (CI=true: this test must run)`);
  return t.skip(why);
}

/** True when this process may make a private mount namespace (unshare -rm) to give syslog(3) its own /dev/log. */
function canUnshare() {
  return has("unshare") && spawnSync("unshare", ["-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"]).status === 0;
}

test("native: syslog(3) itself (openlog/syslog to /dev/log, here a test socket in a private mount namespace)", { skip: nativeSkip || (ci ? false : !receiverBinary() ? "no gcc" : !canUnshare() ? "cannot unshare a mount namespace here" : false) }, async () => {
  if (!receiverBinary()) assert.fail("no gcc to build tests/logging/syslog-recv.c (CI=true: this test must run)");
  if (!canUnshare()) assert.fail("cannot unshare a mount namespace here (CI=true: this test must run)");
  threadedExe ??= buildThreaded();
  const sock = path.join(dir, "devlog.sock");
  const rx = await datagramSocket(sock);
  // In the namespace: an empty /dev with just `log`, bound to the test's socket.
  const script = `mount -t tmpfs tmpfs /dev && touch /dev/log && mount --bind "$0" /dev/log && exec "$1" "$2" 4 2000 50 syslog`;
  const r = await new Promise((resolve) => {
    const p = spawn("unshare", ["-rm", "sh", "-c", script, sock, threadedExe, threadsGuest], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, err }));
  });
  const got = await rx.stop();
  assert.equal(r.code, 0, r.err);
  checkThreadLines(got, 4, 2000, 50, (text) => {
    const g = parseRecord(text); // syslog(3) sends RFC 3164 without a HOSTNAME to the local socket
    const m = /^t(\d+): (x*) line (\d+)$/.exec(g.msg);
    if (!m || g.tag !== "wrt-threads") return null;
    const level = Number(m[3]) % 6;
    assert.equal(g.pri, 20 * 8 + SEVERITY[level], "LOG_LOCAL4 | severity");
    return { level, thread: m[1], pad: m[2], line: m[3] };
  });
});

// ---------------------------------------------------------------- boards

const BOARDS = {
  "mps2-an385": ["arm-none-eabi-gcc", "qemu-system-arm"],
  "qemu-virt-rv32": ["riscv64-unknown-elf-gcc", "qemu-system-riscv32"],
};
for (const [board, tools] of Object.entries(BOARDS)) {
  const why = ["wasm2c", ...tools].filter((c) => !has(c));
  test(`${board}: wasi:logging records as UART lines in the documented format`, { skip: why.length && !ci ? `missing ${why.join(", ")}` : false }, () => {
    const r = spawnSync(path.join(root, "flash-scripts/qemu.sh"), [board, guestFile, "--invoke", "all"], { encoding: "utf8", timeout: 300_000 });
    const lines = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    assert.deepEqual(lines, [...RECORDS.map(lineOf), "i32:7"], r.stderr);
    assert.equal(r.status, 0);
    const bad = spawnSync(path.join(root, "flash-scripts/qemu.sh"), [board, guestFile, "--invoke", "log", "2", "0", "0", "65530", "100"], { encoding: "utf8", timeout: 300_000 });
    assert.deepEqual(bad.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#")),
      ["trap: wasi:logging: message (65530, 100 bytes) is outside guest memory"], bad.stderr);
    assert.equal(bad.status, 1);
  });
}
