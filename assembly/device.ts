// Entry point of build/wrt-device.wasm: the embedding ABI of build/wrt.wasm
// (api.ts) except that modules arrive as precompiled images
// (docs/image-format.md), so no validator or compiler is linked in.
import { machine } from "./exec/machine";
import "./abort";

export * from "./api";
export * from "./api-load-image";

machine.reset();
