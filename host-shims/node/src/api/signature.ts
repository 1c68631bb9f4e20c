// Ed25519 signatures over what WRT loads: images, snapshots, snapshot
// containers and .wasm modules (docs/signing.md). A signed file is the
// original bytes, unchanged, followed by an 80-byte trailer:
//
//   +0   u8[64]  Ed25519 signature (RFC 8032, pure Ed25519) of the payload
//                (the bytes before the trailer; they name their own kind:
//                "\0asm", "WRTI", "WRTS", "WRTC")
//   +64  u8[8]   key id: the first 8 bytes of SHA-512(the 32-byte public key)
//   +72  u32le   payload length (= file length - 80)
//   +76  u32le   magic "WRTG"
//
// The interpreter never sees the trailer: the host checks it and passes the
// payload on. node:crypto's built-in Ed25519 signs and verifies here; the C
// host uses Monocypher (host-shims/c/wrt_sign.c), the same format.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { ErrCode, WrtSignatureError } from "./errors.js";

export const SIGNATURE_TRAILER_BYTES = 80;
export const SIGNATURE_MAGIC = 0x47545257; // "WRTG"

/**
 * node:crypto's KeyObject, as far as this API's types say (so that the
 * published .d.ts needs no Node type declarations).
 */
export interface SigningKeyObject {
  readonly type: string;
  readonly asymmetricKeyType?: string | undefined;
}

/** A key as given: a node:crypto KeyObject, PEM text, or bytes (PEM, DER, or the raw 32-byte public key). */
export type SigningKey = SigningKeyObject | string | Uint8Array;

/** An Ed25519 public key (a node:crypto KeyObject) from any of the accepted forms. */
export function publicKeyOf(key: SigningKey): SigningKeyObject {
  return publicKey(key);
}

function publicKey(key: SigningKey): KeyObject {
  let k: KeyObject;
  if (typeof key === "string") k = key.includes("PRIVATE KEY") ? createPublicKey(createPrivateKey(key)) : createPublicKey(key);
  else if (key instanceof Uint8Array) {
    const text = Buffer.from(key).toString("latin1");
    if (key.length === 32) k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, key]), format: "der", type: "spki" });
    else if (text.includes("-----BEGIN")) return publicKey(text);
    else k = createPublicKey({ key: Buffer.from(key), format: "der", type: "spki" });
  } else k = key.type === "private" ? createPublicKey(key as KeyObject) : (key as KeyObject);
  if (k.asymmetricKeyType !== "ed25519") throw new TypeError(`not an Ed25519 key (${k.asymmetricKeyType})`);
  return k;
}

function privateKeyOf(key: SigningKey): KeyObject {
  const k = typeof key === "string" || key instanceof Uint8Array ? createPrivateKey(typeof key === "string" ? key : Buffer.from(key)) : (key as KeyObject);
  if (k.type !== "private" || k.asymmetricKeyType !== "ed25519") throw new TypeError("signing needs an Ed25519 private key");
  return k;
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo: the raw key follows it. */
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The raw 32 bytes of an Ed25519 public key (what the C host takes: wrt_trust_key). */
export function rawPublicKey(key: SigningKey): Uint8Array {
  const der = publicKey(key).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** Key id: the first 8 bytes of SHA-512 of the raw public key, as 16 hex digits. */
export function keyId(key: SigningKey): string {
  return createHash("sha512").update(rawPublicKey(key)).digest().subarray(0, 8).toString("hex");
}

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public): what `wrt keygen` writes. */
export function generateSigningKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKey: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

/** `payload` with a signature trailer made with `privateKey` (a payload already signed is refused). */
export function signBytes(payload: Uint8Array, privateKey: SigningKey): Uint8Array {
  if (readSignature(payload)) throw new TypeError("the bytes are signed already");
  if (payload.length > 0xffffffff - SIGNATURE_TRAILER_BYTES) throw new RangeError("too large to sign");
  const key = privateKeyOf(privateKey);
  const sig = sign(null, payload, key);
  const out = new Uint8Array(payload.length + SIGNATURE_TRAILER_BYTES);
  out.set(payload);
  out.set(sig, payload.length);
  out.set(Buffer.from(keyId(key), "hex"), payload.length + 64);
  const dv = new DataView(out.buffer, out.byteOffset + payload.length + 72, 8);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, SIGNATURE_MAGIC, true);
  return out;
}

/** The parts of signed bytes, or null if they carry no trailer. */
export function readSignature(bytes: Uint8Array): { payload: Uint8Array; signature: Uint8Array; keyId: string } | null {
  if (bytes.length < SIGNATURE_TRAILER_BYTES) return null;
  const t = bytes.length - SIGNATURE_TRAILER_BYTES;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + t + 72, 8);
  if (dv.getUint32(4, true) !== SIGNATURE_MAGIC || dv.getUint32(0, true) !== t) return null;
  return {
    payload: bytes.subarray(0, t),
    signature: bytes.subarray(t, t + 64),
    keyId: Buffer.from(bytes.subarray(t + 64, t + 72)).toString("hex"),
  };
}

/**
 * Checks `bytes` against `keys` (public keys); returns the payload. Throws
 * WrtSignatureError (code 135) when they carry no signature, when it names
 * none of the keys, or when it does not match the bytes (tampered, or made
 * with another key of the same id). `what` names the input in the message.
 */
export function verifySigned(bytes: Uint8Array, keys: readonly SigningKey[], what = "input"): Uint8Array {
  const s = readSignature(bytes);
  if (!s) throw new WrtSignatureError(`signature required: the ${what} is not signed`, ErrCode.SignatureRefused, -1);
  const at = bytes.length - SIGNATURE_TRAILER_BYTES;
  const candidates = keys.map(publicKey).filter((k) => keyId(k) === s.keyId);
  if (candidates.length === 0) {
    throw new WrtSignatureError(`signature refused: the ${what} is signed by key ${s.keyId}, which is not a trusted key`, ErrCode.SignatureRefused, at + 64);
  }
  if (!candidates.some((k) => verify(null, s.payload, k, s.signature))) {
    throw new WrtSignatureError(`signature refused: the ${what} does not match its signature (key ${s.keyId}): changed after signing`, ErrCode.SignatureRefused, at);
  }
  return s.payload;
}

/** The engine's trusted keys (EngineOptions.requireSignature) as a list, or undefined when none are required. */
export function trustedKeys(opts: { requireSignature?: SigningKey | readonly SigningKey[] | undefined }): readonly SigningKey[] | undefined {
  const r = opts.requireSignature;
  if (r === undefined) return undefined;
  const list = Array.isArray(r) ? (r as readonly SigningKey[]) : [r as SigningKey];
  if (list.length === 0) throw new TypeError("requireSignature needs at least one public key");
  return list;
}

/**
 * What a loader passes to the interpreter: with trusted keys, the verified
 * payload (verifySigned); without, the payload of signed bytes (the
 * signature is not checked: nothing is required) or the bytes as they are.
 */
export function acceptSigned(bytes: Uint8Array, keys: readonly SigningKey[] | undefined, what: string): Uint8Array {
  if (keys && keys.length > 0) return verifySigned(bytes, keys, what);
  return readSignature(bytes)?.payload ?? bytes;
}
