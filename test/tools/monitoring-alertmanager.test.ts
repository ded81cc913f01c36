/**
 * The shipped Alertmanager configuration and Telegram template, checked by Alertmanager's own amtool:
 * config validity (as the installed version reads it), and the message the template renders.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { monitoringDir, tool, writeAlertmanagerConfig } from "../harness/prometheus.js";
import { shippedRuleGroups } from "../harness/prometheus-contract.js";

interface AlertmanagerConfig {
  route: { receiver: string; group_by: string[] };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: { name: string; telegram_configs?: Record<string, unknown>[] }[];
}

async function shipped(): Promise<AlertmanagerConfig> {
  return parse(await readFile(join(monitoringDir, "alertmanager/alertmanager.yml"), "utf8"));
}

async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-amtool-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("amtool accepts the shipped config (token file or, on Alertmanager < 0.26, inline token)", async () => {
  await withTempDir(async (dir) => {
    const config = await writeAlertmanagerConfig(dir, { botToken: "123456:check" });
    const result = await tool("amtool", ["check-config", config]);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /3 inhibit rules/);
    assert.match(result.output, /1 templates/);
  });
});

test("amtool rejects a config whose route names a missing receiver", async () => {
  await withTempDir(async (dir) => {
    const path = await writeAlertmanagerConfig(dir, { botToken: "123456:check" });
    await writeFile(path, (await readFile(path, "utf8")).replace("receiver: telegram", "receiver: nobody"));
    const result = await tool("amtool", ["check-config", path]);
    assert.notEqual(result.code, 0, result.output);
  });
});

test("the Telegram receiver reads its token from a file and sends HTML", async () => {
  const config = await shipped();
  const receiver = config.receivers.find((r) => r.name === config.route.receiver);
  const telegram = receiver?.telegram_configs?.[0];
  assert.ok(telegram, "the default route goes to a Telegram receiver");
  assert.equal(telegram.bot_token, undefined, "no token in the config file");
  assert.match(String(telegram.bot_token_file), /^\//);
  assert.equal(typeof telegram.chat_id, "number");
  assert.equal(telegram.parse_mode, "HTML");
  assert.equal(telegram.send_resolved, true);
  assert.ok(config.route.group_by.includes("topic"), "one message per topic");
});

test("inhibition rules name alerts that exist", async () => {
  const alerts = new Set((await shippedRuleGroups()).flatMap((g) => g.rules).flatMap((r) => r.alert ?? []));
  for (const rule of (await shipped()).inhibit_rules) {
    for (const matcher of [...rule.source_matchers, ...rule.target_matchers]) {
      const name = /^alertname="(\w+)"$/.exec(matcher)?.[1];
      if (name) assert.ok(alerts.has(name), `inhibition names unknown alert ${name}`);
    }
  }
});

test("the Telegram template names topic, rate, threshold and Grafana panel, HTML-escaped", async () => {
  await withTempDir(async (dir) => {
    const data = {
      receiver: "telegram",
      status: "firing",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "InflowTopicRateHigh", topic: "Cards & <Prepaid>", severity: "warning" },
          annotations: {
            summary: "Cards & <Prepaid>: 12.5 predictions/min, above its threshold",
            description: "d",
            runbook: "r",
            rate_per_minute: "12.5",
            threshold_per_minute: "2.0",
            grafana_path: "/d/inflow-predictions/inflow-predictions?viewPanel=1&var-topic=Cards",
          },
        },
        {
          status: "resolved",
          labels: { alertname: "InflowApiDown", severity: "critical" },
          annotations: { summary: "The classify API is down", description: "d", runbook: "r" },
        },
      ],
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: "http://alertmanager",
    };
    const dataFile = join(dir, "data.json");
    await writeFile(dataFile, JSON.stringify(data));
    const result = await tool("amtool", [
      "template",
      "render",
      `--template.glob=${join(monitoringDir, "alertmanager/templates/*.tmpl")}`,
      '--template.text={{ template "inflow.telegram.message" . }}',
      `--template.data=${dataFile}`,
    ]);
    assert.equal(result.code, 0, result.output);
    const text = result.output;
    assert.match(text, /🔥 <b>InflowTopicRateHigh<\/b> \(warning\)/);
    assert.match(text, /Topic: <b>Cards &amp; &lt;Prepaid&gt;<\/b>/);
    assert.match(text, /Rate: <b>12\.5<\/b> predictions\/min \(threshold 2\.0\/min\)/);
    assert.match(
      text,
      /<a href="http:\/\/localhost:3000\/d\/inflow-predictions\/inflow-predictions\?viewPanel=1&amp;var-topic=Cards">Grafana panel<\/a>/,
    );
    assert.match(text, /✅ <b>InflowApiDown<\/b> resolved \(critical\)\nThe classify API is down/);
    assert.doesNotMatch(text, /<Prepaid>/, "label values are escaped");
  });
});
