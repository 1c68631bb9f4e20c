// A config whose only entry is a spec with deliberately wrong assertions.
// Run by tests/as/prove-failing/prove-failing.test.mjs (part of `npm test`),
// which asserts that as-pect exits non-zero and names the failed assertion.
export default {
  entries: ["tests/as/prove-failing/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
