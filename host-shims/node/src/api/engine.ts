// Engine: the embedder's handle on one interpreter. The core (engine-core.ts:
// raw calls, I/O buffer, errors, host functions) plus what builds on the
// typed API: snapshots, restore and migration (snapshot.ts) and the
// interpreter's wasi:logging (wasi-logging.ts). The top of the API layer.

import { EngineCore, type EngineOptions } from "./engine-core.js";

export type { EngineOptions } from "./engine-core.js";
import type { Func } from "./externs.js";
import { Module } from "./module.js";
import { arrayArg, bytesArg, optionsArg } from "./args.js";
import { restoreInto, takeSnapshot } from "./snapshot.js";
import type { RestoredState, RestoreIntoOptions, RestoreOptions } from "./snapshot.js";
import { drainLog, forgetWasiLogging, logDropped, wasiLogging } from "./wasi-logging.js";
import type { LogRecord } from "./log-format.js";

/** What `Engine.restore` returns: a fresh engine holding the snapshot's state. */
export interface Restored extends RestoredState {
  engine: Engine;
  /** The loaded modules, in the order of `modules`. */
  modules: Module[];
}

export class Engine extends EngineCore {
  /** Loads build/wrt.wasm (compiled once per process) into a fresh instance. */
  static load(options: EngineOptions = {}): Engine {
    return new Engine(options);
  }

  // ---- wasi:logging (wasi-logging.ts, docs/wasi-logging.md) ----

  /** The extern for imports of `wasi:logging/logging` `log` (served inside the interpreter). */
  wasiLogging(): Func {
    return wasiLogging(this);
  }

  /** Ring back end (config logBackend 1): takes the buffered records out, oldest first. */
  drainLog(): LogRecord[] {
    return drainLog(this);
  }

  /** Ring back end: records dropped because the ring was full. */
  logDropped(): number {
    return logDropped(this);
  }

  // ---- snapshots (snapshot.ts, docs/snapshot-format.md) ----

  /**
   * The whole interpreter state as bytes, at a halt: idle, with a suspended
   * call, or inside a host function (the snapshot holds that host call
   * pending). Throws WrtSnapshotError otherwise.
   */
  snapshot(): Uint8Array {
    return takeSnapshot(this);
  }

  /**
   * Replaces this engine's state with a snapshot. Needs an idle engine that
   * has loaded the snapshot's modules; host functions bind by hostId
   * (`opts.hostFunctions`, else this engine's own of the same id and type).
   * Refused snapshots throw WrtSnapshotError and change nothing.
   */
  restore(bytes: Uint8Array, opts: RestoreIntoOptions = {}): RestoredState {
    const state = restoreInto(this, bytesArg(bytes, "engine.restore", "snapshot"), optionsArg(opts, "engine.restore"));
    forgetWasiLogging(this); // the store was replaced: handles may name other things
    return state;
  }

  /** A fresh engine (options as for `new Engine`) that loads `opts.modules` in order and restores the snapshot into it. */
  static restore(bytes: Uint8Array, opts: RestoreOptions): Restored {
    bytes = bytesArg(bytes, "Engine.restore", "snapshot");
    const { modules: moduleBytes, hostFunctions, raw, ...engineOptions } = optionsArg(opts, "Engine.restore");
    const list = arrayArg(moduleBytes, "Engine.restore", "modules (the bytes of every module the snapshot names, in order)");
    const checked = list.map((b, i) => bytesArg(b, "Engine.restore", `modules[${i}]`));
    const engine = new Engine(engineOptions);
    const modules = checked.map((b) => Module.load(engine, b));
    const state = restoreInto(engine, bytes, { hostFunctions, raw });
    return { engine, modules, ...state };
  }
}
