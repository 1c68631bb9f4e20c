// Loading an image into the store (both builds).

import { readImage, linkImageCode } from "./read";
import { internModuleTypes, addModule } from "../runtime/modules";

/** The new module's handle, or -1 with lastError set. */
export function loadImage(p: usize, len: u32): i32 {
  let cm = readImage(p, len);
  if (!cm) return -1;
  internModuleTypes(cm);
  if (!linkImageCode(cm)) return -1;
  return addModule(cm);
}
