// Canonical definitions (Binary.md "Canonical Definitions", CanonicalABI.md):
// lift, lower, resource.new/drop/rep, their options and the core function
// types they require or produce. Async and thread built-ins are refused.

import { Reader } from "../binary/reader";
import { FuncType } from "../binary/module";
import { TK, NONE, F_I32 } from "./types";
import { st, Scope, invalid, malformed, unsupported, checkIndex, roomFor } from "./state";
import { flattenFunc, funcParamsHaveList } from "./valtypes";

/** Canon options as read (-1: absent). */
class Opts {
  encoding: i32 = -1;
  memory: i32 = -1;
  realloc: i32 = -1;
  postReturn: i32 = -1;
  at: u32 = 0;
}

function funcType(params: Array<u8>, results: Array<u8>): FuncType {
  let f = new FuncType();
  f.params = params;
  f.results = results;
  return f;
}

function show(f: FuncType): string {
  let s = "[";
  for (let i = 0; i < f.params.length; i++) s += (i ? " " : "") + coreName(f.params[i]);
  s += "] -> [";
  for (let i = 0; i < f.results.length; i++) s += (i ? " " : "") + coreName(f.results[i]);
  return s + "]";
}

function coreName(t: u8): string {
  switch (t) { case 0x7F: return "i32"; case 0x7E: return "i64"; case 0x7D: return "f32"; case 0x7C: return "f64"; }
  return "0x" + t.toString(16);
}

function readOpts(r: Reader, sc: Scope): Opts {
  let o = new Opts();
  o.at = r.pos;
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let at = r.pos;
    let k = r.u8();
    if (r.failed) break;
    if (k <= 2) {
      if (o.encoding >= 0) { invalid(r, "canonical option `string-encoding` is given more than once", at); break; }
      o.encoding = k;
    } else if (k == 3) {
      if (o.memory >= 0) { invalid(r, "canonical option `memory` is given more than once", at); break; }
      let idx = r.u32leb();
      if (!checkIndex(r, idx, sc.coreMems.length, "core memory", at)) break;
      if (sc.coreMems[idx].limits.is64) { invalid(r, "canonical option `memory` must be a 32-bit memory", at); break; }
      o.memory = idx;
    } else if (k == 4 || k == 5) {
      let what = k == 4 ? "realloc" : "post-return";
      if ((k == 4 ? o.realloc : o.postReturn) >= 0) { invalid(r, "canonical option `" + what + "` is given more than once", at); break; }
      let idx = r.u32leb();
      if (!checkIndex(r, idx, sc.coreFuncs.length, "core func", at)) break;
      if (k == 4) o.realloc = idx; else o.postReturn = idx;
    } else if (k == 6 || k == 7) {
      unsupported(r, "not supported: async (canonical option " + (k == 6 ? "async" : "callback") + ")", at);
    } else {
      malformed(r, "malformed canonical option 0x" + k.toString(16), at);
    }
  }
  if (!r.failed && o.realloc >= 0) {
    let want = funcType([F_I32, F_I32, F_I32, F_I32], [F_I32]);
    let have = sc.coreFuncs[o.realloc];
    if (!have.equals(want)) invalid(r, "canonical option `realloc` must have type [i32 i32 i32 i32] -> [i32], found " + show(have), o.at);
  }
  return o;
}

/** Memory and realloc as the function's types need them. */
function checkNeeds(r: Reader, o: Opts, f: i32, lift: bool, flatParams: u32, flatResults: u32): void {
  let t = st.arena[f];
  let paramsList = funcParamsHaveList(t);
  let resultList = t.a != NONE && st.arena[t.a].hasList;
  let spills = flatParams > 16 || flatResults > 1;
  let needMemory = paramsList || resultList || spills;
  let needRealloc = lift ? (paramsList || flatParams > 16) : resultList;
  if (needMemory && o.memory < 0) { invalid(r, "canonical option `memory` is required (the function passes lists, strings or spilled values)", o.at); return; }
  if (needRealloc && o.realloc < 0) { invalid(r, "canonical option `realloc` is required (values are allocated in the guest's memory)", o.at); return; }
  if (!lift && o.postReturn >= 0) { invalid(r, "canonical option `post-return` is only allowed on `canon lift`", o.at); return; }
}

