// Entry point of build/wrt-device.wasm: the embedding ABI of build/wrt.wasm
// (api.ts) except that modules arrive as precompiled images
// (docs/image-format.md), so no validator or compiler is linked in.
import { machine } from "./exec/machine";
import "./abort";

/** Defined in this build only: code that the full build needs and a board does not checks isDefined(WRT_DEVICE). */
// @ts-ignore: decorator
@global export const WRT_DEVICE: bool = true;

export * from "./api";
export * from "./api-load-image";

machine.reset();
