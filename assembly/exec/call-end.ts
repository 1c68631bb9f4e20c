// How a host-level call ends: the guest returned into it, or a trap unwinds
// it. Both pop the sentinel frame the call began with (exec/call.ts
// enterCall pushes it) and restore what it saved. The dispatch loop
// (interp.ts) and the call API (call.ts) both end calls, so this sits below
// both.

import { machine, Status, FRAME_BYTES, HOST_FRAME } from "./machine";

// Sentinel frame flags (frame word +12).
export const OUTER_HOST_CALL: u32 = 1;   // a host call was pending when this call began
export const OUTER_DIRECT: u32 = 2;      // ... and it came straight from the API (no position frame below)

/** Pops the sentinel at m.frameCount (already decremented past it) and restores what it saved. */
function popSentinel(): void {
  let m = machine;
  let fr = m.frames + <usize>m.frameCount * FRAME_BYTES;
  let flags = load<u32>(fr, 12);
  if (flags & OUTER_HOST_CALL) {
    m.hostFunc = load<u32>(fr, 4);
    m.hostArgsOff = load<u32>(fr, 8);
    m.hostDirect = (flags & OUTER_DIRECT) != 0;
    m.calledFunc = load<u32>(m.frames, 4); // the outermost call's function again
    if (!m.hostDirect) {
      m.frameCount--;
      let p = m.frames + <usize>m.frameCount * FRAME_BYTES;
      m.inst = load<u32>(p, 0);
      m.pcOff = load<u32>(p, 4);
      m.fpOff = load<u32>(p, 8);
    }
    m.status = Status.HostCall;
  } else {
    becomeIdle();
  }
}

/**
 * Nothing runs: forget the last position, so an idle machine's state (and
 * its snapshot) does not depend on how the finished call was sliced by fuel.
 */
function becomeIdle(): void {
  let m = machine;
  m.status = Status.Idle;
  m.pcOff = 0;
  m.fpOff = 0;
  m.resumeSide = -1;
  m.resumeK = 0;
}

/** The guest returned into a host-level call: results are at `resOff`. */
export function finishHostLevelCall(resOff: u32, n: u32): Status {
  let m = machine;
  m.resultsOff = resOff;
  m.resultCount = n;
  m.resumeSide = -1;
  popSentinel();
  return Status.Done;
}

/** A trap ends the innermost host-level call: drop its frames. */
export function unwindAfterTrap(): void {
  let m = machine;
  m.resumeSide = -1;
  while (m.frameCount > 0) {
    m.frameCount--;
    let fr = m.frames + <usize>m.frameCount * FRAME_BYTES;
    if (load<u32>(fr, 0) == HOST_FRAME) { popSentinel(); return; }
  }
  becomeIdle();
}
