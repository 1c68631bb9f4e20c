// Where the spec test suites are: $WRT_TESTSUITE (relative to the project
// root) or ../shared/testsuite beside the project. The one place tests,
// scripts and fuzzers find them, so the override reaches every one (no
// imports: scripts/test.mjs reads it before anything is built).
import path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The suites' folder, or `sub` in it (core, simd, component-model/validation, ...). */
export function testsuiteDir(sub = "") {
  const base = process.env.WRT_TESTSUITE ? path.resolve(projectRoot, process.env.WRT_TESTSUITE) : path.resolve(projectRoot, "../shared/testsuite");
  return path.join(base, sub);
}
