import assert from "node:assert/strict";
import { test } from "node:test";
import { FanOutTracker } from "../../src/tracking/tracker.js";

test("a fan-out run that cannot start on every backend closes the parts that did", async () => {
  const ended: string[] = [];
  const ok = {
    backend: "ok",
    startRun: async () => ({
      id: "1",
      link: "l",
      logParams: async () => {},
      logMetrics: async () => {},
      logSeries: async () => {},
      setTags: async () => {},
      logArtifact: async () => {},
      logInputs: async () => {},
      end: async (status: string) => {
        ended.push(status);
      },
    }),
  };
  const down = { backend: "down", startRun: async () => Promise.reject(new Error("server down")) };
  await assert.rejects(new FanOutTracker([ok, down]).startRun({ experiment: "e", name: "n" }), /server down/);
  assert.deepEqual(ended, ["FAILED"]);
});
