// The execution state of one interpreter: stacks, the current position,
// fuel, and what the embedder must answer. Every field is an integer or an
// offset, never a host pointer into the stacks, so a snapshot is a dump.
//
// Value stack: 8-byte slots, frames laid out as in compile/ir.ts.
// Call stack: FRAME_BYTES per frame:
//
//   +0 instance   the caller's instance (0xFFFFFFFF: a call from the host)
//   +4 retPc      byte offset in the caller module's code to continue at
//   +8 fp         caller's frame, byte offset in the value stack
//   +12 extra     host-call sentinel: saved flags (see `enterCall`); not
//                 written (so unspecified) in frames of Wasm calls
//
// A call from the host pushes a sentinel frame; returning into it ends the
// call (DONE). A call made while a host call is pending (the host calling
// back into the guest) pushes the suspended position first, so it nests.

import { limits } from "../runtime/limits";
import { Trap } from "./trap";

export const FRAME_BYTES: u32 = 16;
export const HOST_FRAME: u32 = 0xFFFFFFFF;

export const enum Status {
  Done = 0,
  OutOfFuel = 1,
  HostCall = 2,
  Trap = 3,
  /** Not a result of run: nothing prepared. */
  Idle = 4,
  /** A call is prepared or resumable: run may continue it. */
  Ready = 5,
}

export class Machine {
  stack: usize = 0;
  stackBytes: u32 = 0;
  frames: usize = 0;
  frameCap: u32 = 0;
  frameCount: u32 = 0;

  status: Status = Status.Idle;

  // where execution continues (valid when Ready)
  inst: u32 = 0;
  pcOff: u32 = 0;
  fpOff: u32 = 0;

  fuel: i64 = 0;

  /** Out of fuel inside a block: its side-table index and the next op's position in it. */
  resumeSide: i32 = -1;
  resumeK: u32 = 0;

  /** A Halt op patched into code: which module (instance), where, and the word it replaced. */
  patchInst: i32 = -1;
  patchOff: u32 = 0;
  patchSaved: u32 = 0;

  /** Pending host call: store function address and argument slots (value stack offset). */
  hostFunc: u32 = 0;
  hostArgsOff: u32 = 0;
  /** The pending host call came straight from the API (no Wasm caller). */
  hostDirect: bool = false;

  /** After Done: result slots and count; the function that was called. */
  resultsOff: u32 = 0;
  resultCount: u32 = 0;
  calledFunc: u32 = 0;
  /** A status the next run returns at once (a call finished or trapped outside the loop). */
  pending: i32 = -1;

  /** First free byte of the value stack for a new call from the host. */
  topOff: u32 = 0;

  trap: Trap = Trap.None;
  trapInst: u32 = 0;
  trapPcOff: u32 = 0;
  trapText: string = "";

  /**
   * Takes the configured stack sizes and drops all calls. The stacks
   * themselves are allocated on first use (`ensureStacks`), so an embedder
   * can shrink them with wrt_config before anything large is taken: a
   * board with little RAM never holds the defaults.
   */
  reset(): void {
    let sb = limits.valueStackBytes;
    let fc = limits.callFrames;
    if (this.stack != 0 && this.stackBytes != sb) { heap.free(this.stack); this.stack = 0; }
    if (this.frames != 0 && this.frameCap != fc) { heap.free(this.frames); this.frames = 0; }
    this.stackBytes = sb;
    this.frameCap = fc;
    this.frameCount = 0;
    this.status = Status.Idle;
    this.resumeSide = -1;
    this.topOff = 0;
  }

  /** Allocates the stacks if they are not yet. */
  ensureStacks(): void {
    if (this.stack == 0) this.stack = heap.alloc(this.stackBytes);
    if (this.frames == 0) this.frames = heap.alloc(<usize>this.frameCap * FRAME_BYTES);
  }

  @inline pushFrame(inst: u32, retPc: u32, fp: u32, extra: u32): bool {
    let n = this.frameCount;
    if (n >= this.frameCap) return false;
    let p = this.frames + <usize>n * FRAME_BYTES;
    store<u32>(p, inst, 0);
    store<u32>(p, retPc, 4);
    store<u32>(p, fp, 8);
    store<u32>(p, extra, 12);
    this.frameCount = n + 1;
    return true;
  }
}

export const machine = new Machine();
