import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blankTextMessage } from "../../server/plugins/validation-message.js";
import type { RawMessage } from "../../server/stream/clients.js";
import { loadStreamConfig } from "../../server/stream/config.js";
import { streamDefaults } from "../../server/stream/defaults.js";
import { Replays } from "../../server/stream/router.js";
import { createTicketParser } from "../../server/stream/ticket-record.js";
import { loadWebhookConfig } from "../../server/webhooks/config.js";
import { jiraText } from "../../server/webhooks/helpdesks.js";
import { SeenDeliveries } from "../../server/webhooks/replay.js";
import { sameSignature, zendeskSignature } from "../../server/webhooks/signature.js";
import { ConfigError } from "../../src/util/errors.js";

describe("stream records", () => {
  const parse = createTicketParser(20);

  test("both shapes the API accepts parse; the reason for anything else names no text", () => {
    assert.deepEqual(parse(Buffer.from('{"id": 7, "text": "card stolen"}')), {
      ok: true,
      id: 7,
      text: "card stolen",
    });
    assert.deepEqual(
      parse(Buffer.from('{"_id": "c1", "_source": {"complaint_what_happened": "late fee"}}')),
      {
        ok: true,
        id: "c1",
        text: "late fee",
      },
    );
    // Longer than the limit still parses: the router truncates, as the API does by default.
    assert.equal(parse(Buffer.from(JSON.stringify({ id: "x", text: "a".repeat(50) }))).ok, true);
    assert.deepEqual(parse(undefined), { ok: false, reason: "empty record" });
    assert.deepEqual(parse(Buffer.from("{oops")), { ok: false, reason: "not JSON" });
    const wrong = parse(Buffer.from('{"id": "x", "text": 42, "secret": "my card number"}'));
    assert.equal(wrong.ok, false);
    assert.ok(!JSON.stringify(wrong).includes("my card number"));
    assert.equal(parse(Buffer.from('[{"id": 1, "text": "a"}]')).ok, false, "one ticket per record");
    // Which shapes a record may take and why it is not a ticket, as POST /api/predict's 400 says; every
    // bad record was "/ Expected union value" before.
    assert.deepEqual(parse(Buffer.from('{"text": "a"}')), {
      ok: false,
      reason:
        "not a ticket: / must be a ticket {id, text} or a complaint record {_id, _source: {complaint_what_happened}} (as a ticket: /id Expected required property)",
    });
  });

  test("an empty or whitespace-only text is named as the API's 400 names it, in either shape", () => {
    const reason = (value: object) => parse(Buffer.from(JSON.stringify(value)));
    const blank = (path: string) => ({
      ok: false,
      reason: `not a ticket: ${path} is empty or whitespace only: nothing to classify`,
    });
    assert.deepEqual(reason({ id: "1", text: "" }), blank("/text"));
    assert.deepEqual(reason({ id: 2, text: " \n\t " }), blank("/text"));
    assert.deepEqual(
      reason({ _id: "c", _source: { complaint_what_happened: "" } }),
      blank("/_source/complaint_what_happened"),
    );
    assert.deepEqual(
      reason({ _id: "c", _source: { complaint_what_happened: "  " } }),
      blank("/_source/complaint_what_happened"),
    );
    // The same sentence as POST /api/predict's 400 (one function builds both).
    assert.equal(
      blankTextMessage("body/0/text"),
      "body/0/text is empty or whitespace only: nothing to classify",
    );
    // A wrong shape is still a wrong shape, not a blank text.
    assert.doesNotMatch((reason({ id: "x", text: 42 }) as { reason: string }).reason, /empty or whitespace/);
  });
});

