// Lookups by name or id in a type's lists, through maps built on first use,
// so checking an instantiation or a match is linear in the names involved
// (a list search per name would be quadratic in hostile input).
// A type's lists are complete before anything looks them up.

import { CType, Ext, CoreNamed } from "./types";

export function findExport(t: CType, name: string): Ext | null {
  let m = t.exportMap;
  if (!m) {
    m = new Map<string, i32>();
    for (let i = 0; i < t.exports.length; i++) if (!m.has(t.exports[i].name)) m.set(t.exports[i].name, i);
    t.exportMap = m;
  }
  return m.has(name) ? t.exports[m.get(name)] : null;
}

export function findImport(t: CType, name: string): Ext | null {
  let m = t.importMap;
  if (!m) {
    m = new Map<string, i32>();
    for (let i = 0; i < t.imports.length; i++) if (!m.has(t.imports[i].name)) m.set(t.imports[i].name, i);
    t.importMap = m;
  }
  return m.has(name) ? t.imports[m.get(name)] : null;
}

/** A core export by name (module "" ) or a core import by (module, name). */
function coreKey(module: string, name: string): string { return module + "\u0000" + name; }

export function findCoreExport(t: CType, name: string): CoreNamed | null {
  let m = t.coreExportMap;
  if (!m) {
    m = new Map<string, i32>();
    for (let i = 0; i < t.coreExports.length; i++) if (!m.has(t.coreExports[i].name)) m.set(t.coreExports[i].name, i);
    t.coreExportMap = m;
  }
  return m.has(name) ? t.coreExports[m.get(name)] : null;
}

export function findCoreImport(t: CType, module: string, name: string): CoreNamed | null {
  let m = t.coreImportMap;
  if (!m) {
    m = new Map<string, i32>();
    for (let i = 0; i < t.coreImports.length; i++) {
      let k = coreKey(t.coreImports[i].module, t.coreImports[i].name);
      if (!m.has(k)) m.set(k, i);
    }
    t.coreImportMap = m;
  }
  let k = coreKey(module, name);
  return m.has(k) ? t.coreImports[m.get(k)] : null;
}

/** Is `id` one of t.freshResources? */
export function isFresh(t: CType, id: i32): bool {
  let s = t.freshSet;
  if (!s) {
    s = new Set<i32>();
    for (let i = 0; i < t.freshResources.length; i++) s.add(t.freshResources[i]);
    t.freshSet = s;
  }
  return s.has(id);
}

/** Is `id` one of t.importFresh? */
export function isImportFresh(t: CType, id: i32): bool {
  let s = t.importFreshSet;
  if (!s) {
    s = new Set<i32>();
    for (let i = 0; i < t.importFresh.length; i++) s.add(t.importFresh[i]);
    t.importFreshSet = s;
  }
  return s.has(id);
}
