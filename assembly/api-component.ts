// Component Model ABI exports (full build only; docs/component-model.md).
//   wrt_component_validate(len): 0 when the `len` bytes in the I/O buffer are a
//   valid component, else -1 with the error in wrt_error_code/offset/text.

import { Err, lastError } from "./errors";
import { io, ioCap, apiError } from "./api-io";
import { validateComponent } from "./component/validate";

export function wrt_component_validate(len: i32): i32 {
  lastError.clear();
  if (len < 0 || <u32>len > ioCap) return apiError(Err.BadArgument, "length exceeds the I/O buffer");
  // validate a copy: the I/O buffer is reused by error texts
  let bytes = new ArrayBuffer(len);
  memory.copy(changetype<usize>(bytes), io, len);
  return validateComponent(changetype<usize>(bytes), <u32>len) ? 0 : -1;
}
