// External visibility of types (Explainer.md): a type that bindings give a
// name — record, variant, enum, flags, resource — may appear in an import or
// export only if it is named there, i.e. introduced by a type import or
// export (in an import: by a type import). Structural types (tuple, list,
// option, result, handles) need no name; their parts are checked.
// Component types are checked eagerly, instance types when they are
// attached to an import or export.

import { Reader } from "../binary/reader";
import { TK, NONE, Ext, Sort } from "./types";
import { st, spend } from "./state";

@inline function isNominal(k: TK): bool {
  return k == TK.Record || k == TK.Variant || k == TK.Enum || k == TK.Flags || k == TK.Resource;
}

/**
 * The named types in force: the scope's set, then one set per enclosing
 * instance type being checked (no copying: a copy per instance would be
 * quadratic in hostile input).
 */
class Names {
  layers: Array<Set<i32>> = [];
  has(t: i32): bool {
    for (let i = this.layers.length - 1; i >= 0; i--) if (this.layers[i].has(t)) return true;
    return false;
  }
}

/** Value type `t` may be used where `named` holds the named types. */
function valVisible(r: Reader, t: i32, named: Names): bool {
  if (t == NONE) return true;
  if (!spend(r)) return false;
  let x = st.arena[t];
  if (x.kind == TK.Prim) return true;
  if (isNominal(x.kind)) return named.has(t);
  if (x.kind == TK.Own || x.kind == TK.Borrow) return named.has(x.a);
  return membersVisible(r, t, named);
}

/** The parts of `t` (fields, cases, elements) are visible. */
function membersVisible(r: Reader, t: i32, named: Names): bool {
  let x = st.arena[t];
  for (let i = 0; i < x.members.length; i++) if (!valVisible(r, x.members[i], named)) return false;
  if (x.kind == TK.Own || x.kind == TK.Borrow) return true;
  return valVisible(r, x.a, named) && valVisible(r, x.b, named);
}

/** What a type import/export of `t` needs: its parts (it becomes named itself). */
function typeDefVisible(r: Reader, t: i32, named: Names): bool {
  let x = st.arena[t];
  if (x.kind == TK.Resource) return true;
  if (x.kind == TK.Func) return membersVisible(r, t, named);
  if (x.kind == TK.Instance) return instanceVisible(r, t, named);
  if (x.kind == TK.Component) return true; // checked eagerly when declared
  return isNominal(x.kind) ? membersVisible(r, t, named) : valVisible(r, t, named);
}

/** Each export of instance type `t` is visible, its own type exports adding names as they come. */
function instanceVisible(r: Reader, t: i32, named: Names): bool {
  let x = st.arena[t];
  let own = new Set<i32>();
  named.layers.push(own);
  let ok = true;
  for (let i = 0; i < x.exports.length && ok; i++) {
    ok = externVisible(r, x.exports[i], named);
    if (x.exports[i].sort == Sort.Type) own.add(x.exports[i].type);
  }
  named.layers.pop();
  return ok;
}

function externVisible(r: Reader, e: Ext, named: Names): bool {
  if (!spend(r)) return false;
  switch (e.sort) {
    case Sort.Func: return membersVisible(r, e.type, named);
    case Sort.Type: return typeDefVisible(r, e.type, named);
    case Sort.Instance: return instanceVisible(r, e.type, named);
  }
  return true;
}

/** Extern `e` may be imported/exported where `named` holds the named types. */
export function extVisible(r: Reader, e: Ext, named: Set<i32>): bool {
  let n = new Names();
  n.layers.push(named);
  return externVisible(r, e, n);
}

/** Adds the type exports of instance `t` (and of its instance exports) to `named`. */
export function nameInstanceTypes(t: i32, named: Set<i32>, depth: i32 = 0): void {
  if (depth > 64) return;
  let x = st.arena[t];
  for (let i = 0; i < x.exports.length; i++) {
    let e = x.exports[i];
    if (e.sort == Sort.Type) named.add(e.type);
    else if (e.sort == Sort.Instance) nameInstanceTypes(e.type, named, depth + 1);
  }
}