describe("stream and webhook configuration", () => {
  test("defaults, and every problem listed at once", () => {
    const config = loadStreamConfig({});
    assert.equal(config.topicIn, streamDefaults.topicIn);
    assert.deepEqual(config.brokers, ["localhost:9092"]);
    assert.throws(
      () =>
        loadStreamConfig({
          INFLOW_KAFKA_BROKERS: "kafka:9092,not a broker",
          INFLOW_KAFKA_TOPIC_IN: "bad topic!",
          INFLOW_STREAM_BATCH: "0",
        }),
      (error: Error) =>
        error instanceof ConfigError &&
        /not a broker/.test(error.message) &&
        /INFLOW_KAFKA_TOPIC_IN/.test(error.message) &&
        /INFLOW_STREAM_BATCH/.test(error.message),
    );
  });

  test("a webhook secret needs its desk's URL and credentials, and 16 characters", () => {
    assert.equal(loadWebhookConfig({}).zendesk, null);
    assert.throws(
      () => loadWebhookConfig({ INFLOW_ZENDESK_WEBHOOK_SECRET: "short" }),
      /_API_TOKEN[\s\S]*16 characters/,
    );
    const config = loadWebhookConfig({
      INFLOW_ZENDESK_WEBHOOK_SECRET: "0123456789abcdef",
      INFLOW_ZENDESK_URL: "https://acme.zendesk.com/",
      INFLOW_ZENDESK_EMAIL: "a@acme.com",
      INFLOW_ZENDESK_API_TOKEN: "t",
      INFLOW_ZENDESK_GROUPS: '{"Billing": 360001}',
    });
    assert.equal(config.zendesk?.baseUrl, "https://acme.zendesk.com");
    assert.equal(
      config.zendesk?.authorization,
      `Basic ${Buffer.from("a@acme.com/token:t").toString("base64")}`,
    );
    assert.deepEqual(config.zendesk?.groups, { Billing: 360001 });
  });
});

describe("webhook pieces", () => {
  test("Zendesk's signature: base64 HMAC-SHA256 of timestamp + body (reference computed independently)", () => {
    // echo -n '2024-04-17T17:18:10Z{"a":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    assert.equal(
      zendeskSignature("secret", "2024-04-17T17:18:10Z", Buffer.from('{"a":1}')),
      "8iM+oBXTtDxQEp8+cUGg3FSJztBudRDYRgQNbnwbjPs=",
    );
    assert.equal(sameSignature(undefined, "x"), false);
    assert.equal(sameSignature("abc", "abcd"), false);
  });

  test("Jira descriptions in Atlassian Document Format become text", () => {
    const text = jiraText({
      webhookEvent: "jira:issue_created",
      timestamp: 0,
      issue: {
        id: "1",
        key: "SUP-1",
        fields: {
          summary: "Card",
          description: {
            type: "doc",
            content: [
              {
                type: "paragraph",
                content: [
                  { type: "text", text: "stolen" },
                  { type: "text", text: "yesterday" },
                ],
              },
              { type: "paragraph", content: [{ type: "text", text: "please block" }] },
            ],
          },
        },
      },
    });
    assert.equal(text, "Card\nstolen yesterday\nplease block");
  });

  test("seen deliveries are bounded, oldest forgotten first", () => {
    const seen = new SeenDeliveries(2);
    seen.add("a");
    seen.add("b");
    seen.add("c");
    assert.equal(seen.has("a"), false);
    assert.equal(seen.has("c"), true);
  });
});

describe("router replay skip", () => {
  const record = (partition: number, offset: number) =>
    ({ topic: "t", partition, offset: BigInt(offset) }) as unknown as RawMessage;

  test("after a rebalance, records already routed or no longer owned are skipped", () => {
    const replays = new Replays();
    replays.sent([record(0, 10), record(0, 11), record(1, 5)]);
    const owned = [{ topic: "t", partitions: [0, 2] }];
    const read = [record(0, 11), record(0, 12), record(1, 6), record(2, 0)];
    assert.deepEqual(
      replays.fresh(read, owned).map((r) => `${r.partition}:${r.offset}`),
      ["0:12", "2:0"],
    );
    // Assignments unknown (mid-rebalance): only the already-routed filter applies.
    assert.equal(replays.fresh(read, null).length, 3);
  });
});
