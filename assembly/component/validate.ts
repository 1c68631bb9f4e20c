// Decoding and validating a component (Binary.md), in one pass like the
// spec's own validators: each definition is checked against the index
// spaces built so far, then appended to them.
//
//   component ::= magic "\0asm" | version 0x0d 0x00 | layer 0x01 0x00 | section*
//   section   ::= id:u8 size:u32 payload[size]   (any order, repeatable)
//
// Each section gets its own Reader bounded to it; nested components get a
// Reader bounded to their bytes and a new scope. On failure lastError holds
// the code, the byte offset, and "in section S (name), item I: rule".

import { Reader } from "../binary/reader";
import { lastError } from "../errors";
import { st, Scope, ScopeKind, invalid, malformed, unsupported, roomFor } from "./state";
import { readCoreModule, readCoreInstance, readCoreType } from "./core";
import { readTypeDef, enterScope } from "./deftypes";
import { readImport, readExport, scopeType } from "./externs";
import { readInstance, readAlias } from "./link";
import { readCanon } from "./canon";
import { NONE } from "./types";

/** Custom sections of the outermost component, kept: name and payload range. */
export class ComponentCustom {
  name: string;
  start: u32;
  end: u32;
  constructor(name: string, start: u32, end: u32) { this.name = name; this.start = start; this.end = end; }
}

/** What the last successful validateComponent found at top level. */
export class ComponentInfo {
  customs: Array<ComponentCustom> = [];
  imports: i32 = 0;
  exports: i32 = 0;
  nestedComponents: i32 = 0;
  coreModules: i32 = 0;
}
export let lastComponent = new ComponentInfo();

const SECTION_NAMES: Array<string> = [
  "custom", "core module", "core instance", "core type", "component", "instance",
  "alias", "type", "canon", "start", "import", "export", "value",
];

function isComponentPreamble(r: Reader, at: u32, len: u32): bool {
  if (len < 8) { malformed(r, "unexpected end: a component starts with 8 bytes of preamble", at + len); return false; }
  let magic = r.u32le();
  if (magic != 0x6D736100) { malformed(r, "magic header not detected", at); return false; }
  let version = r.u8() | (r.u8() << 8);
  let layer = r.u8() | (r.u8() << 8);
  if (layer == 0 && version == 1) { malformed(r, "this is a core module, not a component (layer 0)", at + 6); return false; }
  if (version != 0x0D) { malformed(r, "unknown binary version 0x" + version.toString(16) + " (components use 0xd)", at + 4); return false; }
  if (layer != 1) { malformed(r, "unknown layer " + layer.toString() + " (components use 1)", at + 6); return false; }
  return true;
}

/** Validates the component in [start, end) of `r`'s bytes as a new component scope; returns its type. */
function readComponent(r: Reader, start: u32, end: u32, top: bool): i32 {
  let cr = new Reader(r.base, start, end);
  let sc = enterScope(cr, ScopeKind.Component, start);
  if (!sc) { r.fail(cr.err, cr.errPos); return NONE; }
  if (isComponentPreamble(cr, start, end - start)) {
    while (!cr.atEnd && !cr.failed) readSection(cr, sc, top);
  }
  st.scopes.pop();
  if (cr.failed) { r.fail(cr.err, cr.errPos); return NONE; }
  if (top) {
    lastComponent.imports = sc.imports.length;
    lastComponent.exports = sc.exports.length;
  }
  return scopeType(r, sc);
}

function readSection(r: Reader, sc: Scope, top: bool): void {
  let at = r.pos;
  let id = r.u8();
  if (r.failed) return;
  if (id > 12) { malformed(r, "malformed section id " + id.toString(), at); return; }
  if (!st.failed) { st.section = <i32>id; st.item = -1; }
  let size = r.length();
  if (r.failed) return;
  let s = new Reader(r.base, r.pos, r.pos + size);
  r.pos += size;
  if (!st.failed) { st.section = <i32>id; st.item = -1; }
  switch (id) {
    case 0: customSection(s, top); break;
    case 1: coreModuleSection(s, sc, top); break;
    case 4: componentSection(s, sc, top); break;
    case 9: unsupported(s, "not supported: start functions (🪙 value definitions)", s.pos); break;
    case 12: unsupported(s, "not supported: value definitions (🪙)", s.pos); break;
    default: vecSection(s, sc, id);
  }
  if (!s.failed && !s.atEnd) malformed(s, "section size mismatch: " + s.remaining.toString() + " bytes left after the section's content");
  if (s.failed) r.fail(s.err, s.errPos);
}

function customSection(s: Reader, top: bool): void {
  let name = s.name();
  if (s.failed) return;
  // payloads ("component-name", "producers", ...) need not be valid (Binary.md); they are kept as ranges
  if (top) lastComponent.customs.push(new ComponentCustom(name, s.pos, s.end));
  s.pos = s.end;
}

function coreModuleSection(s: Reader, sc: Scope, top: bool): void {
  if (!st.failed) st.item = sc.coreModules.length;
  let len = s.end - s.pos;
  let t = readCoreModule(s, s.pos, len);
  if (t == NONE) return;
  s.pos = s.end;
  if (roomFor(s, sc.coreModules.length, "core module")) sc.coreModules.push(t);
  if (top) lastComponent.coreModules++;
}

function componentSection(s: Reader, sc: Scope, top: bool): void {
  if (!st.failed) st.item = sc.components.length;
  let t = readComponent(s, s.pos, s.end, false);
  if (t == NONE) return;
  s.pos = s.end;
  if (roomFor(s, sc.components.length, "component")) sc.components.push(t);
  if (top) lastComponent.nestedComponents++;
}

/** Sections that are a vector of items. */
function vecSection(s: Reader, sc: Scope, id: u32): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    if (!st.failed) st.item = i;
    switch (id) {
      case 2: readCoreInstance(s, sc); break;
      case 3: readCoreType(s, sc); break;
      case 5: readInstance(s, sc); break;
      case 6: readAlias(s, sc, false); break;
      case 7: readTypeDef(s, sc); break;
      case 8: readCanon(s, sc); break;
      case 10: readImport(s, sc); break;
      case 11: readExport(s, sc); break;
    }
  }
}

/**
 * Decode and validate the component in `len` bytes at `p`. On failure
 * returns false with lastError set (code, offset, "in section S (name),
 * item I: rule").
 */
export function validateComponent(p: usize, len: u32): bool {
  st.reset();
  lastComponent = new ComponentInfo();
  let r = new Reader(p, 0, len);
  readComponent(r, 0, len, true);
  if (!r.failed) { st.reset(); return true; }
  lastComponent = new ComponentInfo();
  let detail = "";
 if (st.failNesting > 1) detail = "in a component nested " + (st.failNesting - 1).toString() + " deep, ";
  if (st.section >= 0) {
    detail += "in section " + st.section.toString() + " (" + SECTION_NAMES[st.section] + ")";
    if (st.item >= 0) detail += ", item " + st.item.toString();
  }
  // the code's own text leads the message; a rule adds what it checked
  if (st.rule.length > 0) detail += (detail.length > 0 ? ": " : "") + st.rule;
  lastError.set(r.err, <i64>r.errPos, detail);
  st.reset();
  return false;
}

