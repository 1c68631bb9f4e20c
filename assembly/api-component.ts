// Component Model ABI exports (full build only; docs/component-model.md).
//   wrt_component_validate(len): 0 when the `len` bytes in the I/O buffer are a
//   valid component, else -1 with the error in wrt_error_code/offset/text.
//   wrt_component_customs(): the custom sections of the last valid component,
//   written into the I/O buffer; returns the byte length (layout below).

import { Err, lastError } from "./errors";
import { io, ioCap, apiError, wrt_io } from "./api-io";
import { validateComponent, lastComponent } from "./component/validate";
import { heapHasRoom } from "./runtime/heap-room";

export function wrt_component_validate(len: i32): i32 {
  lastError.clear();
  if (len < 0 || <u32>len > ioCap) return apiError(Err.BadArgument, "length exceeds the I/O buffer");
  // validate a copy: the I/O buffer is reused by error texts
  if (!heapHasRoom(<u64>len)) return apiError(Err.OutOfMemory, "no room for a copy of the component in the interpreter's memory");
  let bytes = new ArrayBuffer(len);
  memory.copy(changetype<usize>(bytes), io, len);
  return validateComponent(changetype<usize>(bytes), <u32>len) ? 0 : -1;
}

/**
 * Custom sections (name, payload range) of the last component that
 * validated, in the I/O buffer:
 *
 *   count:u32 | { start:u32 end:u32 nameLen:u32 name[nameLen] }*     (little-endian)
 *
 * start/end are byte offsets of the payload (after the name) in the component.
 */
export function wrt_component_customs(): i32 {
  let list = lastComponent.customs;
  let size: u32 = 4;
  for (let i = 0; i < list.length; i++) size += 12 + <u32>String.UTF8.byteLength(list[i].name);
  if (size > <u32>i32.MAX_VALUE) return apiError(Err.LimitExceeded, "too many custom sections");
  let p = wrt_io(<i32>size);
  if (p == 0) return apiError(Err.LimitExceeded, "custom section list larger than the I/O buffer may be");
  store<u32>(p, list.length);
  let q = p + 4;
  for (let i = 0; i < list.length; i++) {
    let c = list[i];
    let n = String.UTF8.byteLength(c.name);
    store<u32>(q, c.start); store<u32>(q, c.end, 4); store<u32>(q, n, 8);
    String.UTF8.encodeUnsafe(changetype<usize>(c.name), c.name.length, q + 12);
    q += 12 + n;
  }
  return <i32>size;
}
