// Calls between the host and the guest: preparing a call, answering a host
// call. How a host-level call ends lives in call-end.ts. The dispatch loop itself
// (interp.ts) never calls the host; it returns a status and these functions
// set up the state for the next `run`.

import { theStore, FuncInst, Instance } from "../runtime/store";
import { funcInfoAt, fiCodeOff, fiFrameBytes, fiParamBytes, fiLocalBytes } from "../compile/func-info";
import { machine, Status, FRAME_BYTES, HOST_FRAME, STACKS_DO_NOT_FIT } from "./machine";
import { Trap } from "./trap";
import { unpatch, execute } from "./interp";
import { OUTER_HOST_CALL, OUTER_DIRECT, finishHostLevelCall, unwindAfterTrap } from "./call-end";

function slotsOf(f: FuncInst): u32 {
  let np = <u32>f.type.paramSlots;
  let nr = <u32>f.type.resultSlots;
  return np > nr ? np : nr;
}

/**
 * Prepares a call of store function `addr` with `nargs` argument slots at
 * `args`. Allowed when idle or while a host call is pending (nesting).
 * Returns 0, or -1 with `callError` set.
 */
export let callError: string = "";

export function enterCall(addr: u32, args: usize, nargs: u32): i32 {
  let m = machine;
  if (!m.ensureStacks()) { callError = STACKS_DO_NOT_FIT; return -1; }
  if (m.status != Status.Idle && m.status != Status.HostCall) { callError = "a call is already in progress"; return -1; }
  if (addr >= <u32>theStore.funcs.length) { callError = "no such function"; return -1; }
  let f = theStore.funcs[addr];
  if (f.instance < 0 && f.hostId < 0) { callError = "built-in functions are called by guests only"; return -1; }
  if (<u32>f.type.paramSlots != nargs) { // slots: a v128 argument takes two
    callError = "expected " + f.type.paramSlots.toString() + " argument slots, got " + nargs.toString();
    return -1;
  }
  let outer = m.status == Status.HostCall;
  let top: u32 = outer ? m.hostArgsOff + (slotsOf(theStore.funcs[m.hostFunc]) << 3) : 0;
  let need: u32 = 2;
  let frameBytes: u32 = slotsOf(f) << 3;
  let fi: usize = 0;
  if (f.instance >= 0) {
    let inst = changetype<Instance>(theStore.instances[f.instance]);
    let cm = inst.compiled;
    fi = funcInfoAt(cm.funcInfoBase, f.funcIdx - cm.module.numImportedFuncs);
    frameBytes = fiFrameBytes(fi);
  }
  if (<u64>top + <u64>frameBytes > <u64>m.stackBytes || m.frameCount + need > m.frameCap) {
    callError = "call stack exhausted";
    return -1;
  }
  let flags: u32 = 0;
  if (outer) {
    flags = OUTER_HOST_CALL;
    if (m.hostDirect) flags |= OUTER_DIRECT;
    else m.pushFrame(m.inst, m.pcOff, m.fpOff, 0);
  }
  // A nested call's host frame saves the pending host call; the outermost
  // one (flags 0) records the function called, which calledFunc goes back
  // to when a nested call ends.
  if (outer) m.pushFrame(HOST_FRAME, m.hostFunc, m.hostArgsOff, flags);
  else m.pushFrame(HOST_FRAME, addr, 0, 0);
  let fp = m.stack + top;
  memory.copy(fp, args, <usize>nargs << 3);
  m.calledFunc = addr;
  m.resumeSide = -1;
  if (f.instance < 0) {
    m.hostFunc = addr;
    m.hostArgsOff = top;
    m.hostDirect = true;
    m.status = Status.HostCall;
    return 0;
  }
  memory.fill(fp + fiParamBytes(fi), 0, fiLocalBytes(fi));
  m.inst = <u32>f.instance;
  m.pcOff = fiCodeOff(fi);
  m.fpOff = top;
  m.status = Status.Ready;
  return 0;
}

/** Completes the pending host call with `n` result slots at `res`. */
export function hostReturn(res: usize, n: u32): i32 {
  let m = machine;
  if (m.status != Status.HostCall) { callError = "no host call is pending"; return -1; }
  let f = theStore.funcs[m.hostFunc];
  if (<u32>f.type.resultSlots != n) {
    callError = "expected " + f.type.resultSlots.toString() + " result slots, got " + n.toString();
    return -1;
  }
  memory.copy(m.stack + m.hostArgsOff, res, <usize>n << 3);
  if (m.hostDirect) {
    m.frameCount--;
    finishHostLevelCall(m.hostArgsOff, n);
    m.pending = Status.Done;
    return 0;
  }
  m.status = Status.Ready;
  return 0;
}

/** Completes the pending host call with a trap. */
export function hostTrap(text: string): void {
  let m = machine;
  m.trap = Trap.HostError;
  m.trapText = text;
  m.trapInst = m.inst;
  m.trapPcOff = m.pcOff;
  unwindAfterTrap();
  m.pending = Status.Trap;
}

/** Runs the current call (the API's wrt_run). */
export function runCall(fuel: i64): i32 {
  let m = machine;
  if (m.pending >= 0) { let p = m.pending; m.pending = -1; return p; }
  if (m.status == Status.HostCall) return Status.HostCall;
  if (m.status != Status.Ready) { callError = "nothing to run"; return -1; }
  m.fuel = fuel;
  return execute(fuel);
}

/** Drops every call in progress. */
export function abandon(): void {
  let m = machine;
  unpatch();
  m.frameCount = 0;
  m.status = Status.Idle;
  m.resumeSide = -1;
  m.pending = -1;
}
