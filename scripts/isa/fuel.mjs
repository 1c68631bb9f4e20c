// Fuel cost table index ranges (docs/fuel.md, "Cost table indices"): one
// per opcode prefix, plus the per-unit amounts of bulk operations. Ranges
// never overlap and leave room to grow; tests/node/isa.test.mjs checks it.
// A range marked `planned` lies past today's table: the table grows (and its
// CRC, which snapshots and images record, changes) when that proposal lands.

/** Entries in the cost table (assembly/exec/fuel.ts COST_TABLE_SIZE). */
export const COST_TABLE_SIZE = 1024;

export const FUEL_RANGES = [
  { name: "OP", base: 0, size: 256, what: "single-byte opcodes (core, exceptions, tail calls, ...)" },
  { name: "FC", base: 256, size: 128, what: "0xFC sub-opcodes 0..127 (today 0..17)" },
  { name: "BULK", base: 384, size: 64, what: "per-unit amounts of bulk operations (below)" },
  { name: "FD", base: 512, size: 512, what: "0xFD SIMD sub-opcodes 0..511 (up to 0x113 with relaxed SIMD)" },
  { name: "FE", base: 1024, size: 256, what: "0xFE threads sub-opcodes 0..255 (up to 0x4E)", planned: true },
  { name: "FB", base: 1280, size: 256, what: "0xFB GC sub-opcodes 0..255", planned: true },
];

/** The BULK range: what each entry charges per unit, beyond the op's own cost; default cost 1 unless given
 *  (a page is 1,024 chunks of 64 bytes). */
export const BULK_COSTS = [
  { name: "MEMORY_FILL_CHUNK", index: 384, what: "memory.fill, per 64 bytes started" },
  { name: "MEMORY_COPY_CHUNK", index: 385, what: "memory.copy, per 64 bytes started" },
  { name: "MEMORY_INIT_CHUNK", index: 386, what: "memory.init, per 64 bytes started" },
  { name: "TABLE_FILL_ELEM", index: 387, what: "table.fill, per element" },
  { name: "TABLE_COPY_ELEM", index: 388, what: "table.copy, per element" },
  { name: "TABLE_INIT_ELEM", index: 389, what: "table.init, per element" },
  { name: "MEMORY_GROW_PAGE", index: 390, what: "memory.grow, per 64 KiB page added (zeroed)", cost: 1024 },
  { name: "TABLE_GROW_ELEM", index: 391, what: "table.grow, per element added" },
];
