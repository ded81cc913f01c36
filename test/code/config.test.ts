import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/env.js";
import { addDays, daysBefore, parseLogicalDate } from "../../src/util/dates.js";
import { ConfigError } from "../../src/util/errors.js";

test("defaults need no environment at all", () => {
  const config = loadConfig({});
  assert.equal(config.store, "file://./.inflow/customer-sup-tickets-clean");
  assert.equal(config.rawStore, "file://./.inflow/customer-sup-tickets-raw");
  assert.deepEqual(config.tracking, ["local"]);
});

test("every problem is reported at once", () => {
  assert.throws(
    () => loadConfig({ INFLOW_STORE: "ftp://x", INFLOW_TRACKING: "mlflow,wandb" }),
    (e: Error) =>
      e instanceof ConfigError &&
      /INFLOW_STORE must be/.test(e.message) &&
      /unknown backend "wandb"/.test(e.message) &&
      /MLFLOW_TRACKING_URI is required/.test(e.message),
  );
});

test("CLI overrides win over the environment", () => {
  assert.equal(loadConfig({ INFLOW_STORE: "file:///a" }, { store: "file:///b" }).store, "file:///b");
});

test("logical dates: validated, and a window is strictly before the date", () => {
  assert.equal(parseLogicalDate("2024-02-29"), "2024-02-29");
  assert.throws(() => parseLogicalDate("2023-02-29"), /not a calendar day/);
  assert.throws(() => parseLogicalDate("2023-2-1"), /YYYY-MM-DD/);
  assert.equal(addDays("2024-03-01", -1), "2024-02-29");
  assert.deepEqual(daysBefore("2024-01-02", 3), ["2023-12-30", "2023-12-31", "2024-01-01"]);
});
