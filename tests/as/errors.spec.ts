// Unit tests for assembly/errors.ts: the texts hosts and the spec runner
// compare against, and ErrorInfo's message format.
import { Err, ErrorInfo, errText } from "../../assembly/errors";

describe("errText", () => {
  it("uses the spec suite's wording for binary-format errors", () => {
    expect<string>(errText(Err.UnexpectedEnd)).toBe("unexpected end");
    expect<string>(errText(Err.MagicHeader)).toBe("magic header not detected");
    expect<string>(errText(Err.UnknownVersion)).toBe("unknown binary version");
    expect<string>(errText(Err.IntegerTooLong)).toBe("integer representation too long");
    expect<string>(errText(Err.IntegerTooLarge)).toBe("integer too large");
    expect<string>(errText(Err.MalformedUtf8)).toBe("malformed UTF-8 encoding");
    expect<string>(errText(Err.LengthOutOfBounds)).toBe("length out of bounds");
  });

  it("uses the spec suite's wording for validation and linking errors", () => {
    expect<string>(errText(Err.TypeMismatch)).toBe("type mismatch");
    expect<string>(errText(Err.UnknownImport)).toBe("unknown import");
    expect<string>(errText(Err.IncompatibleImportType)).toBe("incompatible import type");
  });

  it("has a text for every code a host can see", () => {
    expect<string>(errText(Err.None)).toBe("no error");
    expect<string>(errText(<Err>9999)).toBe("unknown error");
  });
});

describe("ErrorInfo", () => {
  it("formats code, offset in hex and detail", () => {
    let e = new ErrorInfo();
    e.set(Err.TypeMismatch, 42, "in function 3");
    expect<string>(e.message()).toBe("type mismatch at byte 0x2a: in function 3");
  });

  it("leaves out a missing offset and an empty detail", () => {
    let e = new ErrorInfo();
    e.set(Err.UnknownImport, -1, "");
    expect<string>(e.message()).toBe("unknown import");
    e.set(Err.UnexpectedEnd, 0, "");
    expect<string>(e.message()).toBe("unexpected end at byte 0x0");
  });

  it("clears back to no error", () => {
    let e = new ErrorInfo();
    e.set(Err.MagicHeader, 0, "x");
    e.clear();
    expect<i32>(e.code).toBe(Err.None);
    expect<i64>(e.offset).toBe(-1);
    expect<string>(e.message()).toBe("no error");
  });
});
