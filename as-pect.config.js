// as-pect configuration: AssemblyScript unit tests under tests/as/.
//
// Deliberately does NOT extend ./wrt.asconfig.json (see as-pect.asconfig.json):
// the interpreter build uses `--runtime minimal` and `--use abort=wrtAbort`,
// which imports `wrt.abort`; as-pect needs its own runtime exports and its
// own `env.abort` so that a failing `expect` is reported as a test failure.
// The units under test (e.g. assembly/binary/reader.ts) never call abort on
// their normal paths, so testing them under as-pect's runtime is faithful.
export default {
  entries: ["tests/as/*.spec.ts"],
  include: ["tests/as/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
