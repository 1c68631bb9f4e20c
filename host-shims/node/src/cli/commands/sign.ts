// wrt sign / wrt keygen: Ed25519 signatures over modules, images and
// snapshot files (docs/signing.md); `--require-signature KEYFILE` on run and
// resume refuses what is not signed by that key.

import { chmodSync } from "node:fs";
import { generateSigningKeys, keyId, readSignature, signBytes } from "../../api/signature.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, FileError, UsageError } from "../exit-codes.js";
import { out, readInputFile, writeOutputFile } from "../io.js";

export const signCommand: CommandSpec = {
  name: "sign",
  summary: "sign a module, image or snapshot file with an Ed25519 private key",
  description: [
    "Appends an Ed25519 signature trailer (docs/signing.md) made with the private key;",
    "`wrt run` / `wrt resume` with --require-signature PUBLIC_KEY, Engine option",
    "requireSignature and the C host's WRT_CFG_REQUIRE_SIGNATURE accept only what such a key signed.",
  ].join(" "),
  arguments: [{ name: "file", description: "the .wasm, .wrti or snapshot file" }],
  options: [
    { flags: "--key <keyfile>", description: "the Ed25519 private key (PEM, PKCS#8: `wrt keygen` writes one) (required)" },
    { flags: "-o, --output <file>", description: "the signed file to write (required)" },
  ],
  exitCodes: [Exit.ok, Exit.failure, Exit.usage],
  examples: ["wrt keygen /tmp/k && wrt sign guest.wrti --key /tmp/k.key -o guest.signed.wrti"],
  action: ({ args, opts }: CommandInput): number => {
    const file = args["file"] as string;
    const keyFile = opts["key"] as string | undefined;
    const outFile = opts["output"] as string | undefined;
    if (keyFile === undefined) throw new UsageError("missing --key <private key file>");
    if (outFile === undefined) throw new UsageError("missing -o <file>");
    const bytes = readInputFile(file, "input");
    const key = Buffer.from(readInputFile(keyFile, "private key", 1 << 16)).toString("latin1");
    if (readSignature(bytes)) throw new FileError(`${file}: already signed`);
    let signed;
    try {
      signed = signBytes(bytes, key);
    } catch (e) {
      throw new FileError(`${keyFile}: not an Ed25519 private key: ${e instanceof Error ? e.message : String(e)}`);
    }
    writeOutputFile(outFile, signed, "signed file");
    out(`${outFile}: ${signed.length} bytes, signed by key ${keyId(key)}`);
    return Exit.ok;
  },
};

export const keygenCommand: CommandSpec = {
  name: "keygen",
  summary: "make an Ed25519 key pair for `wrt sign` (NAME.key private, NAME.pub public)",
  description: "Writes NAME.key (PKCS#8 PEM, readable by you only) and NAME.pub (SPKI PEM) and prints the key id.",
  arguments: [{ name: "name", description: "path prefix of the two files" }],
  options: [],
  exitCodes: [Exit.ok, Exit.failure, Exit.usage],
  examples: ["wrt keygen /tmp/release   # /tmp/release.key, /tmp/release.pub"],
  action: ({ args }: CommandInput): number => {
    const name = args["name"] as string;
    const k = generateSigningKeys();
    writeOutputFile(`${name}.key`, new TextEncoder().encode(k.privateKey), "private key");
    chmodSync(`${name}.key`, 0o600);
    writeOutputFile(`${name}.pub`, new TextEncoder().encode(k.publicKey), "public key");
    out(`${name}.key, ${name}.pub: key id ${keyId(k.publicKey)}`);
    return Exit.ok;
  },
};
