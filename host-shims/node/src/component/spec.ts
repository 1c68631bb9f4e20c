// The component-model spec test runner (../shared/testsuite/component-model,
// overridable by WRT_TESTSUITE). Scripts are .wast text: each component form
// is turned into a binary by jco's `parse` (the wasm-tools text parser,
// which does not validate) or taken as is for `(component binary ...)`,
// then judged by WRT's own validator:
//   - components meant to be valid must be accepted,
//   - assert_invalid and assert_malformed must be refused;
// execution (assert_return, assert_trap, invoke, component instances) is
// part 2 of the Component Model and is skipped with that reason.

import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { parse as jcoParse } from "@bytecodealliance/jco";
import { parseWast, head, joinStrings, SExpr } from "./wast.js";
import { ComponentValidator, COMPONENT_UNSUPPORTED } from "./validator.js";

export interface SpecFailure { file: string; line: number; what: string; detail: string }

export interface SpecResult {
  passed: number;
  failed: number;
  skipped: number;
  /** Skip reason -> count. */
  reasons: Map<string, number>;
  failures: SpecFailure[];
  files: number;
}

const EXEC = "execution (assert_return/assert_trap/invoke/instances) is part 2 of the Component Model";

/** The default suite root: $WRT_TESTSUITE/component-model or ../shared/testsuite/component-model. */
export function defaultComponentSuite(): string {
  const root = process.env.WRT_TESTSUITE ?? path.resolve("..", "shared", "testsuite");
  return path.join(root, "component-model");
}

function listWast(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listWast(p));
    else if (name.endsWith(".wast")) out.push(p);
  }
  return out;
}

function lineOf(src: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

/** The binary of a component form, or a reason it has none. */
async function componentBytes(src: string, form: SExpr): Promise<{ bytes?: Uint8Array; textError?: string; skip?: string }> {
  if (form.kind !== "list") return { skip: "not a component form" };
  const items = form.items.slice(1);
  let k = 0;
  if (items[k]?.kind === "atom" && (items[k] as { text: string }).text === "instance") return { skip: EXEC };
  let definition = false;
  if (items[k]?.kind === "atom" && (items[k] as { text: string }).text === "definition") { definition = true; k++; }
  if (items[k]?.kind === "atom" && (items[k] as { text: string }).text.startsWith("$")) k++;
  const mode = items[k]?.kind === "atom" ? (items[k] as { text: string }).text : "";
  if (mode === "binary") return { bytes: joinStrings(items.slice(k + 1)) };
  let text: string;
  if (mode === "quote") text = "(component " + new TextDecoder().decode(joinStrings(items.slice(k + 1))) + ")";
  else {
    text = src.slice(form.start, form.end);
    if (definition) text = text.replace(/^\(component\s+definition/, "(component");
  }
  try {
    return { bytes: await jcoParse(text) };
  } catch (e) {
    return { textError: String((e as Error).message ?? e).split("\n")[0] };
  }
}

class Tally implements SpecResult {
  passed = 0; failed = 0; skipped = 0; files = 0;
  reasons = new Map<string, number>();
  failures: SpecFailure[] = [];
  skip(reason: string, n = 1): void {
    this.skipped += n;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + n);
  }
}

/** Counts the checks a file would make (for files skipped whole). */
function countForms(forms: SExpr[]): number {
  return forms.filter((f) => head(f) !== "").length;
}

async function runForm(t: Tally, v: ComponentValidator, file: string, src: string, form: SExpr): Promise<void> {
  const h = head(form);
  const line = lineOf(src, form.start);
  if (h === "component") {
    const c = await componentBytes(src, form);
    if (c.skip) { t.skip(c.skip); return; }
    if (!c.bytes) { t.failed++; t.failures.push({ file, line, what: "component", detail: "the text parser refused a component meant to be valid: " + c.textError }); return; }
    const r = v.validate(c.bytes);
    if (r.ok) { t.passed++; return; }
    if (r.code === COMPONENT_UNSUPPORTED) { t.skip("valid component refused as not supported: " + r.message.replace(/^.*not supported: /, "")); return; }
    t.failed++;
    t.failures.push({ file, line, what: "component", detail: "refused a valid component: " + r.message });
    return;
  }
  if (h === "assert_invalid" || h === "assert_malformed") {
    const inner = (form as { items: SExpr[] }).items[1];
    if (head(inner) === "module") { t.skip("core module assertion (the core suites check these)"); return; }
    const c = await componentBytes(src, inner);
    if (c.skip) { t.skip(c.skip); return; }
    if (!c.bytes) { t.skip("text-format case refused by the text parser before a binary exists"); return; }
    const r = v.validate(c.bytes);
    if (!r.ok && r.code === COMPONENT_UNSUPPORTED) { t.skip("invalid component refused as not supported, so its rule is not checked: " + r.message.replace(/^.*not supported: /, "")); return; }
    if (!r.ok) { t.passed++; return; }
    t.failed++;
    const expected = (form as { items: SExpr[] }).items[2];
    const msg = expected && expected.kind === "string" ? new TextDecoder().decode(expected.bytes) : "";
    t.failures.push({ file, line, what: h, detail: `accepted; expected "${msg}"` });
    return;
  }
  if (h === "assert_return" || h === "assert_trap" || h === "invoke" || h === "assert_exhaustion" || h === "register") { t.skip(EXEC); return; }
  if (h === "assert_unlinkable") { t.skip("linking is part 2 of the Component Model"); return; }
  if (h === "module") { t.skip("top-level core module (the core suites check these)"); return; }
  t.skip(`script form (${h}) not handled`);
}

/** Runs every .wast under `root` (outside nyi.txt and async/). */
export async function runComponentSpec(root = defaultComponentSuite(), onFile?: (file: string, r: SpecResult) => void): Promise<SpecResult> {
  const t = new Tally();
  const v = new ComponentValidator();
  const nyiPath = path.join(root, "nyi.txt");
  const nyi = new Set(existsSync(nyiPath) ? readFileSync(nyiPath, "utf8").split("\n").map((s) => s.trim()).filter(Boolean).map((s) => path.normalize(s)) : []);
  for (const file of listWast(root)) {
    const rel = path.relative(root, file);
    const src = readFileSync(file, "utf8");
    const forms = parseWast(src);
    t.files++;
    if (rel.split(path.sep)[0] === "async") { t.skip("async/: async is not supported yet (issue 14 scope: WASI 0.2)", countForms(forms)); continue; }
    if (nyi.has(path.normalize(rel))) { t.skip("listed in nyi.txt (not yet implemented upstream)", countForms(forms)); continue; }
    const before = { p: t.passed, f: t.failed, s: t.skipped };
    for (const form of forms) await runForm(t, v, rel, src, form);
    onFile?.(rel, { ...t, passed: t.passed - before.p, failed: t.failed - before.f, skipped: t.skipped - before.s });
  }
  return t;
}
