// The call-stack record: one per call in progress, FRAME_BYTES each, in the
// machine's frame block (machine.frames). Two kinds, told apart by word 0:
//
//   Wasm frame (a Wasm caller's position, pushed by a call op or by a
//   nested call from the host while a host call is pending):
//   +0  instance  u32  the caller's instance (< 0xFFFFFFFF)
//   +4  retPc     u32  byte offset in the caller's code to continue at:
//                      just after the call op
//   +8  fp        u32  the caller's frame, byte offset in the value stack
//   +12 (unused)  u32  0 in a snapshot; not written by the dispatch loop
//
//   host frame (a call from the host; returning into it ends that call):
//   +0  HOST_FRAME u32 0xFFFFFFFF
//   +4  func      u32  flags 0: store address of the function called
//                      (the outermost call); flags 1/3: the host function
//                      whose call was pending when this call began
//   +8  args      u32  flags 0: 0; flags 1/3: that pending call's
//                      argument slots (value stack offset)
//   +12 flags     u32  0 outermost call, from idle; HOST_OUTER (1) a host
//                      call was pending (a Wasm position frame lies below);
//                      HOST_OUTER|HOST_DIRECT (3) ... and it came straight
//                      from the API (a host frame lies below)
//
// Everything is an offset or an index, never a pointer, so a snapshot
// writes the block as it is (docs/snapshot-format.md, MACH).

export const FRAME_BYTES: u32 = 16;
export const HOST_FRAME: u32 = 0xFFFFFFFF;

/** Host-frame flags (word +12). */
export const HOST_OUTER: u32 = 1;
export const HOST_DIRECT: u32 = 2;

/** Address of frame `i` in a frame block at `base`. */
@inline export function frameAt(base: usize, i: u32): usize { return base + <usize>i * FRAME_BYTES; }

@inline export function frameInst(fr: usize): u32 { return load<u32>(fr, 0); }
@inline export function frameIsHost(fr: usize): bool { return load<u32>(fr, 0) == HOST_FRAME; }
@inline export function frameRetPc(fr: usize): u32 { return load<u32>(fr, 4); }
@inline export function frameFp(fr: usize): u32 { return load<u32>(fr, 8); }
@inline export function frameExtra(fr: usize): u32 { return load<u32>(fr, 12); }

// the same words, named for a host frame
@inline export function hostFrameFunc(fr: usize): u32 { return load<u32>(fr, 4); }
@inline export function hostFrameArgs(fr: usize): u32 { return load<u32>(fr, 8); }
@inline export function hostFrameFlags(fr: usize): u32 { return load<u32>(fr, 12); }

/** Writes a whole frame record. */
@inline export function setFrame(fr: usize, inst: u32, pcOrFunc: u32, fpOrArgs: u32, extra: u32): void {
  store<u32>(fr, inst, 0);
  store<u32>(fr, pcOrFunc, 4);
  store<u32>(fr, fpOrArgs, 8);
  store<u32>(fr, extra, 12);
}

/** Writes the three words a call op saves (the fourth is left as it is, for speed). */
@inline export function setWasmFrame(fr: usize, inst: u32, retPc: u32, fp: u32): void {
  store<u32>(fr, inst, 0);
  store<u32>(fr, retPc, 4);
  store<u32>(fr, fp, 8);
}
