import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/env.js";
import { s3Settings } from "../../src/store/s3-config.js";
import { ConfigError } from "../../src/util/errors.js";
import { openStore } from "../../stores/open.js";
import { S3Store } from "../../stores/s3-store.js";

describe("S3 configuration", () => {
  test("openStore opens s3:// URIs as S3 stores with the AWS_* settings", async () => {
    const env = {
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000",
      AWS_ACCESS_KEY_ID: "a",
      AWS_SECRET_ACCESS_KEY: "b",
    };
    const opened = await openStore("s3://customer-sup-tickets-clean/", env);
    assert.ok(opened instanceof S3Store);
    assert.equal(opened.uri, "s3://customer-sup-tickets-clean");
    assert.equal(opened.endpoint, "http://127.0.0.1:9000");
    const settings = s3Settings(env);
    assert.equal(settings.forcePathStyle, true, "path-style by default with a custom endpoint");
    assert.equal(settings.region, "us-east-1");
    assert.equal(s3Settings({}).forcePathStyle, false, "virtual-hosted style on AWS itself");
    assert.equal(
      s3Settings({ AWS_ENDPOINT_URL: "https://storage.yandexcloud.net", AWS_REGION: "ru-central1" }).endpoint,
      "https://storage.yandexcloud.net",
    );
    const compatible = s3Settings({
      AWS_ENDPOINT_URL: "https://storage.yandexcloud.net",
      AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
      INFLOW_S3_FORCE_PATH_STYLE: "false",
      AWS_MAX_ATTEMPTS: "3",
    });
    assert.equal(compatible.requestChecksumCalculation, "WHEN_REQUIRED", "either case, as the SDK reads it");
    assert.equal(compatible.responseChecksumValidation, "WHEN_SUPPORTED");
    assert.equal(compatible.forcePathStyle, false);
    assert.equal(compatible.maxAttempts, 3);
  });

  test("opening an S3 store with bad settings names every problem on one line", () => {
    assert.throws(
      () => s3Settings({ AWS_MAX_ATTEMPTS: "0", AWS_RETRY_MODE: "legacy" }),
      (e: Error) =>
        e instanceof ConfigError &&
        /AWS_MAX_ATTEMPTS .*; AWS_RETRY_MODE /.test(e.message) &&
        !e.message.includes("\n"),
    );
  });

  test("every S3 problem is listed at once, and only when a store is on S3", async () => {
    const env = {
      INFLOW_STORE: "s3://Bad_Bucket/x",
      INFLOW_RAW_STORE: "s3://customer-sup-tickets-raw",
      AWS_ENDPOINT_URL_S3: "localhost:9000",
      INFLOW_S3_FORCE_PATH_STYLE: "maybe",
      AWS_MAX_ATTEMPTS: "0",
      AWS_RETRY_MODE: "legacy",
      AWS_ACCESS_KEY_ID: "only-the-id",
      AWS_REQUEST_CHECKSUM_CALCULATION: "sometimes",
    };
    assert.throws(
      () => loadConfig(env),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        for (const expected of [
          /INFLOW_STORE: "Bad_Bucket" is not a valid bucket name/,
          /AWS_ENDPOINT_URL_S3 must be an http:\/\/ or https:\/\/ URL/,
          /INFLOW_S3_FORCE_PATH_STYLE must be true or false/,
          /AWS_MAX_ATTEMPTS must be an integer in \[1, 100\], got "0"/,
          /AWS_RETRY_MODE must be one of standard, adaptive, got "legacy"/,
          /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together/,
          /AWS_REQUEST_CHECKSUM_CALCULATION must be one of WHEN_SUPPORTED, WHEN_REQUIRED, when_supported, when_required, got "sometimes"/,
        ]) {
          assert.match(e.message, expected);
        }
        assert.doesNotMatch(e.message, /INFLOW_RAW_STORE/);
        return true;
      },
    );
    assert.doesNotThrow(() =>
      loadConfig({ ...env, INFLOW_STORE: "file:///tmp/x", INFLOW_RAW_STORE: "file:///tmp/y" }),
    );
    await assert.rejects(openStore("s3://x", {}), /not a valid bucket name/);
  });
});
