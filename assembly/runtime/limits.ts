import { logConfig, logRing } from "../wasi/logging";
import { SIMD_BUILT } from "../build-features";

// Limits the embedder sets (wrt_config). Checked where things are created
// or grow, so a guest meets a clean failure (memory.grow = -1, a trap, or a
// load error) long before the interpreter's own heap runs out.

export class Limits {
  valueStackBytes: u32 = 1 << 20;
  callFrames: u32 = 32768;
  maxPagesPerMemory: u32 = 16384;      // 1 GiB
  maxPagesTotal: u32 = 32768;          // 2 GiB over all memories
  maxTableElems: u32 = 10000000;
  maxInstances: u32 = 10000;
  maxModuleBytes: u32 = 64 << 20;
  /** Compile Fuel ops into modules loaded from now on (off: no metering, no fuel halts). */
  fuelMetering: bool = true;
  /**
   * Pages the interpreter's own linear memory can reach (the host's ceiling:
   * the arena on a board, which host-shims/c/wrt.c passes in at open). Guest
   * memory.grow and table.grow that could not be served below it fail cleanly
   * (runtime/heap-room.ts) instead of trapping inside the allocator.
   */
  hostMemoryPages: u32 = 65536;
  /** Full build: load precompiled images too (docs/image-format.md, "Trust"); the device build loads nothing else. */
  allowImages: bool = false;
  /**
   * Bytes the interpreter's own memory may grow by while one module loads
   * (decode, validate, compile); 0: no budget. A load past it is refused
   * (LimitExceeded) and the module is not added (runtime/load-budget.ts).
   */
  loadBudgetBytes: u32 = 0;
  /** Accept SIMD (0xFD ops, v128) in modules loaded from now on; off: refused as "feature disabled" (docs/embedding-api.md). */
  simd: bool = true;
  /** Accept relaxed SIMD too (needs simd). */
  relaxedSimd: bool = true;
}

export const limits = new Limits();

export const enum ConfigKey {
  ValueStackBytes = 1,
  CallFrames = 2,
  MaxPagesPerMemory = 3,
  MaxPagesTotal = 4,
  MaxTableElems = 5,
  MaxInstances = 6,
  MaxModuleBytes = 7,
  FuelMetering = 8,
  LogMinLevel = 9,
  LogBackend = 10,
  LogRingBytes = 11,
  LogMaxRecordBytes = 12,
  HostMemoryPages = 13,
  AllowImages = 14,
  LoadBudgetBytes = 15,
  Simd = 17,
  RelaxedSimd = 18,
}

/** SIMD switches (builds with SIMD only: a device build without it refuses the keys). */
function configureSimd(key: i32, v: u32): bool {
  if (v > 1) return false;
  if (key == ConfigKey.Simd) limits.simd = v == 1; else limits.relaxedSimd = v == 1;
  return true;
}

export const MAX_VALUE_STACK_BYTES: u32 = 1 << 30;
export const MAX_CALL_FRAMES: u32 = 1 << 26;

/** Apply one setting; false if the key is unknown or the value out of range. */
export function configure(key: i32, value: i64): bool {
  if (value < 0 || value > 0xFFFFFFFF) return false;
  let v = <u32>value;
  if (SIMD_BUILT && (key == ConfigKey.Simd || key == ConfigKey.RelaxedSimd)) return configureSimd(key, v);
  switch (key) {
    // at most 1 GiB of either stack (TLSF's largest block; frames x 16 bytes stays in 32 bits)
    case ConfigKey.ValueStackBytes: if (v < 1024 || v > MAX_VALUE_STACK_BYTES) return false; limits.valueStackBytes = v & ~7; return true;
    case ConfigKey.CallFrames: if (v < 4 || v > MAX_CALL_FRAMES) return false; limits.callFrames = v; return true;
    case ConfigKey.MaxPagesPerMemory: if (v > 65536) return false; limits.maxPagesPerMemory = v; return true;
    case ConfigKey.MaxPagesTotal: limits.maxPagesTotal = v; return true;
    case ConfigKey.MaxTableElems: limits.maxTableElems = v; return true;
    case ConfigKey.MaxInstances: limits.maxInstances = v; return true;
    case ConfigKey.MaxModuleBytes: limits.maxModuleBytes = v; return true;
    case ConfigKey.FuelMetering: if (v > 1) return false; limits.fuelMetering = v == 1; return true;
    case ConfigKey.LogMinLevel: if (v > 6) return false; logConfig.minLevel = v; return true;
    case ConfigKey.LogBackend: if (v > 1) return false; logConfig.backend = v; return true;
    case ConfigKey.LogRingBytes: if (v > (64 << 20)) return false; logRing.resize(v); return true;
    case ConfigKey.HostMemoryPages: if (v == 0 || v > 65536) return false; limits.hostMemoryPages = v; return true;
    case ConfigKey.AllowImages: if (v > 1) return false; limits.allowImages = v == 1; return true;
    case ConfigKey.LoadBudgetBytes: limits.loadBudgetBytes = v; return true;
    case ConfigKey.LogMaxRecordBytes: if (v == 0 || v > (16 << 20)) return false; logConfig.maxRecordBytes = v; return true;
  }
  return false;
}
