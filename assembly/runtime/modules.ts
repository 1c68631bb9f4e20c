// The store's compiled modules: adding one (from a .wasm or from an image)
// and finding one by handle.

import { CompiledModule } from "../compile/compiled";
import { internType } from "./types";
import { theStore } from "./store";

/** Interns the module's function types; sets cm.typeCanon. */
export function internModuleTypes(cm: CompiledModule): void {
  let m = cm.module;
  let canon = new StaticArray<u32>(m.types.length);
  for (let i = 0; i < m.types.length; i++) {
    canon[i] = internType(m.types[i]);
    m.types[i].canon = <i32>canon[i];
  }
  cm.typeCanon = canon;
}

/** Registers a ready module; returns its handle. */
export function addModule(cm: CompiledModule): i32 {
  cm.id = <u32>theStore.modules.length;
  theStore.modules.push(cm);
  return <i32>cm.id;
}

/** The module with handle `h`, or null (no such handle, or dropped). */
export function moduleOf(h: i32): CompiledModule | null {
  if (h < 0 || h >= theStore.modules.length) return null;
  return theStore.modules[h];
}
