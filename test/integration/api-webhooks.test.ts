import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadWebhookConfig, type WebhookConfig } from "../../server/webhooks/config.js";
import { hubSignature, zendeskSignature } from "../../server/webhooks/signature.js";
import { startTestApi, type TestApi } from "../harness/api-server.js";
import { type HelpDeskDouble, startHelpDeskDouble } from "../harness/helpdesk-double.js";
import { fixtureTickets } from "../harness/routing-model-fixture.js";

/**
 * Help-desk webhooks end to end: the real API (in process) receives signed Zendesk and Jira
 * deliveries as their documentation shapes them, and writes back to a double of their REST APIs.
 * Bad signatures, stale timestamps and replays are refused; rate limits (429 + Retry-After), server
 * errors and slow answers are retried inside the budget, else the sender is asked to redeliver (503).
 */
const zendeskSecret = "zendesk-signing-secret-0123456789";
const jiraSecret = "jira-webhook-secret-0123456789";
const genericSecret = "generic-webhook-secret-0123456789";

describe("help-desk webhooks", () => {
  let api: TestApi;
  let desk: HelpDeskDouble;
  let config: WebhookConfig;
  const [billing, fraud] = fixtureTickets(40, 5).filter(
    (t, i, all) => all.findIndex((u) => u.topicId === t.topicId) === i,
  );

  before(async () => {
    const env = (url: string) => ({
      INFLOW_ZENDESK_WEBHOOK_SECRET: zendeskSecret,
      INFLOW_ZENDESK_URL: url,
      INFLOW_ZENDESK_EMAIL: "agent@example.com",
      INFLOW_ZENDESK_API_TOKEN: "zendesk-token",
      INFLOW_ZENDESK_GROUPS: "{}",
      INFLOW_JIRA_WEBHOOK_SECRET: jiraSecret,
      INFLOW_JIRA_URL: url,
      INFLOW_JIRA_EMAIL: "agent@example.com",
      INFLOW_JIRA_API_TOKEN: "jira-token",
      INFLOW_WEBHOOK_SECRET: genericSecret,
      INFLOW_WEBHOOK_BUDGET_MS: "4000",
    });
    const probe = loadWebhookConfig(env("http://127.0.0.1:1"));
    desk = await startHelpDeskDouble({
      zendesk: probe.zendesk!.authorization,
      jira: probe.jira!.authorization,
    });
    config = { ...loadWebhookConfig(env(desk.url)), attemptTimeoutMs: 1000 };
    api = await startTestApi({ webhooks: config });
  });
  after(async () => {
    await api?.close();
    await desk?.close();
  });

  const zendeskEvent = (ticketId: number, eventId: string, ticket = billing!) => ({
    type: "zen:event-type:ticket.created",
    account_id: 88888888,
    id: eventId,
    time: new Date().toISOString(),
    zendesk_event_version: "2022-11-06",
    subject: `zen:ticket:${ticketId}`,
    detail: { id: String(ticketId), subject: "Help", description: ticket.text, status: "NEW", tags: [] },
    event: {},
  });

  const postZendesk = (body: unknown, { secret = zendeskSecret, at = new Date() } = {}) => {
    const raw = JSON.stringify(body);
    const timestamp = at.toISOString().replace(/\.\d{3}Z$/, "Z");
    return fetch(`${api.url}/api/webhooks/zendesk`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-zendesk-webhook-signature-timestamp": timestamp,
        "x-zendesk-webhook-signature": zendeskSignature(secret, timestamp, Buffer.from(raw)),
      },
      body: raw,
    });
  };

  const jiraEvent = (key: string, ticket = fraud!) => ({
    timestamp: Date.now(),
    webhookEvent: "jira:issue_created",
    issue_event_type_name: "issue_created",
    issue: {
      id: String(10_000 + Number(key.split("-")[1])),
      key,
      self: `https://example.atlassian.net/rest/api/3/issue/${key}`,
      fields: {
        summary: "Customer request",
        // Atlassian Document Format, as Jira Cloud sends descriptions.
        description: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: ticket.text }] }],
        },
        labels: [],
      },
    },
  });

  const postJira = (
    body: unknown,
    { secret = jiraSecret, delivery = crypto.randomUUID() }: { secret?: string; delivery?: string } = {},
  ) => {
    const raw = JSON.stringify(body);
    return fetch(`${api.url}/api/webhooks/jira`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-atlassian-webhook-identifier": delivery,
        "x-hub-signature": hubSignature(secret, Buffer.from(raw)),
      },
      body: raw,
    });
  };

  test("Zendesk ticket.created: routed, tags written back with the documented Update Ticket call", async () => {
    const before = desk.calls.length;
    const response = await postZendesk(zendeskEvent(35436, "01HN-EVENT-1"));
    assert.equal(response.status, 200);
    const result = (await response.json()) as { status: string; department: string; written_back: boolean };
    assert.equal(result.status, "routed");
    assert.equal(result.written_back, true);
    const call = desk.calls.at(-1)!;
    assert.equal(desk.calls.length, before + 1);
    assert.equal(call.method, "PUT");
    assert.equal(call.path, "/api/v2/tickets/35436.json");
    assert.equal(call.headers["idempotency-key"], "inflow-zendesk-01HN-EVENT-1");
    const tags = (call.body as { ticket: { additional_tags: string[] } }).ticket.additional_tags;
    assert.ok(tags[0]!.startsWith("inflow_") && tags[0]!.length > 7, JSON.stringify(tags));
    assert.equal(
      tags[0],
      `inflow_${result.department
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_|_$/g, "")}`,
    );
  });

  test("bad signature, wrong secret, stale timestamp: 401, nothing written back", async () => {
    const before = desk.calls.length;
    assert.equal(
      (await postZendesk(zendeskEvent(1, "E-bad"), { secret: "not-the-secret-0123456789" })).status,
      401,
    );
    const stale = await postZendesk(zendeskEvent(1, "E-stale"), { at: new Date(Date.now() - 3600_000) });
    assert.equal(stale.status, 401);
    assert.match(((await stale.json()) as { message: string }).message, /replay/);
    const unsigned = await fetch(`${api.url}/api/webhooks/zendesk`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(zendeskEvent(1, "E-unsigned")),
    });
    assert.equal(unsigned.status, 401);
    assert.equal((await postJira(jiraEvent("SUP-1"), { secret: "not-the-secret-0123456789" })).status, 401);
    // A signed body that was altered afterwards.
    const raw = JSON.stringify(jiraEvent("SUP-2"));
    const tampered = await fetch(`${api.url}/api/webhooks/jira`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature": hubSignature(jiraSecret, Buffer.from(raw)),
      },
      body: raw.replace("SUP-2", "SUP-3"),
    });
    assert.equal(tampered.status, 401);
    assert.equal(desk.calls.length, before);
  });

  test("a replayed delivery is answered 200 duplicate and not written back twice", async () => {
    const event = zendeskEvent(42, "01HN-EVENT-REPLAY");
    assert.equal((await postZendesk(event)).status, 200);
    const before = desk.calls.length;
    const again = await postZendesk(event);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { status: string }).status, "duplicate");
    assert.equal(desk.calls.length, before);
  });

  test("Jira issue_created: labels added via Edit Issue; other events ignored; invalid payload 400", async () => {
    const response = await postJira(jiraEvent("SUP-7"));
    assert.equal(response.status, 200);
    const result = (await response.json()) as { id: string; department: string };
    assert.equal(result.id, "SUP-7");
    const call = desk.calls.at(-1)!;
    assert.equal(call.path, "/rest/api/3/issue/SUP-7");
    const labels = (call.body as { update: { labels: { add: string }[] } }).update.labels.map((l) => l.add);
    assert.ok(labels[0]!.startsWith("inflow-"));
    assert.ok(!labels[0]!.includes(" "), "Jira labels hold no spaces");

    const updated = await postJira({ ...jiraEvent("SUP-8"), webhookEvent: "jira:issue_updated" });
    assert.equal(((await updated.json()) as { status: string }).status, "ignored");
    const invalid = await postJira({ webhookEvent: "jira:issue_created", timestamp: Date.now() });
    assert.equal(invalid.status, 400);
  });

  test("rate limited (429 + Retry-After) then a 500: retried with the same idempotency key, then done", async () => {
    desk.script({ status: 429, retryAfter: "1" }, { status: 500 });
    const before = desk.calls.length;
    const response = await postZendesk(zendeskEvent(77, "01HN-EVENT-RETRY"));
    assert.equal(response.status, 200);
    const calls = desk.calls.slice(before);
    assert.equal(calls.length, 3);
    assert.deepEqual(new Set(calls.map((c) => c.headers["idempotency-key"])).size, 1);
  });

  test("a help desk that stays slow or down: 503 with Retry-After, and the redelivery is then applied", async () => {
    desk.script(...Array.from({ length: 20 }, () => ({ delayMs: 1500 })));
    const slow = await postJira(jiraEvent("SUP-9"), { delivery: "delivery-slow" });
    assert.equal(slow.status, 503);
    assert.ok(Number(slow.headers.get("retry-after")) >= 1);
    desk.clearScript();
    const redelivered = await postJira(jiraEvent("SUP-9"), { delivery: "delivery-slow-2" });
    assert.equal(redelivered.status, 200);
  });

  test("a refused write-back (ticket gone: 404) is a 502, not retried", async () => {
    desk.script({ status: 404 });
    const before = desk.calls.length;
    const response = await postZendesk(zendeskEvent(404, "01HN-EVENT-GONE"));
    assert.equal(response.status, 502);
    assert.equal(desk.calls.length, before + 1);
  });

  test("generic JSON webhook: signed {id, text} is routed and answered", async () => {
    const raw = JSON.stringify({ id: "g-1", text: billing!.text });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const post = (signature: string) =>
      fetch(`${api.url}/api/webhooks/generic`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-inflow-timestamp": timestamp,
          "x-inflow-signature": signature,
        },
        body: raw,
      });
    const ok = await post(hubSignature(genericSecret, Buffer.from(`${timestamp}.${raw}`)));
    assert.equal(ok.status, 200);
    const result = (await ok.json()) as { status: string; written_back: boolean; department: string };
    assert.equal(result.status, "routed");
    assert.equal(result.written_back, false);
    assert.equal((await post(hubSignature(genericSecret, Buffer.from(raw)))).status, 401);
  });
});
