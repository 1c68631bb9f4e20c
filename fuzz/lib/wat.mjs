// WAT text -> module bytes with the npm wabt (bulk memory, reference types
// and multi-value on; SIMD is on by default). Shared by the fuzzers' guests
// and the host-side tests (tests/node/support.mjs re-exports it).
import wabtInit from "wabt";

const wabt = await wabtInit();

/** `check: false` skips validation, to build invalid modules; `features` adds wabt features (e.g. relaxed_simd). */
export function wat(src, { name = "guest.wat", check = true, features = {} } = {}) {
  const m = wabt.parseWat(name, src, { bulk_memory: true, reference_types: true, multi_value: true, ...features });
  try {
    m.resolveNames();
    if (check) m.validate();
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}
