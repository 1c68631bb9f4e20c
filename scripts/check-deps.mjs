// Import structure check (npm run lint:deps; tests/node/layers.test.mjs runs it):
// dependency-cruiser with .dependency-cruiser.cjs over the interpreter
// (assembly/) and the Node host (host-shims/node/src). Fails on any import
// circle or layer break, except the circles named in
// .dependency-cruiser-known.json, and on a named circle that is gone.
//
//   node scripts/check-deps.mjs [--root DIR] [paths...]   (default: assembly host-shims/node/src)

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
let root = repo;
if (args[0] === "--root") {
  root = path.resolve(args[1]);
  args.splice(0, 2);
}
const targets = (args.length ? args : ["assembly", "host-shims/node/src"]).filter((p) => existsSync(path.join(root, p)));
const bin = path.join(repo, "node_modules", ".bin", "depcruise");
if (!existsSync(bin)) {
  console.error("check-deps: dependency-cruiser is not installed: run `npm ci`");
  process.exit(1);
}

let report;
try {
  const json = execFileSync(bin, ["--config", path.join(repo, ".dependency-cruiser.cjs"), "--output-type", "json", ...targets], {
    cwd: root, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"],
  });
  report = JSON.parse(json);
} catch (e) {
  // depcruise exits non-zero when it finds violations; the JSON is still on stdout.
  if (typeof e.stdout === "string" && e.stdout.startsWith("{")) report = JSON.parse(e.stdout);
  else {
    console.error(`check-deps: dependency-cruiser failed: ${String(e.stderr || e.message).trim().split("\n")[0]}`);
    process.exit(1);
  }
}

const knownFile = path.join(root, ".dependency-cruiser-known.json");
const known = existsSync(knownFile) ? JSON.parse(readFileSync(knownFile, "utf8")).circles : [];
const key = (files) => [...new Set(files)].sort().join(" <-> ");
const knownKeys = new Map(known.map((k) => [key(k.files), k]));
const seen = new Set();
const problems = [];
for (const v of report.summary.violations) {
  if (v.rule.name === "no-circular") {
    const k = key([v.from, ...v.cycle.map((c) => c.name)]);
    if (knownKeys.has(k)) {
      seen.add(k);
      continue;
    }
    problems.push(`import circle: ${v.from} -> ${v.cycle.map((c) => c.name).join(" -> ")}`);
  } else {
    problems.push(`${v.rule.name}: ${v.from} imports ${v.to}`);
  }
}
for (const [k, entry] of knownKeys) {
  if (!seen.has(k)) problems.push(`stale entry in .dependency-cruiser-known.json (circle gone, delete it): ${k} (${entry.owner})`);
}
const modules = report.summary.totalCruised;
if (problems.length) {
  for (const p of problems) console.error(`check-deps: ${p}`);
  console.error(`check-deps: ${problems.length} problem(s) in ${modules} modules`);
  process.exit(1);
}
const tolerated = seen.size ? `; ${seen.size} known circle(s) tolerated: ${[...seen].join(", ")}` : "";
console.log(`check-deps: ${modules} modules, no import circle or layer break${tolerated}`);
