// Entry point of build/wrt-device-simd.wasm: the device build (device.ts)
// with SIMD and relaxed SIMD compiled in (build-features.ts, docs/footprint.md).

/** Defined in this build only: build-features.ts SIMD_BUILT and the extension tables' EXT_ON check it. */
// @ts-ignore: decorator
@global export const WRT_DEVICE_SIMD: bool = true;

export * from "./device";
