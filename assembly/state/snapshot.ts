// Writing a snapshot: the store and the machine, as they are, in a fixed
// little-endian layout (docs/snapshot-format.md). Compiled code is not
// written: it is derived from the module bytes, named by their hash.

import { ValType, slotCount } from "../binary/module";
import { theStore, NO_MAX } from "../runtime/store";
import { machine, Machine, Status, machWireOffset, machFieldCount, machFieldOffset, machFieldBytes } from "../exec/machine";
import { frameAt, frameIsHost, frameInst, frameRetPc, frameFp, frameExtra, HOST_FRAME } from "../exec/frame";
import { IR_VERSION } from "../compile/ir";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { FI_FRAME_BYTES } from "../compile/func-info";
import { fuelTableHash } from "../exec/fuel";
import { ByteWriter, isZeroPage } from "./bytes";
import { crc32 } from "./hash";
import * as F from "./format";
import { SIMD_BUILT } from "../build-features";

/** Bytes of the value stack that hold live state. */
export function liveStackTop(): u32 {
  let m = machine;
  let top: u32 = m.resultsOff + (m.resultCount << 3);
  if (m.status == Status.HostCall) {
    let f = theStore.funcs[m.hostFunc];
    let np = <u32>f.type.paramSlots, nr = <u32>f.type.resultSlots;
    let t = m.hostArgsOff + ((np > nr ? np : nr) << 3);
    if (t > top) top = t;
  }
  // every Wasm frame on the call stack, and the current one
  for (let i: u32 = 0; i <= m.frameCount; i++) {
    let inst: u32, pc: u32, fp: u32;
    if (i < m.frameCount) {
      let fr = frameAt(m.frames, i);
      if (frameIsHost(fr)) continue;
      inst = frameInst(fr); pc = frameRetPc(fr); fp = frameFp(fr);
    } else {
      if (m.status != Status.Ready && m.status != Status.HostCall) break;
      inst = m.inst; pc = m.pcOff; fp = m.fpOff;
    }
    let ins = theStore.instances[inst];
    if (!ins) continue;
    let d = ins.compiled.funcAt(pc);
    if (d < 0) continue;
    let t = fp + ins.compiled.funcInfo[d * <i32>FUNC_INFO_WORDS + FI_FRAME_BYTES];
    if (t > top) top = t;
  }
  return top > m.stackBytes ? m.stackBytes : top;
}

function section(w: ByteWriter, tag: u32): usize {
  w.u32(tag);
  let at = w.len;
  w.u32(0);
  return at;
}
function endSection(w: ByteWriter, at: usize): void {
  w.setU32(at, <u32>(w.len - at - 4));
}

/** Feature bits of the state as it is: simd when a global or a host function's type holds a v128. */
function snapshotFeatures(): u32 {
  if (!SIMD_BUILT) return 0; // a device build without SIMD holds no v128
  let s = theStore;
  for (let i = 0; i < s.globals.length; i++) if (s.globals[i].type == ValType.V128) return F.FEATURE_SIMD;
  for (let i = 0; i < s.funcs.length; i++) {
    let f = s.funcs[i];
    if (f.instance < 0 && slotCount(f.type.params) + slotCount(f.type.results) != f.type.params.length + f.type.results.length) return F.FEATURE_SIMD;
  }
  return 0;
}

