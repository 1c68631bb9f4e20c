// Entry point of build/wrt.wasm: the embedding ABI (api.ts, api-load.ts).
// assembly/device.ts is the device build's entry.
import { machine } from "./exec/machine";
import "./abort"; // the --use abort=... target must be part of the program

export * from "./api";
export * from "./api-load";
export * from "./api-component"; // Component Model (full build only; docs/component-model.md)
// Not ABI: exported so that the extension ops' dispatch is never inlined into the loop (exec/ext.ts says why).
export { extOp as ext_op } from "./exec/ext-ops";

// Stacks are allocated at start-up with the default sizes; wrt_config resizes them.
machine.reset();
