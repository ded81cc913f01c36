import assert from "node:assert/strict";
import { test } from "node:test";
import { loadApiConfig, loadServerConfig, serverDefaults } from "../../server/config.js";
import { ConfigError } from "../../src/util/errors.js";

test("defaults: champion model, auth off, documented limits", () => {
  const config = loadServerConfig({});
  assert.equal(config.modelSource, "champion");
  assert.equal(config.apiToken, null);
  assert.equal(config.port, 8000);
  assert.equal(config.maxBatch, serverDefaults.maxBatch);
  assert.equal(config.longText, "truncate");
  assert.equal(config.store, "file://./.inflow/customer-sup-tickets-clean");
  assert.equal(config.accessLog, true);
});

test("environment values are parsed and CLI overrides win", () => {
  const config = loadServerConfig(
    {
      INFLOW_MODEL: "/models/m.json",
      INFLOW_API_TOKEN: "0123456789abcdef",
      INFLOW_API_PORT: "9000",
      INFLOW_MODEL_POLL_SECONDS: "2.5",
      INFLOW_API_LONG_TEXT: "reject",
      INFLOW_API_ACCESS_LOG: "false",
    },
    { port: 0, modelSource: "champion" },
  );
  assert.equal(config.port, 0);
  assert.equal(config.modelSource, "champion");
  assert.equal(config.apiToken, "0123456789abcdef");
  assert.equal(config.pollSeconds, 2.5);
  assert.equal(config.longText, "reject");
  assert.equal(config.accessLog, false);
});

test("every problem is listed at once, store problems included", () => {
  assert.throws(
    () =>
      loadServerConfig({
        INFLOW_STORE: "ftp://x",
        INFLOW_API_PORT: "70000",
        INFLOW_API_MAX_BATCH: "2.5",
        INFLOW_API_BODY_LIMIT_BYTES: "lots",
        INFLOW_API_LONG_TEXT: "cut",
        INFLOW_API_TOKEN: "tooshort",
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of [
        "INFLOW_STORE",
        "INFLOW_API_PORT",
        "INFLOW_API_MAX_BATCH",
        "INFLOW_API_BODY_LIMIT_BYTES",
        "INFLOW_API_LONG_TEXT",
        "INFLOW_API_TOKEN",
      ]) {
        assert.match(error.message, new RegExp(name));
      }
      return true;
    },
  );
});

test("inflow serve lists the API's and the webhooks' problems together", () => {
  assert.throws(
    () => loadApiConfig({ INFLOW_API_PORT: "70000", INFLOW_WEBHOOK_TOLERANCE_SECONDS: "0" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /INFLOW_API_PORT/);
      assert.match(error.message, /INFLOW_WEBHOOK_TOLERANCE_SECONDS/);
      return true;
    },
  );
  const { server, webhooks } = loadApiConfig({}, { port: 0 });
  assert.equal(server.port, 0);
  assert.equal(webhooks.genericSecret, null);
});
