// Fuzz modes besides the differential one (fuzz/run.mjs `--mode NAME`).
// One line per mode: NAME: () => import("./file.mjs"); the file exports
//   run(opts) -> Promise<{ modules, calls, differences, details? }>
// where opts carries --seconds, --seed, --modules, --verbose and the rest
// (fuzz/run.mjs parseArgs). run.mjs applies the minimums (--min-modules,
// --min-calls), prints the last line `fuzz: N modules, M calls, K differences`
// and sets the exit status. "modules" and "calls" are whatever the mode
// compares (e.g. images and their loads).
export const EXTRA_MODES = {
  images: () => import("./images.mjs"), // verify: structure-aware crafted images (docs/image-format.md, "Trust")
  snapshots: () => import("./snapshots.mjs"), // state (issue 18 part 8): structure-aware snapshots
};