/** Writes the whole state; the caller frees the writer. Null if not at a halt. */
export function writeSnapshot(): ByteWriter | null {
  let m = machine;
  if (m.status != Status.Idle && m.status != Status.Ready && m.status != Status.HostCall) return null;
  if (m.patchInst >= 0) return null; // never: a halt always restores the patched op
  let s = theStore;
  let w = new ByteWriter();
  // header; length and checksum are patched at the end
  w.u32(F.SNAP_MAGIC); w.u32(F.SNAP_VERSION); w.u32(IR_VERSION); w.u32(fuelTableHash());
  w.u32(0); // total length
  w.u32(snapshotFeatures()); // the optional state kinds it holds (format.ts)

  let at = section(w, F.TAG_MODS);
  w.u32(s.modules.length);
  for (let i = 0; i < s.modules.length; i++) {
    // a module the host dropped may still be used by a live instance
    let cm = s.modules[i] ? s.modules[i] : moduleOfInstances(<u32>i);
    if (!cm) { w.u8(0); w.u64(0); continue; }
    w.u8(cm.metered ? 3 : 1); // bit0 present, bit1 metered
    w.u64(cm.hash);
  }
  endSection(w, at);

  at = section(w, F.TAG_FUNC);
  w.u32(s.funcs.length);
  for (let i = 0; i < s.funcs.length; i++) {
    let f = s.funcs[i];
    if (f.instance >= 0) { w.u8(0); w.u32(<u32>f.instance); w.u32(f.funcIdx); continue; }
    w.u8(1); w.u32(<u32>f.hostId);
    let t = f.type;
    w.u32(t.params.length); w.u32(t.results.length);
    for (let j = 0; j < t.params.length; j++) w.u8(t.params[j]);
    for (let j = 0; j < t.results.length; j++) w.u8(t.results[j]);
  }
  endSection(w, at);

  at = section(w, F.TAG_TABL);
  w.u32(s.tables.length);
  for (let i = 0; i < s.tables.length; i++) {
    let t = s.tables[i];
    w.u8(t.elemType); w.u32(t.max); w.u32(t.size);
    w.bytes(t.elems, <usize>t.size << 3);
  }
  endSection(w, at);

  at = section(w, F.TAG_MEMS);
  w.u32(s.mems.length);
  for (let i = 0; i < s.mems.length; i++) {
    let mm = s.mems[i];
    w.u32(mm.max); w.u32(mm.pages);
    let countAt = w.len;
    w.u32(0);
    let stored: u32 = 0;
    for (let p: u32 = 0; p < mm.pages; p++) {
      let src = mm.base + <usize>p * F.PAGE_BYTES;
      if (isZeroPage(src)) continue;
      w.u32(p);
      w.bytes(src, F.PAGE_BYTES);
      stored++;
    }
    w.setU32(countAt, stored);
  }
  endSection(w, at);

  at = section(w, F.TAG_GLOB);
  w.u32(s.globals.length);
  for (let i = 0; i < s.globals.length; i++) {
    let g = s.globals[i];
    w.u8(g.type); w.u8(g.mutable ? 1 : 0); w.u64(<u64>g.value);
    if (SIMD_BUILT && g.type == ValType.V128) w.u64(<u64>g.hi); // a v128's upper half (docs/snapshot-format.md)
  }
  endSection(w, at);

  at = section(w, F.TAG_INST);
  w.u32(s.instances.length);
  for (let i = 0; i < s.instances.length; i++) {
    let inst = s.instances[i];
    if (!inst) { w.u8(0); continue; }
    w.u8(1);
    w.u32(inst.compiled.id);
    writeU32s(w, inst.funcAddrs);
    writeU32s(w, inst.tableAddrs);
    writeU32s(w, inst.memAddrs);
    writeU32s(w, inst.globalAddrs);
    w.u32(inst.droppedElems.length);
    w.bytes(changetype<usize>(inst.droppedElems), inst.droppedElems.length);
    w.u32(inst.droppedDatas.length);
    w.bytes(changetype<usize>(inst.droppedDatas), inst.droppedDatas.length);
    w.u32(inst.elemRefs.length);
    for (let j = 0; j < inst.elemRefs.length; j++) {
      let r = inst.elemRefs[j];
      w.u32(r.length);
      w.bytes(changetype<usize>(r), <usize>r.length << 3);
    }
  }
  endSection(w, at);

  at = section(w, F.TAG_MACH);
  writeMachine(w);
  endSection(w, at);

  at = section(w, F.TAG_STAK);
  let top = liveStackTop();
  w.u32(top);
  w.bytes(m.stack, top);
  endSection(w, at);

  w.setU32(16, <u32>(w.len + 4));
  w.u32(crc32(w.buf, w.len));
  return w;
}

/**
 * The machine fields (exec/machine.ts MACH_FIELDS), then the frame records
 * (exec/frame.ts). Words that mean nothing in the current state are written
 * as 0, so equal states give equal snapshots and restore can insist on it.
 */
function writeMachine(w: ByteWriter): void {
  let m = machine;
  let start = w.len;
  for (let i = 0; i < machFieldCount(); i++) w.bytes(changetype<usize>(m) + machFieldOffset(i), machFieldBytes(i));
  if (m.status == Status.Idle) { // nothing runs: no position (wrt_abandon leaves the last one behind)
    w.setU32(start + machWireOffset(offsetof<Machine>("inst")), 0);
    w.setU32(start + machWireOffset(offsetof<Machine>("pcOff")), 0);
    w.setU32(start + machWireOffset(offsetof<Machine>("fpOff")), 0);
    // the called function matters only for results the host has yet to read
    if (m.pending != Status.Done) w.setU32(start + machWireOffset(offsetof<Machine>("calledFunc")), 0);
  }
  if (m.resumeSide < 0) { // no resume point: its position in a block is stale
    w.setU32(start + machWireOffset(offsetof<Machine>("resumeSide")), <u32>-1);
    w.setU32(start + machWireOffset(offsetof<Machine>("resumeK")), 0);
  }
  if (m.status != Status.HostCall) { // no host call pending
    w.setU32(start + machWireOffset(offsetof<Machine>("hostFunc")), 0);
    w.setU32(start + machWireOffset(offsetof<Machine>("hostArgsOff")), 0);
    store<u8>(w.buf + start + machWireOffset(offsetof<Machine>("hostDirect")), 0);
  }
  for (let i: u32 = 0; i < m.frameCount; i++) {
    let fr = frameAt(m.frames, i);
    let host = frameIsHost(fr);
    w.u32(host ? HOST_FRAME : frameInst(fr));
    w.u32(frameRetPc(fr));
    w.u32(frameFp(fr));
    w.u32(host ? frameExtra(fr) : 0); // a Wasm frame's fourth word is not written by the dispatch loop
  }
}

function moduleOfInstances(id: u32): CompiledModule | null {
  let insts = theStore.instances;
  for (let i = 0; i < insts.length; i++) {
    let inst = insts[i];
    if (inst && inst.compiled.id == id) return inst.compiled;
  }
  return null;
}

function writeU32s(w: ByteWriter, a: StaticArray<u32>): void {
  w.u32(a.length);
  w.bytes(changetype<usize>(a), <usize>a.length << 2);
}
