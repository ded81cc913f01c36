/**
 * End to end with the real tools: `inflow serve` (built CLI) ← Prometheus (shipped scrape job and
 * rules) → Alertmanager (shipped config and Telegram template) → the Telegram Bot API double.
 * Traffic skewed toward Theft/Dispute reporting must produce one Telegram message naming the topic,
 * its rate and its threshold; Mortgages/loans, with the same threshold and little traffic, must not.
 * Test-only changes, all outside the alert expressions: 1 s scrape and evaluation, thresholds of
 * 10/min (shipped: rules/thresholds.yml), no `for:` on InflowTopicRateHigh, 1 s Alertmanager grouping.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse, stringify } from "yaml";
import { postJson, spawnServe, testModel } from "../harness/api-server.js";
import {
  monitoringDir,
  queryPrometheus,
  startAlertmanager,
  startPrometheus,
  tool,
  writeAlertmanagerConfig,
} from "../harness/prometheus.js";
import { fixtureTickets, writeRoutingModel } from "../harness/routing-model-fixture.js";
import { TelegramBotApiDouble } from "../harness/telegram-bot-double.js";

const theft = "Theft/Dispute reporting";
const mortgages = "Mortgages/loans";
const testThresholdPerMinute = 10;
const botToken = "123456:inflow-e2e-token";
const chatId = -1001234;

interface RuleFile {
  groups: { name: string; rules: Record<string, unknown>[] }[];
}

/** The shipped rule files with the test's thresholds and no `for:` on the topic rate alert. */
async function writeTestRules(dir: string): Promise<void> {
  await mkdir(dir);
  const rulesDir = join(monitoringDir, "rules");
  for (const file of (await readdir(rulesDir)).filter((f) => f.endsWith(".yml"))) {
    const rules = parse(await readFile(join(rulesDir, file), "utf8")) as RuleFile;
    for (const group of rules.groups) {
      const thresholds = group.rules.filter(
        (r) => r.record === "topic:inflow_predictions_per_minute:threshold",
      );
      if (thresholds.length > 0) {
        group.rules = group.rules.filter((r) => !thresholds.includes(r));
        for (const topic of [theft, mortgages]) {
          group.rules.push({
            ...thresholds[0],
            expr: `vector(${testThresholdPerMinute})`,
            labels: { topic },
          });
        }
      }
      for (const rule of group.rules) if (rule.alert === "InflowTopicRateHigh") delete rule.for;
    }
    await writeFile(join(dir, file), stringify(rules));
  }
}

/** The shipped prometheus.yml, scraping only the test API every second and alerting the test Alertmanager. */
async function writePrometheusConfig(dir: string, apiUrl: string, alertmanagerUrl: string): Promise<string> {
  const config = parse(await readFile(join(monitoringDir, "prometheus.yml"), "utf8"));
  config.global.scrape_interval = "1s";
  config.global.evaluation_interval = "1s";
  config.rule_files = [join(dir, "rules", "*.yml")];
  config.alerting.alertmanagers[0].static_configs[0].targets = [new URL(alertmanagerUrl).host];
  const api = config.scrape_configs.find((job: { job_name: string }) => job.job_name === "inflow-api");
  api.static_configs[0].targets = [new URL(apiUrl).host];
  config.scrape_configs = [api];
  const path = join(dir, "prometheus.yml");
  await writeFile(path, stringify(config));
  return path;
}

