// WRT's own component validator (assembly/component/, exported by the full
// build as wrt_component_validate), run in V8 from the host.

import { readFileSync } from "node:fs";
import { defaultWasmPath } from "../engines/node.js";
import { Wasm, type WasmMemory } from "../binding/wasm-types.js";

/** A custom section of a valid component: its name and payload byte range. */
export interface ComponentCustom { name: string; start: number; end: number }

/** The validator's verdict: ok (with the top-level custom sections), or the error code, byte offset and text. */
export interface ComponentVerdict {
  ok: boolean;
  code: number;
  offset: number;
  message: string;
  customs?: ComponentCustom[];
}

interface ValidatorExports {
  memory: WasmMemory;
  wrt_io(size: number): number;
  wrt_error_code(): number;
  wrt_error_offset(): number;
  wrt_error_text(): number;
  wrt_component_validate(len: number): number;
  wrt_collect(): void;
  wrt_component_customs(): number;
}

/** Error codes of assembly/errors.ts for components. */
export const COMPONENT_MALFORMED = 140;
export const COMPONENT_INVALID = 141;
export const COMPONENT_UNSUPPORTED = 142;

/** One interpreter instance per process for validation (it keeps no state between calls). */
export class ComponentValidator {
  private x: ValidatorExports;

  constructor(wasmPath = process.env.WRT_COMPONENT_WASM ?? defaultWasmPath()) {
    const mod = new Wasm.Module(readFileSync(wasmPath));
    const inst = new Wasm.Instance(mod, {
      wrt: {
        log: () => {},
        abort: () => { throw new Error("wrt.wasm aborted"); },
      },
    });
    this.x = inst.exports as unknown as ValidatorExports;
    if (typeof this.x.wrt_component_validate !== "function") {
      throw new Error(`${wasmPath} has no wrt_component_validate (the device build has no component validator)`);
    }
  }

  private customs(): ComponentCustom[] {
    const len = this.x.wrt_component_customs();
    const p = this.x.wrt_io(0);
    const view = new DataView(this.x.memory.buffer, p, len);
    const out: ComponentCustom[] = [];
    let q = 4;
    for (let i = 0, n = view.getUint32(0, true); i < n; i++) {
      const start = view.getUint32(q, true), end = view.getUint32(q + 4, true), nameLen = view.getUint32(q + 8, true);
      const name = new TextDecoder().decode(new Uint8Array(this.x.memory.buffer, p + q + 12, nameLen));
      out.push({ name, start, end });
      q += 12 + nameLen;
    }
    return out;
  }

  validate(bytes: Uint8Array): ComponentVerdict {
    const p = this.x.wrt_io(bytes.length);
    if (p === 0) return { ok: false, code: 104, offset: -1, message: "component larger than the I/O buffer may be" };
    new Uint8Array(this.x.memory.buffer, p, bytes.length).set(bytes);
    const status = this.x.wrt_component_validate(bytes.length);
    const customs = status === 0 ? this.customs() : undefined;
    // --runtime minimal: garbage is freed only when the host asks, between calls
    this.x.wrt_collect();
    if (status === 0) return { ok: true, code: 0, offset: -1, message: "", customs };
    const code = this.x.wrt_error_code();
    const offset = this.x.wrt_error_offset();
    const len = this.x.wrt_error_text();
    const q = this.x.wrt_io(0);
    const message = new TextDecoder().decode(new Uint8Array(this.x.memory.buffer, q, len));
    return { ok: false, code, offset, message };
  }
}
