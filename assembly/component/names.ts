// Names of the component model (Explainer.md, "Import and Export Definitions"):
// kebab-case labels, extern names (plain, annotated, interface), semver
// versions, and the "strongly-unique" canonical form that uniqueness is
// checked on. Pure string checks; the caller reports the error.

/** What an extern name is (set by parseExternName). */
export const enum NameKind { Invalid = 0, Label, Constructor, Method, Static, Interface }

/** The resource label of the last annotated name parsed ([constructor]R, [method]R.x, [static]R.x). */
export let nameResource: string = "";
/** The second label of [method]R.x / [static]R.x. */
export let nameMember: string = "";
/** Why the last parse failed. */
export let nameProblem: string = "";

@inline function isLower(c: i32): bool { return c >= 0x61 && c <= 0x7A; }
@inline function isUpper(c: i32): bool { return c >= 0x41 && c <= 0x5A; }
@inline function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }

/** A kebab-case label: fragments of [a-z0-9] or [A-Z0-9], the first starting with a letter. */
export function isLabel(s: string): bool {
  let n = s.length;
  if (n == 0) return false;
  let i = 0;
  let first = true;
  while (true) {
    // one fragment: all lower+digits or all upper+digits
    let start = i;
    let lower = false, upper = false;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (c == 0x2D) break;
      if (isLower(c)) lower = true;
      else if (isUpper(c)) upper = true;
      else if (!isDigit(c)) return false;
      i++;
    }
    if (i == start || (lower && upper)) return false;
    if (first && !isLower(s.charCodeAt(start)) && !isUpper(s.charCodeAt(start))) return false;
    first = false;
    if (i == n) return true;
    i++; // '-'
    if (i == n) return false;
  }
  return false;
}

/** `words`: a label with only lower-case fragments. */
function isWords(s: string): bool {
  if (!isLabel(s)) return false;
  for (let i = 0; i < s.length; i++) if (isUpper(s.charCodeAt(i))) return false;
  return true;
}

function isNumber(s: string): bool {
  if (s.length == 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.length == 1 || s.charCodeAt(0) != 0x30;
}

function isIdentChars(s: string, numericNoLeadingZero: bool): bool {
  if (s.length == 0) return false;
  let allDigits = true;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (!isDigit(c)) {
      allDigits = false;
      if (!isLower(c) && !isUpper(c) && c != 0x2D) return false;
    }
  }
  if (allDigits && numericNoLeadingZero && s.length > 1 && s.charCodeAt(0) == 0x30) return false;
  return true;
}

function dotted(s: string, numericNoLeadingZero: bool): bool {
  let parts = s.split(".");
  for (let i = 0; i < parts.length; i++) if (!isIdentChars(parts[i], numericNoLeadingZero)) return false;
  return true;
}

/** A valid semver (semver.org 2.0): MAJOR.MINOR.PATCH[-pre][+build]. */
export function isSemver(v: string): bool {
  let plus = v.indexOf("+");
  let core = v;
  if (plus >= 0) {
    if (!dotted(v.substring(plus + 1), false)) return false;
    core = v.substring(0, plus);
  }
  let dash = core.indexOf("-");
  if (dash >= 0) {
    if (!dotted(core.substring(dash + 1), true)) return false;
    core = core.substring(0, dash);
  }
  let nums = core.split(".");
  if (nums.length != 3) return false;
  for (let i = 0; i < 3; i++) if (!isNumber(nums[i])) return false;
  return true;
}

/** ns:pkg/iface[@version] (one namespace, one projection: WASI 0.2's form). */
function isInterfaceName(s: string): bool {
  let at = s.indexOf("@");
  let body = at >= 0 ? s.substring(0, at) : s;
  if (at >= 0 && !isSemver(s.substring(at + 1))) { nameProblem = "the version is not a valid semver"; return false; }
  let colon = body.indexOf(":");
  let slash = body.indexOf("/");
  if (colon <= 0 || slash <= colon + 1) { nameProblem = "an interface name is namespace:package/interface"; return false; }
  if (!isWords(body.substring(0, colon)) || !isWords(body.substring(colon + 1, slash))) {
    nameProblem = "namespace and package must be lower-case kebab words";
    return false;
  }
  if (!isLabel(body.substring(slash + 1))) { nameProblem = "the interface must be a kebab-case label"; return false; }
  return true;
}

/** Parses an import/export name; sets nameResource/nameMember for annotated names. */
export function parseExternName(s: string): NameKind {
  nameResource = "";
  nameMember = "";
  nameProblem = "";
  if (s.indexOf(":") >= 0) return isInterfaceName(s) ? NameKind.Interface : NameKind.Invalid;
  if (s.startsWith("[constructor]")) {
    let r = s.substring(13);
    if (!isLabel(r)) { nameProblem = "[constructor] must be followed by a kebab-case label"; return NameKind.Invalid; }
    nameResource = r;
    return NameKind.Constructor;
  }
  let kind = NameKind.Invalid;
  let rest = "";
  if (s.startsWith("[method]")) { kind = NameKind.Method; rest = s.substring(8); }
  else if (s.startsWith("[static]")) { kind = NameKind.Static; rest = s.substring(8); }
  if (kind != NameKind.Invalid) {
    let dot = rest.indexOf(".");
    if (dot < 0 || !isLabel(rest.substring(0, dot)) || !isLabel(rest.substring(dot + 1))) {
      nameProblem = "an annotated name is [method]resource.name or [static]resource.name with kebab-case labels";
      return NameKind.Invalid;
    }
    nameResource = rest.substring(0, dot);
    nameMember = rest.substring(dot + 1);
    return kind;
  }
  if (!isLabel(s)) { nameProblem = "not a kebab-case label"; return NameKind.Invalid; }
  return NameKind.Label;
}

/** The canonical form two names are compared in for strong uniqueness. */
export function uniqueKey(s: string): string {
  let l = s.toLowerCase();
  if (l.startsWith("[method]") || l.startsWith("[static]")) {
    let rest = l.substring(8);
    let dot = rest.indexOf(".");
    if (dot >= 0 && rest.substring(0, dot) == rest.substring(dot + 1)) return rest.substring(0, dot);
    return rest;
  }
  return l;
}
