// The execution state of one interpreter: stacks, the current position,
// fuel, and what the embedder must answer. Every field is an integer or an
// offset, never a host pointer into the stacks, so a snapshot is a dump.
//
// Value stack: 8-byte slots, frames laid out as in compile/ir.ts.
// Call stack: one record per call in progress, laid out in exec/frame.ts.
// The fields a snapshot saves are the rows of MACH_FIELDS below.

import { limits } from "../runtime/limits";
import { heapHasRoom } from "../runtime/heap-room";
import { Trap } from "./trap";
import { FRAME_BYTES, frameAt, setFrame } from "./frame";

/** Why a call or restore is refused when the configured stacks cannot be allocated (config keys 1 and 2). */
export const STACKS_DO_NOT_FIT = "the configured stacks (value stack bytes, call frames) do not fit in the interpreter's memory";

export { FRAME_BYTES, HOST_FRAME } from "./frame";

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

  /**
   * Allocates the stacks if they are not yet. False when one does not fit
   * in the interpreter's memory (configured too large for it): the caller
   * refuses the call or restore, where an allocation would have ended the
   * interpreter.
   */
  ensureStacks(): bool {
    if (this.stack == 0) {
      if (!heapHasRoom(<u64>this.stackBytes)) return false;
      this.stack = heap.alloc(this.stackBytes);
    }
    if (this.frames == 0) {
      let bytes = <u64>this.frameCap * FRAME_BYTES;
      if (!heapHasRoom(bytes)) return false;
      this.frames = heap.alloc(<usize>bytes);
    }
    return true;
  }

  @inline pushFrame(inst: u32, retPc: u32, fp: u32, extra: u32): bool {
    let n = this.frameCount;
    if (n >= this.frameCap) return false;
    setFrame(frameAt(this.frames, n), inst, retPc, fp, extra);
    this.frameCount = n + 1;
    return true;
  }
}

/**
 * The machine fields a snapshot saves (its MACH section), in their order on
 * the wire: one row per field, [byte offset in Machine, bytes]. The writer
 * (state/snapshot.ts), the reader and the commit (state/restore.ts) all walk
 * this one table; docs/snapshot-format.md lists the same rows.
 *
 *   MACH payload   bytes  meaning
 *   status         4      Idle 4, Ready 5, HostCall 2
 *   inst           4      current instance              (Ready, HostCall)
 *   pcOff          4      current op, code byte offset  (Ready, HostCall)
 *   fpOff          4      current frame, stack offset   (Ready, HostCall)
 *   fuel           8      the host's budget left over
 *   resumeSide     4      out of fuel inside a block: its side-table index, or -1
 *   resumeK        4      ... and the position of the next op in it
 *   hostFunc       4      pending host call: store function address (HostCall)
 *   hostArgsOff    4      ... its argument slots, stack offset        (HostCall)
 *   hostDirect     1      ... it came straight from the API (no Wasm caller)
 *   resultsOff     4      results of the last finished call: stack offset
 *   resultCount    4      ... and how many slots
 *   calledFunc     4      the function of the innermost call from the host
 *   pending        4      a status the next run returns at once, or -1
 *   trap           4      the last trap: code,
 *   trapInst       4      ... instance
 *   trapPcOff      4      ... and code offset
 *   frameCount     4      call frames; the frame records follow the table
 */
export const MACH_FIELDS: StaticArray<u32> = [
  offsetof<Machine>("status"), 4,
  offsetof<Machine>("inst"), 4,
  offsetof<Machine>("pcOff"), 4,
  offsetof<Machine>("fpOff"), 4,
  offsetof<Machine>("fuel"), 8,
  offsetof<Machine>("resumeSide"), 4,
  offsetof<Machine>("resumeK"), 4,
  offsetof<Machine>("hostFunc"), 4,
  offsetof<Machine>("hostArgsOff"), 4,
  offsetof<Machine>("hostDirect"), 1,
  offsetof<Machine>("resultsOff"), 4,
  offsetof<Machine>("resultCount"), 4,
  offsetof<Machine>("calledFunc"), 4,
  offsetof<Machine>("pending"), 4,
  offsetof<Machine>("trap"), 4,
  offsetof<Machine>("trapInst"), 4,
  offsetof<Machine>("trapPcOff"), 4,
  offsetof<Machine>("frameCount"), 4,
];

/** Number of rows in MACH_FIELDS. */
@inline export function machFieldCount(): i32 { return MACH_FIELDS.length >> 1; }
/** Byte offset in Machine of row `i`. */
@inline export function machFieldOffset(i: i32): usize { return <usize>unchecked(MACH_FIELDS[i << 1]); }
/** Bytes of row `i` on the wire and in Machine. */
@inline export function machFieldBytes(i: i32): u32 { return unchecked(MACH_FIELDS[(i << 1) + 1]); }

/** Byte offset on the wire (from the start of MACH's payload) of the field at `fieldOffset` in Machine. */
export function machWireOffset(fieldOffset: usize): u32 {
  let at: u32 = 0;
  for (let i = 0; i < machFieldCount(); i++) {
    if (machFieldOffset(i) == fieldOffset) return at;
    at += machFieldBytes(i);
  }
  return 0xFFFFFFFF;
}

/** Bytes of the MACH fields before the frame records. */
export function machFieldsBytes(): u32 {
  let n: u32 = 0;
  for (let i = 0; i < machFieldCount(); i++) n += machFieldBytes(i);
  return n;
}

export const machine = new Machine();
