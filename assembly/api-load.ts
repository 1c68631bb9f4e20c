// Loading modules, full build (assembly/index.ts): a .wasm is decoded,
// validated and compiled; an image (docs/image-format.md) is verified and
// loaded, when the embedder allows images (config key AllowImages).
// wrt_image writes a loaded module's image for a device build.

import { Err, lastError } from "./errors";
import { io, ioCap, apiError, wrt_io } from "./api-io";
import { decodeModule } from "./binary/decoder";
import { validateModule } from "./valid/index";
import { CompiledModule } from "./compile/compiled";
import { compileModule } from "./compile/compiler";
import { limits } from "./runtime/limits";
import { loadOverBudget, loadBudgetText } from "./runtime/load-budget";
import { internModuleTypes, addModule, moduleOf } from "./runtime/modules";
import { fnv1a64 } from "./state/hash";
import { heapHasRoom } from "./runtime/heap-room";
import { isImage, readImage, linkImageCode } from "./image/read";
import { ImageParts, writeImage } from "./image/write";

export function wrt_module_load(len: i32): i32 {
  lastError.clear();
  if (len < 0 || <u32>len > ioCap) return apiError(Err.BadArgument, "length exceeds the I/O buffer");
  if (isImage(io, <u32>len)) {
    // an image is code, not a module to validate: only if the embedder says so
    if (!limits.allowImages) return apiError(Err.ImageNotAllowed, "this interpreter loads .wasm modules; set allowImages to load images");
    // as loadImage (image/load.ts), plus what only this build can: validate the image's module
    let cm = readImage(io, <u32>len);
    if (!cm || !validateModule(cm.module)) return -1;
    internModuleTypes(cm);
    if (!linkImageCode(cm)) return -1;
    return addModule(cm);
  }
  if (<u32>len > limits.maxModuleBytes) return apiError(Err.LimitExceeded, "module larger than the configured limit");
  if (!heapHasRoom(<u64>len)) return apiError(Err.OutOfMemory, "no room for a copy of the module in the interpreter's memory");
  let bytes = new ArrayBuffer(len);
  memory.copy(changetype<usize>(bytes), io, len);
  let m = decodeModule(bytes);
  if (!m) return -1;
  if (!validateModule(m)) return -1;
  if (loadOverBudget()) return apiError(Err.LimitExceeded, loadBudgetText() + " in validation");
  let cm = new CompiledModule(m);
  cm.hash = fnv1a64(changetype<usize>(bytes), <usize>len);
  internModuleTypes(cm);
  compileModule(cm);
  if (loadOverBudget()) return apiError(Err.LimitExceeded, loadBudgetText() + " in compilation");
  return addModule(cm);
}

/** Writes the image of module `h` into the I/O buffer; returns its length or -1. */
export function wrt_image(h: i32): i32 {
  lastError.clear();
  let cm = moduleOf(h);
  if (!cm) return apiError(Err.BadHandle, "no such module");
  let parts = new ImageParts(cm);
  let p = wrt_io(<i32>parts.size);
  if (p == 0) return apiError(Err.LimitExceeded, "image larger than the I/O buffer may be");
  return <i32>writeImage(parts, p);
}
