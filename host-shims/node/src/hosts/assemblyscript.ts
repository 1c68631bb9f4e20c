// The host functions AssemblyScript guests import from "env" (asc's default
// runtime): abort(message, fileName, line, column) traps with the message,
// trace(message, n, a0..a4) prints a line, seed() gives a random f64. The
// CLI binds them by default; embedders use `assemblyScriptEnv`.

import type { EngineCore } from "../api/engine-core.js";
import { Func, Memory } from "../api/externs.js";
import type { Instance } from "../api/instance.js";
import type { ImportDescriptor } from "../api/module.js";

export interface AssemblyScriptEnvOptions {
  /** Where `trace` lines go (default: stderr). */
  trace?: (line: string) => void;
  /** The value of `seed()` (default: Date.now(), as asc's loader). */
  seed?: () => number;
}

/** The AssemblyScript "env" functions and the memory they read strings from (set by `bind`). */
export class AssemblyScriptEnv {
  private memory: Memory | null = null;
  constructor(private readonly options: AssemblyScriptEnvOptions = {}) {}

  /** Which of these a module imports with asc's types: the names to bind. */
  static wanted(imports: readonly ImportDescriptor[]): string[] {
    const sig = (d: ImportDescriptor): string => (d.kind === "func" ? `${d.type.params.join(",")}->${d.type.results.join(",")}` : "");
    const want: Record<string, string> = {
      abort: "i32,i32,i32,i32->",
      trace: "i32,i32,f64,f64,f64,f64,f64->",
      seed: "->f64",
    };
    return imports.filter((d) => d.module === "env" && want[d.name] !== undefined && sig(d) === want[d.name]).map((d) => d.name);
  }

  /** Host functions for the given names (of `wanted`), in a fixed order. */
  imports(engine: EngineCore, names: readonly string[]): Record<string, Func> {
    const out: Record<string, Func> = {};
    if (names.includes("abort")) {
      out["abort"] = Func.host(engine, { params: ["i32", "i32", "i32", "i32"], results: [] }, (msg: number, file: number, line: number, col: number) => {
        const m = this.string(msg) ?? "(no message)";
        const f = this.string(file);
        throw new Error(`abort: ${m}${f !== null ? ` (${f}:${line}:${col})` : ""}`);
      });
    }
    if (names.includes("trace")) {
      out["trace"] = Func.host(engine, { params: ["i32", "i32", "f64", "f64", "f64", "f64", "f64"], results: [] }, (msg: number, n: number, ...a: number[]) => {
        const values = a.slice(0, Math.max(0, Math.min(5, n))).map((x) => String(x));
        (this.options.trace ?? ((l) => process.stderr.write(l + "\n")))(`trace: ${this.string(msg) ?? ""}${values.length ? " " + values.join(", ") : ""}`);
      });
    }
    if (names.includes("seed")) {
      out["seed"] = Func.host(engine, { params: [], results: ["f64"] }, () => (this.options.seed ?? Date.now)());
    }
    return out;
  }

  /** Gives the functions the guest's memory (its export "memory"). */
  bind(instance: Instance): void {
    const m = instance.exports["memory"];
    if (m instanceof Memory) this.memory = m;
  }

  /** An AssemblyScript string: UTF-16LE, its byte length as u32 at ptr-4. */
  private string(ptr: number): string | null {
    ptr >>>= 0;
    if (!this.memory || ptr < 4) return null;
    try {
      const len = new DataView(this.memory.read(ptr - 4, 4).buffer).getUint32(0, true);
      if (len > 1 << 20) return null;
      return new TextDecoder("utf-16le").decode(this.memory.read(ptr, len & ~1));
    } catch {
      return null;
    }
  }
}

/** For embedders: AssemblyScript's env functions for `module`'s imports, bound after instantiating with `env.bind(inst)`. */
export function assemblyScriptEnv(engine: EngineCore, imports: readonly ImportDescriptor[], options: AssemblyScriptEnvOptions = {}): { env: AssemblyScriptEnv; imports: Record<string, Func> } {
  const env = new AssemblyScriptEnv(options);
  return { env, imports: env.imports(engine, AssemblyScriptEnv.wanted(imports)) };
}
