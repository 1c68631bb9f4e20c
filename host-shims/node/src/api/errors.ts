// Typed errors of the Node embedding API.
//
// The interpreter reports guest problems as status values (docs/embedding-api.md):
// an `Err` code (assembly/errors.ts) plus byte offset and text for rejected
// inputs, a trap code plus text, function and pc for traps. These classes turn
// them into exceptions a JS caller can tell apart with `instanceof`.

import { ERR_CODES, TRAP_CODES } from "./codes.js";

/** Error code ranges of `Err` in assembly/errors.ts. */
export const ErrRange = {
  /** 1..39: the binary format is malformed. */
  decodeMax: 39,
  /** 40..79: the module decodes but does not validate. */
  validationMax: 79,
  /** 80..99: linking / instantiation. */
  linkMax: 99,
} as const;

/** `Err` codes of the interpreter (generated from assembly/errors.ts: codes.ts), plus the Node API's own. */
export const ErrCode = {
  ...ERR_CODES,
  /** Node API only (not an interpreter code): a host function of the snapshot has no binding. */
  SnapshotHostUnbound: 190,
} as const;

/** `Err` codes 120..126 (and the Node API's 190): snapshot refused. */
export const SNAPSHOT_CODES = { min: 120, max: 126, hostUnbound: 190 } as const;

/** Trap codes (generated from assembly/exec/trap.ts: codes.ts). */
export const TrapCode = TRAP_CODES;

/** Base class of every error this API throws. */
export class WrtError extends Error {
  override name = "WrtError";
}

/** An error the interpreter reported through `wrt_error_*` (code, offset, text). */
export class WrtCodedError extends WrtError {
  override name = "WrtCodedError";
  constructor(
    message: string,
    /** `Err` code from assembly/errors.ts. */
    readonly code: number,
    /** Byte offset in the module, or -1. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The module bytes are malformed (binary format). */
export class WrtDecodeError extends WrtCodedError {
  override name = "WrtDecodeError";
}

/** The module decodes but is invalid (typing rules). */
export class WrtValidationError extends WrtCodedError {
  override name = "WrtValidationError";
}

/** Imports could not be resolved or do not match (`unknown import`, `incompatible import type`). */
export class WrtLinkError extends WrtCodedError {
  override name = "WrtLinkError";
}

/**
 * Instantiation failed after linking without running guest code: an active
 * data or element segment is out of bounds (the spec treats this like a trap).
 */
export class WrtInstantiationError extends WrtCodedError {
  override name = "WrtInstantiationError";
}

/** An embedder limit or bad use of the API (limit exceeded, bad state, bad handle, ...). */
export class WrtApiError extends WrtCodedError {
  override name = "WrtApiError";
}

/**
 * A snapshot could not be taken (code 126, SnapshotState) or was refused at
 * restore: not a snapshot (120), another format or internal-code version or
 * fuel cost table (121), checksum (122), a module that is not loaded (123),
 * inconsistent contents (124), a configured limit (125), or (Node API, 190)
 * a host function without a binding. `offset` is the byte offset in the
 * snapshot where the problem was found, or -1. A refused restore leaves the
 * interpreter as it was.
 */
export class WrtSnapshotError extends WrtCodedError {
  override name = "WrtSnapshotError";
}

/**
 * A precompiled image was refused (docs/image-format.md): not an image, or
 * a .wasm given to the device build (130); compiled for another
 * internal-code version, fuel cost table or fuel-metering setting (131);
 * checksum (132); inconsistent contents, the verifier's findings (133);
 * an image given to a full build without `allowImages` (134). `offset` is
 * the byte offset in the image.
 */
export class WrtImageError extends WrtCodedError {
  override name = "WrtImageError";
}

/**
 * A signature was required and is missing, names a key that is not trusted,
 * or does not match the bytes (code 135, docs/signing.md). `offset` is the
 * byte offset of the signature trailer's part at fault, or -1.
 */
export class WrtSignatureError extends WrtCodedError {
  override name = "WrtSignatureError";
}

/** A guest trap. */
export class WrtTrap extends WrtError {
  override name = "WrtTrap";
  constructor(
    message: string,
    /** Trap code (assembly/exec/trap.ts). */
    readonly code: number,
    /** Function index (in its module) of the trapping instruction, or -1. */
    readonly func: number,
    /** Byte offset in the module of the trapping instruction, or -1. */
    readonly pc: number,
  ) {
    super(message);
  }
}

/**
 * The interpreter itself failed (`wrt.abort`, or a Wasm trap inside
 * build/wrt.wasm). Its state is lost: the Engine is dead, create a new one.
 */
export class WrtInternalError extends WrtError {
  override name = "WrtInternalError";
}

/** Classifies an `Err` code from a failed `wrt_module_load`/`wrt_instantiate`/... call. */
export function errorForCode(code: number, offset: number, text: string): WrtCodedError {
  if (code > 0 && code <= ErrRange.decodeMax) return new WrtDecodeError(text, code, offset);
  if (code > ErrRange.decodeMax && code <= ErrRange.validationMax) return new WrtValidationError(text, code, offset);
  if (code === ErrCode.UnknownImport || code === ErrCode.IncompatibleImportType) return new WrtLinkError(text, code, offset);
  if (code > ErrRange.validationMax && code <= ErrRange.linkMax) return new WrtInstantiationError(text, code, offset);
  if ((code >= SNAPSHOT_CODES.min && code <= SNAPSHOT_CODES.max) || code === SNAPSHOT_CODES.hostUnbound) {
    return new WrtSnapshotError(text, code, offset);
  }
  if (code >= ErrCode.ImageMagic && code <= ErrCode.ImageNotAllowed) return new WrtImageError(text, code, offset);
  if (code === ErrCode.SignatureRefused) return new WrtSignatureError(text, code, offset);
  return new WrtApiError(text, code, offset);
}
