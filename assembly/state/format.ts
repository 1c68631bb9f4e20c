// Snapshot format constants (docs/snapshot-format.md is the specification).

/** "WRTS" read as a little-endian u32. */
export const SNAP_MAGIC: u32 = 0x53545257;
export const SNAP_VERSION: u32 = 1;

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
