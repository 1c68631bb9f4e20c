// Entry point of build/wrt-c.wasm: the full build (index.ts) as wasm2c
// translates it for wrt-native and the board firmware. The same code but for
// the dispatch loop's successor checks (build-features.ts FALL_INTO_NEXT),
// which help V8's single dispatch jump and cost gcc's threaded dispatch.

/** Defined in this build only: build-features.ts FALL_INTO_NEXT checks it. */
// @ts-ignore: decorator
@global export const WRT_C_BUILD: bool = true;

export * from "./index";
