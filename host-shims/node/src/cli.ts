#!/usr/bin/env node
// The `wrt` command (package.json "bin"): everything is in cli/.
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2));
