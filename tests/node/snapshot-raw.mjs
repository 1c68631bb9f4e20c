// Restoring snapshots through the raw ABI (docs/embedding-api.md), so a
// test sees what the interpreter itself accepts or refuses, without the
// Node API's own reading of the snapshot in front of it.
import { Engine, Module, WrtInternalError } from "../../host-shims/node/dist/index.js";

/** A fresh engine with `modules` loaded, the snapshot restored by wrt_restore: { engine, rc, error }. */
export function rawRestore(bytes, modules, config = {}) {
  const engine = new Engine({ log: false, ...config });
  for (const m of modules) Module.load(engine, m);
  engine.writeBytes(bytes);
  let rc;
  try {
    rc = engine.raw.wrt_restore(bytes.length);
  } catch (e) {
    if (e instanceof WrtInternalError) return { engine, rc: "fault", error: e };
    throw e;
  }
  return { engine, rc, error: rc < 0 ? engine.lastError() : null };
}

/**
 * Runs the restored call to its end through the raw ABI, answering host
 * calls with `host(id, args) -> results`: { status, results } (bigint slots)
 * or { status: "trap", trap }. Interpreter faults propagate (WrtInternalError).
 */
export function rawFinish(engine, host = () => [], fuel = 1_000_000_000n) {
  const r = engine.raw;
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const s = r.wrt_run(fuel);
    if (s === 0) {
      const n = r.wrt_results();
      const dv = engine.io(n * 8);
      return { status: "done", results: Array.from({ length: n }, (_, i) => dv.getBigUint64(i * 8, true)) };
    }
    if (s === 3) return { status: "trap", trap: r.wrt_trap_code() };
    if (s === 1) return { status: "fuel" };
    if (s === 2) {
      const id = r.wrt_host_id();
      const n = r.wrt_host_args();
      const dv = engine.io(Math.max(n * 8, 8));
      const args = Array.from({ length: n }, (_, i) => dv.getBigUint64(i * 8, true));
      const res = host(id, args);
      const out = engine.io(Math.max(res.length * 8, 8));
      res.forEach((v, i) => out.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
      if (r.wrt_host_return(res.length) < 0) return { status: "error", error: engine.lastError() };
      continue;
    }
    return { status: "error", error: engine.lastError() };
  }
  return { status: "looping" };
}
