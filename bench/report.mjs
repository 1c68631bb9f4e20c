// Pure helpers of bench/run.mjs: statistics, number formatting, the
// Markdown tables and the SVG chart. No I/O here.

export const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const geomean = (xs) => {
  const v = xs.filter((x) => x !== null && x > 0 && Number.isFinite(x));
  return v.length ? Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length) : null;
};

/** Milliseconds with 3 significant digits or so; "-" for none. */
export const ms = (x) => (x === null || x === undefined ? "-" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const ratio = (x) => (x === null || x === undefined ? "-" : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`);
export const pct = (x) => (x === null || x === undefined ? "-" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);
/** A count with an SI suffix: 1.23 G, 456 M, 7.8 k. */
export function si(x) {
  if (x === null || x === undefined) return "-";
  for (const [d, s] of [[1e9, " G"], [1e6, " M"], [1e3, " k"]]) {
    if (Math.abs(x) >= d) {
      const v = x / d;
      return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + s;
    }
  }
  return x.toFixed(x >= 10 ? 0 : 1);
}
export const bytes = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** a / b, or null when either is missing. */
export const div = (a, b) => (a === null || b === null || a === undefined || b === undefined || b <= 0 ? null : a / b);

/** Fibonacci number F(k) as a Number (exact far beyond the sizes used here). */
export function fibNumber(k) {
  let a = 0, b = 1;
  for (let i = 0; i < k; i++) [a, b] = [b, a + b];
  return a;
}

/** Work units of run(n) per kernel (linear in n except fib: calls of fib made). */
export function workUnits(name, n) {
  if (name === "fib") return 2 * fibNumber(n + 1) - 1;
  return n;
}

/** A Markdown table from a header row and body rows (cells as strings). */
export function mdTable(header, rows, align) {
  const al = align ?? header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [
    `| ${header.join(" | ")} |`,
    `|${al.join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Grouped horizontal bars, one group per kernel, one bar per engine: time
 * relative to V8 (V8 = 1) on a log scale. `series`: [{ label, color,
 * values: { kernel: ratio|null } }]. Returns the SVG text.
 */
export function barChartSvg({ title, subtitle, kernels, series }) {
  const barH = 11, gap = 2, groupGap = 12, left = 92, right = 70, top = 58, width = 760;
  const all = series.flatMap((s) => kernels.map((k) => s.values[k])).filter((v) => v !== null && v !== undefined && v > 0);
  const maxV = Math.max(10, ...all);
  const decades = Math.ceil(Math.log10(maxV));
  const plotW = width - left - right;
  const x = (v) => left + (Math.log10(Math.max(1, v)) / decades) * plotW;
  const groupH = series.length * (barH + gap) + groupGap;
  const height = top + kernels.length * groupH + 30;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="${left}" y="33" fill="#555">${esc(subtitle)}</text>`);
  // legend
  let lx = left;
  for (const s of series) {
    out.push(`<rect x="${lx}" y="41" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 14}" y="50">${esc(s.label)}</text>`);
    lx += 24 + s.label.length * 6.2;
  }
  // grid: 1, 2, 5, 10, ... relative to V8
  const plotBottom = top + kernels.length * groupH - groupGap + 4;
  for (let d = 0; d <= decades; d++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** d;
      if (v > 10 ** decades) continue;
      const gx = x(v).toFixed(1);
      out.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${plotBottom}" stroke="${m === 1 ? "#bbb" : "#e4e4e4"}"/>`);
      out.push(`<text x="${gx}" y="${plotBottom + 13}" text-anchor="middle" fill="#555">${v}x</text>`);
    }
  }
  kernels.forEach((k, gi) => {
    const gy = top + gi * groupH;
    out.push(`<text x="${left - 6}" y="${gy + (series.length * (barH + gap)) / 2 + 3}" text-anchor="end" font-weight="bold">${esc(k)}</text>`);
    series.forEach((s, si_) => {
      const v = s.values[k];
      const y = gy + si_ * (barH + gap);
      if (v === null || v === undefined) {
        out.push(`<text x="${left + 3}" y="${y + barH - 2}" fill="#999">${esc(s.label)}: not run</text>`);
        return;
      }
      const w = Math.max(1, x(v) - left);
      out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${s.color}"><title>${esc(`${k}, ${s.label}: ${v.toFixed(2)}x V8`)}</title></rect>`);
      out.push(`<text x="${(left + w + 3).toFixed(1)}" y="${y + barH - 2}" fill="#333">${v >= 10 ? v.toFixed(0) : v.toFixed(1)}x</text>`);
    });
  });
  out.push(`<text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle" fill="#555">time relative to V8 running the kernel directly (log scale; shorter is faster)</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/**
 * The first result a peer's command line prints, as a decimal string:
 * wasm3 `Result: -42`, WAMR's iwasm `0xffffffd6:i32` (hex of the bits),
 * wrt `i32:-42`. Null when there is none.
 */
export function peerResult(stdout, type = "i32") {
  const bits = type === "i64" ? 64 : 32;
  const w3 = /^Result: (-?\d+)\s*$/m.exec(stdout);
  if (w3) return BigInt.asIntN(bits, BigInt(w3[1])).toString();
  const hex = /^(0x[0-9a-fA-F]+):(i32|i64)\s*$/m.exec(stdout);
  if (hex) return BigInt.asIntN(bits, BigInt(hex[1])).toString();
  const wrt = /^(i32|i64):(-?\d+)\s*$/m.exec(stdout);
  if (wrt) return BigInt.asIntN(bits, BigInt(wrt[2])).toString();
  return null;
}

/** Executed instructions from cachegrind's summary on stderr (`I refs: 1,234`), or null. */
export function cachegrindIr(stderr) {
  const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  return m ? Number(m[1].replace(/,/g, "")) : null;
}
