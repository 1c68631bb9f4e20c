// dependency-cruiser rules (npm run lint:deps, part of npm test): no import
// circle in the interpreter (assembly/) or the Node host (host-shims/node/src),
// and the Node host's layers import only downwards (docs/architecture.md):
//   binding/  <  engines/  <  api/  <  wasi/, hosts/, logging/, tools/, component/  <  spec*, cli/, index.ts, cli.ts
// Type-only imports count too: a layer is read and changed alone.
const NODE = "^host-shims/node/src/";
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "an import circle: no layer can be read or changed alone",
      from: {}, to: { circular: true } },
    { name: "binding-is-the-bottom", severity: "error", comment: "binding/ is the raw ABI: it imports nothing of the host",
      from: { path: NODE + "binding/" }, to: { path: NODE, pathNot: NODE + "binding/" } },
    { name: "engines-sit-on-binding", severity: "error", comment: "an engine provides the raw exports: binding/ only, and not the other engine",
      from: { path: NODE + "engines/([^/]+)\\.ts$" }, to: { path: NODE, pathNot: [NODE + "binding/", NODE + "engines/$1\\.ts$"] } },
    { name: "api-below-front-ends", severity: "error", comment: "the typed API must not depend on the CLI, back ends, tools or the spec runner",
      from: { path: NODE + "api/" }, to: { path: NODE, pathNot: [NODE + "(api|binding|engines)/"] } },
    { name: "back-ends-below-cli", severity: "error", comment: "logging back ends, tools and components do not import the CLI (except the CommandSpec type a component's subcommand uses)",
      from: { path: NODE + "(logging|tools|component|wasi|hosts)/" }, to: { path: NODE + "(cli/|cli\\.ts|index\\.ts|spec)", pathNot: NODE + "cli/(command|exit-codes)\\.ts$" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|build|node_modules|_dev)/" },
    tsPreCompilationDeps: true,
    // NodeNext TypeScript names "./x.js" for x.ts
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
