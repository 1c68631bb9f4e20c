// Precompiled module image, version 1 (docs/image-format.md).
//
// A module compiled on a host, shipped to a device whose build carries no
// validator and no compiler (assembly/device.ts). Little-endian:
//
//   +0  u32 magic        "WRTI"
//   +4  u32 version      1
//   +8  u32 irVersion    compile/ir.ts IR_VERSION
//   +12 u32 costHash     CRC-32 of the fuel cost table the code was compiled against
//   +16 u32 flags        bit 0: compiled with fuel metering
//   +20 u32 totalLength  bytes of the whole image, checksum included
//   +24 u64 moduleHash   FNV-1a 64 of the module bytes (snapshots name modules by it)
//   +32 u32 moduleLen, the module bytes, zero padding to a multiple of 4
//       u32 n, n LEB128 words   internal code       (CompiledModule.code)
//       u32 n, n LEB128 words   function table      (CompiledModule.funcInfo)
//       u32 n, n LEB128 words   fuel side table     (CompiledModule.side)
//       u32 crc32               of every byte before it
// (LEB128: unsigned, 7 bits per byte, low first, at most 5 bytes per word.)

export const IMAGE_MAGIC: u32 = 0x49545257; // "WRTI"
export const IMAGE_VERSION: u32 = 2;
export const IMAGE_HEADER_BYTES: u32 = 32;
export const IMAGE_FLAG_METERED: u32 = 1;

/** The smallest image: header, empty module and three empty arrays (their counts), checksum. */
export const IMAGE_MIN_BYTES: u32 = IMAGE_HEADER_BYTES + 4 * 4 + 4;