async function waitFor<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("a Theft/Dispute surge fires the shipped alert and Alertmanager delivers it to Telegram", {
  timeout: 150_000,
}, async (t) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
  const dir = await mkdtemp(join(tmpdir(), "inflow-monitoring-e2e-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));

  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, testModel(), "e2e-v1");
  const api = await spawnServe({
    INFLOW_MODEL: modelPath,
    INFLOW_STORE: `file://${join(dir, "store")}`,
    INFLOW_MODEL_POLL_SECONDS: "0",
    INFLOW_API_ACCESS_LOG: "false",
  });
  cleanups.push(async () => {
    api.child.kill("SIGKILL");
    await api.exited;
  });

  const telegram = await TelegramBotApiDouble.start();
  cleanups.push(() => telegram.stop());
  const alertmanagerConfig = await writeAlertmanagerConfig(dir, {
    apiUrl: telegram.apiRoot,
    chatId,
    botToken,
    groupWait: "1s",
    groupInterval: "1s",
  });
  const amCheck = await tool("amtool", ["check-config", alertmanagerConfig]);
  assert.equal(amCheck.code, 0, amCheck.output);
  const alertmanager = await startAlertmanager(alertmanagerConfig);
  cleanups.push(() => alertmanager.stop());

  await writeTestRules(join(dir, "rules"));
  const prometheusConfig = await writePrometheusConfig(dir, api.url, alertmanager.url);
  const promCheck = await tool("promtool", ["check", "config", prometheusConfig]);
  assert.equal(promCheck.code, 0, promCheck.output);
  const prometheus = await startPrometheus(prometheusConfig);
  cleanups.push(() => prometheus.stop());

  await waitFor("Prometheus to scrape inflow serve", 30_000, async () => {
    const up = await queryPrometheus(prometheus.url, 'up{job="inflow-api"} == 1');
    return up.length === 1 ? true : undefined;
  });

  // 12 rounds a second apart, each 20 Theft/Dispute tickets and 1 Mortgages/loans ticket.
  const tickets = fixtureTickets(400, 11);
  const theftTickets = tickets.filter((ticket) => ticket.topicId === 2);
  const mortgageTickets = tickets.filter((ticket) => ticket.topicId === 3);
  const predicted = new Map<string, number>();
  for (let round = 0; round < 12; round++) {
    const batch = [
      ...Array.from({ length: 20 }, (_, i) => theftTickets[(round * 20 + i) % theftTickets.length]!),
      mortgageTickets[round % mortgageTickets.length]!,
    ].map(({ id, text }) => ({ id, text }));
    const response = await postJson(`${api.url}/api/predict`, batch);
    assert.equal(response.status, 200, await response.clone().text());
    const { predictions } = (await response.json()) as { predictions: { topic: string }[] };
    for (const { topic } of predictions) predicted.set(topic, (predicted.get(topic) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.ok(
    (predicted.get(theft) ?? 0) >= 200,
    `the model should mostly predict ${theft}: ${[...predicted]}`,
  );

  const message = await waitFor("the Telegram message", 90_000, async () =>
    telegram.posts().find((call) => call.method === "sendMessage" && call.params.text?.includes(theft)),
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nAlertmanager log:\n${alertmanager.output().slice(-3000)}`);
  });

  assert.equal(message.token, botToken);
  assert.equal(message.params.chat_id, String(chatId));
  assert.equal(message.params.parse_mode, "HTML");
  const text = message.params.text!;
  t.diagnostic(`Telegram message:\n${text}`);
  assert.match(text, /InflowTopicRateHigh/);
  assert.match(text, /Topic: <b>Theft\/Dispute reporting<\/b>/);
  const rate = /Rate: <b>(\d+\.\d)<\/b> predictions\/min \(threshold (\d+\.\d)\/min\)/.exec(text);
  assert.ok(rate, `the message names the rate and threshold:\n${text}`);
  assert.equal(Number(rate[2]), testThresholdPerMinute);
  // The alert fired on a rate above the threshold; shown to one decimal, 10.04 reads "10.0".
  assert.ok(Number(rate[1]) >= testThresholdPerMinute, `rate ${rate[1]} is not below the threshold`);
  // Prometheus itself still computes the topic above its threshold from the shipped recording rule.
  const [now] = await queryPrometheus(
    prometheus.url,
    `topic:inflow_predictions:rate5m{topic="${theft}"} * 60`,
  );
  assert.ok(now, "Prometheus has the topic's rate");
  assert.ok(Number(now.value[1]) > testThresholdPerMinute);
  assert.match(
    text,
    /href="http:\/\/localhost:3000\/d\/inflow-predictions\/[^"]*var-topic=Theft%2FDispute\+reporting"/,
  );
  for (const call of telegram.posts()) {
    assert.doesNotMatch(call.params.text ?? "", /Mortgages/, "Mortgages/loans stayed under its threshold");
  }
});
