// An AssemblyScript guest: `npx wrt run examples/as/hello.wasm --invoke fib 20`
// prints `i32:6765`; `--invoke checked 0` traps with the assertion's message
// (asc's env.abort, which `wrt run` binds by default).
// Build from the repository root: npx asc examples/as/hello.ts -o examples/as/hello.wasm
// (or `node examples/build.mjs`).

export function fib(n: i32): i32 {
  let a = 0, b = 1;
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}

export function checked(x: i32): i32 {
  assert(x > 0, "x must be positive");
  return x * 2;
}
