// A small reader for .wast scripts of the component-model test suite:
// s-expressions with their source ranges, string literals decoded to bytes,
// comments skipped. Enough to pick out component forms and assertions; the
// component text itself is handed to a real text parser (jco's `parse`).

/** An s-expression: a list with its source range, an atom, or a string literal. */
export type SExpr =
  | { kind: "list"; items: SExpr[]; start: number; end: number }
  | { kind: "atom"; text: string; start: number; end: number }
  | { kind: "string"; bytes: Uint8Array; start: number; end: number };

export class WastSyntaxError extends Error {}

function isSpace(c: string): boolean { return c === " " || c === "\t" || c === "\n" || c === "\r"; }

/** Decodes one string literal starting at `src[i] === '"'`; returns bytes and the index after it. */
function readString(src: string, i: number): { bytes: Uint8Array; next: number } {
  const out: number[] = [];
  const enc = new TextEncoder();
  i++;
  while (i < src.length && src[i] !== '"') {
    const c = src[i];
    if (c !== "\\") {
      const cp = src.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = src[i + 1];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, "\\": 92, "'": 39, '"': 34 };
    if (e in simple) { out.push(simple[e]); i += 2; continue; }
    if (e === "u") {
      const close = src.indexOf("}", i);
      const cp = parseInt(src.slice(i + 3, close).replace(/_/g, ""), 16);
      out.push(...enc.encode(String.fromCodePoint(cp)));
      i = close + 1;
      continue;
    }
    const hex = src.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new WastSyntaxError(`bad escape at ${i}`);
    out.push(parseInt(hex, 16));
    i += 3;
  }
  if (i >= src.length) throw new WastSyntaxError("unterminated string");
  return { bytes: Uint8Array.from(out), next: i + 1 };
}

/** Skips whitespace and comments (`;; ...` and nested `(; ... ;)`). */
function skip(src: string, i: number): number {
  for (;;) {
    while (i < src.length && isSpace(src[i])) i++;
    if (src.startsWith(";;", i)) {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl + 1;
      continue;
    }
    if (src.startsWith("(;", i)) {
      let depth = 0;
      while (i < src.length) {
        if (src.startsWith("(;", i)) { depth++; i += 2; }
        else if (src.startsWith(";)", i)) { depth--; i += 2; if (depth === 0) break; }
        else i++;
      }
      continue;
    }
    return i;
  }
}

/** Parses a whole script into its top-level forms. */
export function parseWast(src: string): SExpr[] {
  const top: SExpr[] = [];
  const stack: { items: SExpr[]; start: number }[] = [];
  let i = 0;
  for (;;) {
    i = skip(src, i);
    if (i >= src.length) break;
    const c = src[i];
    const into = stack.length ? stack[stack.length - 1].items : top;
    if (c === "(") { stack.push({ items: [], start: i }); i++; continue; }
    if (c === ")") {
      const open = stack.pop();
      if (!open) throw new WastSyntaxError(`unbalanced ) at ${i}`);
      i++;
      (stack.length ? stack[stack.length - 1].items : top).push({ kind: "list", items: open.items, start: open.start, end: i });
      continue;
    }
    if (c === '"') {
      const s = readString(src, i);
      into.push({ kind: "string", bytes: s.bytes, start: i, end: s.next });
      i = s.next;
      continue;
    }
    const start = i;
    while (i < src.length && !isSpace(src[i]) && src[i] !== "(" && src[i] !== ")" && src[i] !== '"' && !src.startsWith(";;", i)) i++;
    into.push({ kind: "atom", text: src.slice(start, i), start, end: i });
  }
  if (stack.length) throw new WastSyntaxError("unbalanced ( at end of script");
  return top;
}

/** The head keyword of a list ("component", "assert_invalid", ...), or "". */
export function head(e: SExpr): string {
  return e.kind === "list" && e.items.length && e.items[0].kind === "atom" ? e.items[0].text : "";
}

/** Concatenated bytes of the string literals in `items`. */
export function joinStrings(items: SExpr[]): Uint8Array {
  const parts = items.filter((x): x is Extract<SExpr, { kind: "string" }> => x.kind === "string").map((x) => x.bytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
