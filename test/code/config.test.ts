import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/env.js";
import { readObservability } from "../../src/config/observability.js";
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

test("log and Pushgateway settings: checked with the rest, read leniently by the logger that comes first", () => {
  assert.equal(loadConfig({}).pushgatewayUrl, null);
  assert.equal(loadConfig({ INFLOW_PUSHGATEWAY_URL: "  " }).pushgatewayUrl, null);
  assert.equal(loadConfig({ INFLOW_PUSHGATEWAY_URL: "http://gw:9091" }).pushgatewayUrl, "http://gw:9091");
  assert.throws(
    () =>
      loadConfig({ INFLOW_LOG_LEVEL: "loud", INFLOW_LOG_FORMAT: "xml", INFLOW_PUSHGATEWAY_URL: "gw:9091" }),
    (e: Error) =>
      /INFLOW_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/.test(
        e.message,
      ) &&
      /INFLOW_LOG_FORMAT must be one of auto, json/.test(e.message) &&
      /INFLOW_PUSHGATEWAY_URL must be an http\(s\):\/\/ URL/.test(e.message),
  );
  // The logger exists before the configuration is checked: an invalid level must not crash it.
  assert.deepEqual(readObservability({ INFLOW_LOG_LEVEL: "loud" }), {
    logLevel: "info",
    logFormat: "auto",
    pushgatewayUrl: null,
  });
});

test("every problem on one line, each named by where its value came from: the flag when given", () => {
  assert.throws(
    () =>
      loadConfig(
        { INFLOW_RAW_STORE: "/raw", INFLOW_TRACKING: "local" },
        { store: "/tmp/x", tracking: "wandb" },
      ),
    {
      name: "ConfigError",
      message:
        'Invalid configuration: --store must be a file:// or s3:// URI, got "/tmp/x"; INFLOW_RAW_STORE must be a file:// or s3:// URI, got "/raw"; --tracking: unknown backend "wandb" (choose from local, mlflow, clearml)',
    },
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
