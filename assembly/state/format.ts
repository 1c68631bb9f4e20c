// Snapshot format constants (docs/snapshot-format.md is the specification).

import { SIMD_BUILT } from "../build-features";

/** "WRTS" read as a little-endian u32. */
export const SNAP_MAGIC: u32 = 0x53545257;
/** Changes only with the framing rules (docs/snapshot-format.md, "Extending the format"). */
export const SNAP_VERSION: u32 = 2;

// Section tags, four ASCII letters read as little-endian u32.
export const TAG_MODS: u32 = 0x53444F4D; // "MODS"
export const TAG_FUNC: u32 = 0x434E5546; // "FUNC"
export const TAG_TABL: u32 = 0x4C424154; // "TABL"
export const TAG_MEMS: u32 = 0x534D454D; // "MEMS"
export const TAG_GLOB: u32 = 0x424F4C47; // "GLOB"
export const TAG_INST: u32 = 0x54534E49; // "INST"
export const TAG_MACH: u32 = 0x4843414D; // "MACH"
export const TAG_STAK: u32 = 0x4B415453; // "STAK"

export const HEADER_BYTES: u32 = 24;
export const PAGE_BYTES: u32 = 65536;

/** Header offset of the feature bit set. */
export const FEATURES_AT: u32 = 20;
/** Feature bit 0: v128 values (GLOB entries of type 0x7B carry 16 value bytes). */
export const FEATURE_SIMD: u32 = 1;
/** Feature bits this reader implements: simd in builds with SIMD (build-features.ts). */
export const FEATURES_SUPPORTED: u32 = SIMD_BUILT ? FEATURE_SIMD : 0;

/** The name of feature bit `bit` (docs/snapshot-format.md), or "" if none is defined. */
export function featureName(bit: u32): string {
  switch (bit) {
    case 0: return "simd";
    case 1: return "exceptions";
    case 2: return "multi-memory";
    case 3: return "memory64";
    case 4: return "threads";
    case 5: return "components";
    case 6: return "bulk-progress";
  }
  return "";
}

/** Is this tag ancillary (first letter lower-case: never state, skipped if unknown)? */
@inline export function isAncillary(tag: u32): bool {
  let c = tag & 0xFF;
  return c >= 0x61 && c <= 0x7A;
}

/** Is this one of the critical tags of version 2? */
export function isKnownTag(tag: u32): bool {
  return tag == TAG_MODS || tag == TAG_FUNC || tag == TAG_TABL || tag == TAG_MEMS
    || tag == TAG_GLOB || tag == TAG_INST || tag == TAG_MACH || tag == TAG_STAK;
}
