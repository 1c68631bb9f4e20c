// Immediates of the extension proposals' ops, read by their kinds from the
// generated tables (binary/ext-ops.ts, from scripts/isa/<proposal>.mjs;
// docs/internal-code.md "Ops past 256"). The decoder reads them to check what
// makes them malformed; the compiler reads them again (trusting them) into the
// IR words the op carries. The validator checks their values (valid/code.ts).

import { Reader } from "./reader";
import { Err } from "../errors";
import { ExtImm, extImmCount, extImmKind } from "./ext-ops";

@inline function put(out: Array<u32> | null, v: u32): void {
  if (out) out.push(v);
}

/**
 * Reads op x's immediates at r.pos, failing `r` on a malformed one (memarg
 * flags, a reserved byte that is not zero); appends their IR words to `out`
 * when given: a memarg gives its offset, 16-byte immediates four words, i64
 * and f64 two (low first), a reserved byte none, the others one.
 */
export function readExtImmediates(r: Reader, x: i32, out: Array<u32> | null): void {
  let n = extImmCount(x);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    switch (extImmKind(x, i)) {
      case ExtImm.Memarg: {
        let at = r.pos;
        let align = r.u32leb();
        if (!r.failed && align >= 32) { r.fail(Err.MalformedMemopFlags, at); return; }
        put(out, r.u32leb());
        break;
      }
      case ExtImm.Lane: put(out, r.u8()); break;
      case ExtImm.Lanes16: case ExtImm.V128: for (let k = 0; k < 4; k++) put(out, r.u32le()); break;
      case ExtImm.I32: put(out, <u32>r.s32leb()); break;
      case ExtImm.F32: put(out, r.u32le()); break;
      case ExtImm.I64: { let v = <u64>r.s64leb(); put(out, <u32>v); put(out, <u32>(v >>> 32)); break; }
      case ExtImm.F64: { let v = r.u64le(); put(out, <u32>v); put(out, <u32>(v >>> 32)); break; }
      case ExtImm.Zero: {
        let at = r.pos;
        let b = r.u8();
        if (!r.failed && b != 0) r.fail(Err.ZeroByteExpected, at);
        break;
      }
      default: put(out, r.u32leb()); // an index (func, table, memory, global, data, elem)
    }
  }
}
