// wrt resume: continue a call saved by `wrt run --fuel N --snapshot-out s.bin`.

import { CONTAINER_SPECTEST, readContainer } from "../../api/container.js";
import { Engine } from "../../api/engine.js";
import { WrtSignatureError, WrtSnapshotError, WrtTrap } from "../../api/errors.js";
import type { Suspended } from "../../api/run.js";
import type { ValType } from "../../api/values.js";
import { link, type HostSetup } from "../link.js";
import { ensureNativeEngine } from "../native-build.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, FileError, UsageError } from "../exit-codes.js";
import { err, out, Progress, readInputFile } from "../io.js";
import { describeCodedError } from "../program.js";
import { continueCall } from "./call-loop.js";
import { verifySigned, readSignature } from "../../api/signature.js";
import { ALLOW_IMAGES_OPTION, REQUIRE_SIGNATURE_OPTION, requiredKeys, ENGINE_OPTION, formatResult, FUEL_OPTION, loadModule, RESULTS_OPTION, type ResultStyle } from "./common.js";
import { writeSnapshotFile } from "./run.js";

export const resumeCommand: CommandSpec = {
  name: "resume",
  summary: "continue a call saved with `wrt run --fuel N --snapshot-out FILE`",
  description: [
    "Loads the modules saved in the snapshot file, restores the interpreter state",
    "(on either engine: a snapshot moves between them) and continues the call",
    "exactly where it stopped, printing its results as `wrt run` does.",
  ].join(" "),
  arguments: [{ name: "snapshot", description: "the file written by --snapshot-out" }],
  options: [
    FUEL_OPTION,
    { flags: "--snapshot-out <file>", description: "with --fuel: when the fuel runs out again, save the state there" },
    ENGINE_OPTION,
    ALLOW_IMAGES_OPTION,
    REQUIRE_SIGNATURE_OPTION,
    RESULTS_OPTION,
  ],
  exitCodes: [Exit.ok, Exit.failure, Exit.outOfFuel, Exit.internal, Exit.usage],
  examples: ["wrt resume s.bin                  # continues: i32:75025", "wrt resume s.bin --engine native"],
  action: resumeAction,
};

function resumeAction({ args, opts }: CommandInput): number {
  const file = args["snapshot"] as string;
  const fuel = opts["fuel"] as bigint | undefined;
  const snapshotOut = opts["snapshotOut"] as string | undefined;
  if (snapshotOut !== undefined && fuel === undefined) throw new UsageError("--snapshot-out needs --fuel");
  if (opts["engine"] === "native") ensureNativeEngine();
  let bytes = readInputFile(file, "snapshot");
  // --require-signature: the snapshot file as a whole is signed (`wrt sign`); it vouches for the modules in it
  const keys = requiredKeys(opts);
  if (keys) {
    try {
      bytes = verifySigned(bytes, keys, "snapshot file");
    } catch (e) {
      if (e instanceof WrtSignatureError) throw new FileError(`${file}: ${e.message}`);
      throw e;
    }
  } else bytes = readSignature(bytes)?.payload ?? bytes;
  let c;
  try {
    c = readContainer(bytes);
  } catch (e) {
    if (e instanceof WrtSnapshotError) throw new FileError(`${file}: not a snapshot file of \`wrt run --snapshot-out\`: ${describeCodedError(e)}`);
    throw e;
  }
  const engine = new Engine({ engine: opts["engine"] as "node" | "native", allowImages: opts["allowImages"] === true });
  const modules = c.modules.map((m, i) => loadModule(engine, m, `${file} (module ${i})`));
  // The same host functions as the run that saved it, in the same order: they re-bind by id.
  const setup: HostSetup = (c.host as HostSetup | null) ?? { spectest: (c.flags & CONTAINER_SPECTEST) !== 0 };
  const progress = new Progress();
  const linked = modules.length > 0 ? link(engine, modules[0]!, setup, progress) : null;
  let state;
  try {
    state = engine.restore(c.snapshot, { raw: true });
  } catch (e) {
    if (e instanceof WrtSnapshotError) throw new FileError(`${file}: snapshot refused: ${describeCodedError(e)}`);
    throw e;
  }
  if (state.call === null || state.callType === null) {
    err(`wrt: ${file}: the snapshot holds no call in progress`);
    return Exit.ok;
  }
  const types = state.callType.results;
  for (const inst of state.instances) if (inst) linked?.bind(inst);
  try {
    return continueRestored(engine, state.call, types, c.modules, setup, opts, progress);
  } catch (e) {
    if (e instanceof WrtTrap && linked?.wasi?.exitCode != null) return linked.wasi.exitCode; // proc_exit
    throw e;
  } finally {
    linked?.wasi?.close();
  }
}

function continueRestored(engine: Engine, pending: Suspended<unknown>, types: readonly ValType[], modules: Uint8Array[], setup: HostSetup, opts: Record<string, unknown>, progress: Progress): number {
  const fuel = opts["fuel"] as bigint | undefined;
  const snapshotOut = opts["snapshotOut"] as string | undefined;
  // the restored call is pending in the interpreter: hand it back to the loop
  if (pending.atHostCall) {
    const first = pending.resume(0n);
    if (first.done) {
      first.results.forEach((b, i) => out(formatResult(types[i]!, b as bigint, opts["results"] as ResultStyle)));
      return Exit.ok;
    }
  }
  engine.suspended = null; // continueCall drives the call itself
  const r = continueCall(engine, types, fuel ?? null, progress, "resuming");
  if (!r.done) {
    if (snapshotOut !== undefined) writeSnapshotFile(snapshotOut, engine.snapshot(), modules, setup);
    r.suspended.abandon();
    out("out of fuel");
    return Exit.outOfFuel;
  }
  r.results.forEach((b, i) => out(formatResult(types[i]!, b, opts["results"] as ResultStyle)));
  return Exit.ok;
}
