// `--unknown-imports trap`: a function import nobody supplies is linked to a
// host function of its type that traps when called ("unknown import M.N
// called"), as wasmtime's --trap-unknown-imports does. Other kinds of
// unknown imports still fail to link.

import type { EngineCore } from "../api/engine-core.js";
import { Func } from "../api/externs.js";
import type { ImportDescriptor, Module } from "../api/module.js";
import type { ImportObject } from "../api/instance.js";

/** The imports of `module` that `imports` does not supply. */
export function missingImports(module: Module, imports: ImportObject, builtin: (d: ImportDescriptor) => boolean = () => false): ImportDescriptor[] {
  return module.imports().filter((d) => imports[d.module]?.[d.name] === undefined && !builtin(d));
}

/** Adds a trapping host function to `imports` for every missing function import (in import order). */
export function trapUnknownImports(engine: EngineCore, module: Module, imports: ImportObject, builtin?: (d: ImportDescriptor) => boolean): void {
  for (const d of missingImports(module, imports, builtin)) {
    if (d.kind !== "func") continue;
    const ns = (imports[d.module] ??= {});
    ns[d.name] = Func.host(engine, d.type, () => {
      throw new Error(`unknown import ${d.module}.${d.name} called`);
    });
  }
}
