// The semantics of the SIMD and relaxed SIMD ops (scripts/isa/simd.mjs and
// simd-relaxed.mjs name these functions; the generated exec/ext-ops.ts calls
// them). One file per concern; v128.ts has the value layout.

export * from "./memory";
export * from "./lanes";
export * from "./bitwise";
export * from "./int";
export * from "./float";
export * from "./convert";
export * from "./relaxed";
export * from "./globals";