/** Counts of flattened params/results before the spill to memory. */
function rawFlat(f: i32, params: bool): u32 {
  let t = st.arena[f];
  if (params) {
    let n: u32 = 0;
    for (let i = 0; i < t.members.length; i++) {
      let m = st.arena[t.members[i]];
      n += m.flatOver ? 17 : <u32>m.flat.length;
    }
    return n;
  }
  if (t.a == NONE) return 0;
  let rt = st.arena[t.a];
  return rt.flatOver ? 17 : <u32>rt.flat.length;
}

function lift(r: Reader, sc: Scope): void {
  let fat = r.pos;
  let core = r.u32leb();
  if (!checkIndex(r, core, sc.coreFuncs.length, "core func", fat)) return;
  let o = readOpts(r, sc);
  let tat = r.pos;
  let ti = r.u32leb();
  if (!checkIndex(r, ti, sc.types.length, "type", tat)) return;
  let ft = sc.types[ti];
  if (st.arena[ft].kind != TK.Func) { invalid(r, "canon lift needs a function type; type " + ti.toString() + " is not one", tat); return; }
  checkNeeds(r, o, ft, true, rawFlat(ft, true), rawFlat(ft, false));
  if (r.failed) return;
  let p: Array<u8> = [], q: Array<u8> = [];
  flattenFunc(st.arena[ft], true, p, q);
  let want = funcType(p, q);
  let have = sc.coreFuncs[core];
  if (!have.equals(want)) { invalid(r, "canon lift: core function " + core.toString() + " has type " + show(have) + ", the lifted type needs " + show(want), fat); return; }
  if (o.postReturn >= 0) {
    let pr = sc.coreFuncs[o.postReturn];
    let wantPr = funcType(q, []);
    if (!pr.equals(wantPr)) { invalid(r, "canonical option `post-return` must have type " + show(wantPr) + ", found " + show(pr), o.at); return; }
  }
  if (roomFor(r, sc.funcs.length, "func")) sc.funcs.push(ft);
}

function lower(r: Reader, sc: Scope): void {
  let fat = r.pos;
  let fi = r.u32leb();
  if (!checkIndex(r, fi, sc.funcs.length, "func", fat)) return;
  let o = readOpts(r, sc);
  if (r.failed) return;
  let ft = sc.funcs[fi];
  checkNeeds(r, o, ft, false, rawFlat(ft, true), rawFlat(ft, false));
  if (r.failed) return;
  let p: Array<u8> = [], q: Array<u8> = [];
  flattenFunc(st.arena[ft], false, p, q);
  if (roomFor(r, sc.coreFuncs.length, "core func")) sc.coreFuncs.push(funcType(p, q));
}

/** resource.new / resource.drop / resource.rep of type `rt`. */
function resourceOp(r: Reader, sc: Scope, op: u32): void {
  let at = r.pos;
  let ti = r.u32leb();
  if (!checkIndex(r, ti, sc.types.length, "type", at)) return;
  let res = st.arena[sc.types[ti]];
  if (res.kind != TK.Resource) { invalid(r, "type " + ti.toString() + " is not a resource type", at); return; }
  if (op != 0x03 && (!res.local || res.owner != sc.id)) {
    invalid(r, "resource." + (op == 0x02 ? "new" : "rep") + " needs a resource type defined in this component", at);
    return;
  }
  let f: FuncType;
  if (op == 0x02) f = funcType([res.rep], [F_I32]);
  else if (op == 0x03) f = funcType([F_I32], []);
  else f = funcType([F_I32], [res.rep]);
  if (roomFor(r, sc.coreFuncs.length, "core func")) sc.coreFuncs.push(f);
}

/** One `canon` definition. */
export function readCanon(r: Reader, sc: Scope): void {
  let at = r.pos;
  let op = r.u8();
  if (r.failed) return;
  if (op == 0x00 || op == 0x01) {
    let z = r.u8();
    if (!r.failed && z != 0x00) { malformed(r, "malformed canon: expected the func sort 0x00, got 0x" + z.toString(16), at); return; }
    if (op == 0x00) lift(r, sc); else lower(r, sc);
    return;
  }
  if (op >= 0x02 && op <= 0x04) { resourceOp(r, sc, op); return; }
  if ((op >= 0x05 && op <= 0x2D) || (op >= 0x40 && op <= 0x42)) {
    unsupported(r, "not supported: async and thread built-ins (canon 0x" + op.toString(16) + ")", at);
    return;
  }
  malformed(r, "malformed canon opcode 0x" + op.toString(16), at);
}
