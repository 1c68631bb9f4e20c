// What this build of the interpreter has compiled in. The full build
// (index.ts) has everything. The device build (device.ts) leaves SIMD and
// relaxed SIMD out, to keep its core under the 64 KiB budget, unless it is
// built from device-simd.ts (`node scripts/build-wasm.mjs --device-features
// simd`; docs/footprint.md has the figure). Without them a module or
// snapshot using v128 is refused with an error naming SIMD.

/** v128 values and the 0xFD ops (SIMD and relaxed SIMD) are in this build. */
export const SIMD_BUILT: bool = !isDefined(WRT_DEVICE) || isDefined(WRT_DEVICE_SIMD);

/** The dispatch loop checks, after some ops, whether the next op is their
 *  usual successor and if so runs straight into it (exec/interp.ts,
 *  docs/internal-code.md "Falling into the usual successor"): a direct,
 *  well-predicted branch instead of V8's one shared indirect jump. Only in
 *  build/wrt.wasm, which Node runs: gcc threads the C build's dispatch
 *  (c-build.ts), and the device build (asc -O0) is sized for flash. */
export const FALL_INTO_NEXT: bool = ASC_OPTIMIZE_LEVEL > 0 && !isDefined(WRT_C_BUILD);
