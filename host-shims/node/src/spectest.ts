// The `spectest` host module of the spec test suite (interpreter/host/spectest.ml).

import { Engine } from "./api/engine.js";
import { Extern, Func, Global, Memory, Table } from "./api/externs.js";
import { FuncType, ValType } from "./api/values.js";

/** Creates spectest's exports in `engine`. `print` writes `value : type` lines when given. */
export function createSpectest(engine: Engine, print?: (line: string) => void): Record<string, Extern> {
  const fn = (params: ValType[]): Func => {
    const type: FuncType = { params, results: [] };
    return Func.host(engine, type, (...args: unknown[]) => {
      if (print) args.forEach((a, i) => print(`${String(a)} : ${params[i]}`));
    });
  };
  return {
    print: fn([]),
    print_i32: fn(["i32"]),
    print_i64: fn(["i64"]),
    print_f32: fn(["f32"]),
    print_f64: fn(["f64"]),
    print_i32_f32: fn(["i32", "f32"]),
    print_f64_f64: fn(["f64", "f64"]),
    global_i32: Global.create(engine, { type: "i32", mutable: false }, 666),
    global_i64: Global.create(engine, { type: "i64", mutable: false }, 666n),
    global_f32: Global.create(engine, { type: "f32", mutable: false }, 666.6),
    global_f64: Global.create(engine, { type: "f64", mutable: false }, 666.6),
    table: Table.create(engine, { element: "funcref", min: 10, max: 20 }),
    memory: Memory.create(engine, { min: 1, max: 2 }),
  };
}
