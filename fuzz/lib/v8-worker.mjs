// Worker thread around fuzz/lib/v8-side.mjs: one job per message.
import { parentPort } from "node:worker_threads";
import { runV8 } from "./v8-side.mjs";

parentPort.on("message", (job) => {
  let result;
  try {
    result = runV8(job);
  } catch (e) {
    result = { error: String(e && e.stack || e) };
  }
  parentPort.postMessage({ id: job.id, result });
});
