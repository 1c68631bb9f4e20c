// Loading modules, device build (assembly/device.ts): images only. The
// decoder stays (it reads the module part of an image); the validator and
// the compiler are not in this build.

import { Err, lastError } from "./errors";
import { io, ioCap, apiError } from "./api-io";
import { loadImage } from "./image/load";

export function wrt_module_load(len: i32): i32 {
  lastError.clear();
  if (len < 0 || <u32>len > ioCap) return apiError(Err.BadArgument, "length exceeds the I/O buffer");
  return loadImage(io, <u32>len);
}
