// bench/report.mjs: the pure helpers of `npm run bench`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { barChartSvg, cachegrindIr, div, geomean, mdTable, median, pct, peerResult, workUnits } from "../../bench/report.mjs";

test("median, geometric mean, ratios", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
  assert.ok(Math.abs(geomean([2, 8, null]) - 4) < 1e-12);
  assert.equal(geomean([null]), null);
  assert.equal(div(6, 3), 2);
  assert.equal(div(null, 3), null);
  assert.equal(pct(0.125), "+12.5%");
});

test("work units: fib counts calls, the others are linear", () => {
  assert.equal(workUnits("fib", 1), 1);
  assert.equal(workUnits("fib", 5), 15); // fib(5) makes 15 calls
  assert.equal(workUnits("sieve", 7), 7);
});

test("markdown table and chart", () => {
  assert.equal(mdTable(["a", "b"], [["1", "2"]]), "| a | b |\n|---|---:|\n| 1 | 2 |");
  const svg = barChartSvg({
    title: "t <&>", subtitle: "s", kernels: ["k1", "k2"],
    series: [{ label: "A", color: "#000", values: { k1: 3, k2: null } }],
  });
  assert.match(svg, /^<svg [^>]*>/);
  assert.match(svg, /<\/svg>\n$/);
  assert.match(svg, /t &lt;&amp;&gt;/);
  assert.match(svg, /A: not run/);
  assert.equal((svg.match(/<rect /g) ?? []).length, 3); // background, legend, one bar
});

test("peers' printed results and cachegrind's count", () => {
  assert.equal(peerResult("Result: 6765\n"), "6765");
  assert.equal(peerResult("0xffffffd6:i32\n"), "-42"); // iwasm prints the bits in hex
  assert.equal(peerResult("0xbfbe954c2a38d198:i64\n", "i64"), "-4630099212531871336");
  assert.equal(peerResult("i32:-42\n"), "-42");
  assert.equal(peerResult("Result: 4294967295\n"), "-1"); // wasm3 prints u32 for i32 results in some builds
  assert.equal(peerResult("nothing here"), null);
  assert.equal(cachegrindIr("==1== \n==1== I   refs:      1,234,567\n"), 1234567);
  assert.equal(cachegrindIr("no summary"), null);
});
