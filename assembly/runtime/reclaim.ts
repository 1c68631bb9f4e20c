// Giving back what dropped instances held.
//
// Store addresses are indices that handles and references name, so objects
// cannot move. Reclamation is therefore last-in, first-out: while the most
// recent instance is dropped, and the objects at the end of the store are
// all its own, and no live table, global or element segment still refers
// to one of its functions, the store is cut back to where that instance
// began and its memories and tables are freed. The usual embedded pattern
// (instantiate, run, drop, repeat) therefore runs in constant memory.
// An instance that something still refers to stays, and so does everything
// made after it, until it can go.

import { theStore, Instance, setTotalPages, totalPages } from "./store";
import { machine, Status } from "../exec/machine";

/** Reclaims dropped instances from the end of the store; returns how many went. */
export function reclaimDropped(): i32 {
  let s = theStore;
  // Frames may name any instance while a call is in progress.
  if (machine.status != Status.Idle || machine.frameCount != 0) return 0;
  let n = 0;
  while (s.instances.length > 0) {
    let last = s.instances[s.instances.length - 1];
    if (last && !last.dropped) break;
    if (last) {
      // first store index of each kind that the instance owns at the end of the store
      let id = <i32>last.id;
      let f0 = firstOwned(s.funcs, id), t0 = firstOwned(s.tables, id), m0 = firstOwned(s.mems, id), g0 = firstOwned(s.globals, id);
      if (!canCut(last, f0, t0, m0, g0)) break;
      cut(f0, t0, m0, g0);
    }
    s.instances.pop();
    n++;
  }
  return n;
}

/** First store index of each kind that instance `id` owns at the end of the store, or -1 if a foreign object sits there. */
function firstOwned<T>(list: Array<T>, id: i32): i32 {
  let i = list.length;
  while (i > 0) {
    let o = list[i - 1];
    // @ts-ignore: every store object has an `owner` (or an `instance`, for functions)
    let owner: i32 = isDefined(o.owner) ? o.owner : o.instance;
    if (owner != id) break;
    i--;
  }
  return i;
}

function canCut(inst: Instance, f0: i32, t0: i32, m0: i32, g0: i32): bool {
  let s = theStore;
  let id = <i32>inst.id;
  // everything after this instance's objects must be its own
  for (let i = 0; i < inst.funcAddrs.length; i++) {
    let a = inst.funcAddrs[i];
    if (s.funcs[a].instance == id && <i32>a < f0) return false;
  }
  for (let i = 0; i < inst.tableAddrs.length; i++) { let a = inst.tableAddrs[i]; if (s.tables[a].owner == id && <i32>a < t0) return false; }
  for (let i = 0; i < inst.memAddrs.length; i++) { let a = inst.memAddrs[i]; if (s.mems[a].owner == id && <i32>a < m0) return false; }
  for (let i = 0; i < inst.globalAddrs.length; i++) { let a = inst.globalAddrs[i]; if (s.globals[a].owner == id && <i32>a < g0) return false; }
  // no survivor may refer to a function that goes (funcref = address + 1)
  let limit = <u64>f0;
  for (let i = 0; i < t0; i++) {
    let t = s.tables[i];
    if (t.elemType != 0x70) continue;
    for (let j: u32 = 0; j < t.size; j++) {
      let r = load<u64>(t.elems + (<usize>j << 3));
      if (r > limit) return false;
    }
  }
  for (let i = 0; i < g0; i++) {
    let g = s.globals[i];
    if (g.type == 0x70 && <u64>g.value > limit) return false;
  }
  for (let i = 0; i < s.instances.length - 1; i++) {
    let o = s.instances[i];
    if (!o || o.dropped) continue;
    for (let j = 0; j < o.elemRefs.length; j++) {
      let refs = o.elemRefs[j];
      for (let k = 0; k < refs.length; k++) if (refs[k] > limit) return false;
    }
  }
  return true;
}

function cut(f0: i32, t0: i32, m0: i32, g0: i32): void {
  let s = theStore;
  for (let i = t0; i < s.tables.length; i++) { let t = s.tables[i]; if (t.elems) heap.free(t.elems); t.elems = 0; t.size = 0; }
  let pages = totalPages;
  for (let i = m0; i < s.mems.length; i++) {
    let m = s.mems[i];
    if (m.base) heap.free(m.base);
    pages -= m.pages;
    m.base = 0; m.bytes = 0; m.pages = 0;
  }
  setTotalPages(pages);
  s.funcs.length = f0;
  s.tables.length = t0;
  s.mems.length = m0;
  s.globals.length = g0;
}
