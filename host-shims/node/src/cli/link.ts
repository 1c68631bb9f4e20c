// The host functions `wrt run` links, and the same again for `wrt resume`:
// spectest (the spec suite's host module), WASI preview 1, AssemblyScript's
// env functions, and with --unknown-imports trap a trapping stub for every
// other function import. They are created in one fixed order from a
// JSON-able HostSetup, which the snapshot container keeps, so a resumed
// snapshot finds every host function under the id it had.

import type { Engine } from "../api/engine.js";
import type { Instance, ImportObject } from "../api/instance.js";
import type { Module } from "../api/module.js";
import { AssemblyScriptEnv } from "../hosts/assemblyscript.js";
import { trapUnknownImports } from "../hosts/unknown-imports.js";
import { createSpectest } from "../spectest.js";
import { WASI_MODULE, WasiPreview1 } from "../wasi/preview1.js";
import { out, writeAll, type Progress } from "./io.js";

export interface HostSetup {
  spectest?: boolean;
  wasi?: { args: string[]; env: string[]; preopens: Record<string, string> };
  /** The AssemblyScript env functions bound (names). */
  asEnv?: string[];
  unknownImports?: "trap";
}

export interface Linked {
  imports: ImportObject;
  wasi: WasiPreview1 | null;
  /** Gives WASI and the AssemblyScript env the instance's memory. */
  bind(inst: Instance): void;
}

/** What `wrt run` links for `module`, from its imports and the options. */
export function setupFor(module: Module, o: { args: string[]; env: string[]; preopens: Record<string, string>; unknownImports: string }): HostSetup {
  const imports = module.imports();
  const setup: HostSetup = {};
  if (imports.some((d) => d.module === "spectest")) setup.spectest = true;
  if (imports.some((d) => d.module === WASI_MODULE)) setup.wasi = { args: o.args, env: o.env, preopens: o.preopens };
  const as = AssemblyScriptEnv.wanted(imports);
  if (as.length > 0) setup.asEnv = as;
  if (o.unknownImports === "trap") setup.unknownImports = "trap";
  return setup;
}

/** Creates the host functions of `setup` (always in this order) for `module`. */
export function link(engine: Engine, module: Module, setup: HostSetup, progress?: Progress): Linked {
  const imports: ImportObject = {};
  // guest output first erases the progress line (a terminal shows both on stderr/stdout)
  const clear = (): void => progress?.done();
  if (setup.spectest) imports["spectest"] = createSpectest(engine, (line) => (clear(), out(line)));
  let wasi: WasiPreview1 | null = null;
  if (setup.wasi) {
    wasi = new WasiPreview1({
      args: setup.wasi.args, env: setup.wasi.env, preopens: setup.wasi.preopens,
      stdout: (b) => (clear(), writeAll(1, b)),
      stderr: (b) => (clear(), writeAll(2, b)),
    });
    Object.assign(imports, wasi.imports(engine));
  }
  let asEnv: AssemblyScriptEnv | null = null;
  if (setup.asEnv?.length) {
    asEnv = new AssemblyScriptEnv();
    imports["env"] = { ...asEnv.imports(engine, setup.asEnv), ...(imports["env"] ?? {}) };
  }
  if (setup.unknownImports === "trap") trapUnknownImports(engine, module, imports, (d) => d.module === "wasi:logging/logging");
  return {
    imports,
    wasi,
    bind(inst) {
      wasi?.bind(inst);
      asEnv?.bind(inst);
    },
  };
}
