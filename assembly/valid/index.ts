// Validation layer: typing of a decoded module (Wasm 2.0).
//   validateModule(m): bool   on failure lastError holds code, offset, detail
export { validateModule } from "./module";

