/**
 * The shipped Prometheus configuration and rules, checked by Prometheus' own promtool: config and
 * rule syntax, the unit tests in monitoring/rules/tests (every alert fires when it should and stays
 * quiet when it should not), and what every alert must carry. Also: k8s/base/prometheus-rules.yaml
 * is the generated copy of the same rules.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { readRuleFiles, renderPrometheusRule } from "../../src/monitoring/prometheus-rule.js";
import { monitoringDir, tool } from "../harness/prometheus.js";
import {
  knownSeries,
  referencedSeries,
  shippedRuleFiles,
  shippedRuleGroups,
} from "../harness/prometheus-contract.js";

const repoRoot = join(monitoringDir, "..");
const testsDir = join(monitoringDir, "rules", "tests");

/** Every alert the issue asks for, by what it watches. */
const requiredAlerts = [
  "InflowTopicRateHigh",
  "InflowTopicShareDrift",
  "InflowLowConfidenceSurge",
  "InflowApiErrorRatioHigh",
  "InflowApiLatencySloBreach",
  "InflowModelStale",
  "InflowModelReloadFailing",
  "InflowPipelineStale",
  "InflowForecastSmapeWorsening",
  "InflowStreamLagGrowing",
  "InflowStreamDeadLetters",
  "InflowTicketLoadOutsideBand",
];

test("promtool accepts prometheus.yml and the rule files it loads", async () => {
  const result = await tool("promtool", ["check", "config", "prometheus.yml"]);
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /SUCCESS: 6 rule files found/);
});

test("promtool accepts every rule file", async () => {
  const result = await tool("promtool", ["check", "rules", ...(await shippedRuleFiles())]);
  assert.equal(result.code, 0, result.output);
});

test("promtool rule unit tests pass", async () => {
  const files = (await readdir(testsDir))
    .filter((name) => name.endsWith(".test.yml"))
    .map((n) => join(testsDir, n));
  const result = await tool("promtool", ["test", "rules", ...files], testsDir);
  assert.equal(result.code, 0, result.output);
});

test("promtool test rules fails when an expectation is wrong", async () => {
  // Guards the check above: the unit test of the topic alert, expecting the wrong topic, must fail.
  const original = await readFile(join(testsDir, "predictions.test.yml"), "utf8");
  const broken = original.replace(
    /exp_labels: \{\s*topic: "Theft\/Dispute reporting"/,
    'exp_labels: { topic: "Mortgages/loans"',
  );
  assert.notEqual(broken, original);
  const dir = await mkdtemp(join(tmpdir(), "inflow-promtool-"));
  try {
    await writeFile(
      join(dir, "broken.test.yml"),
      broken.replaceAll("../", `${join(monitoringDir, "rules")}/`),
    );
    const result = await tool("promtool", ["test", "rules", join(dir, "broken.test.yml")], dir);
    assert.notEqual(result.code, 0, result.output);
    assert.match(result.output, /InflowTopicRateHigh/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("every alert the issue asks for exists, with severity, summary, description, runbook and a Grafana link", async () => {
  const alerts = (await shippedRuleGroups()).flatMap((g) => g.rules).filter((r) => r.alert);
  const names = alerts.map((a) => a.alert);
  for (const required of requiredAlerts) assert.ok(names.includes(required), `missing alert ${required}`);
  for (const alert of alerts) {
    assert.match(alert.labels?.severity ?? "", /^(warning|critical)$/, `${alert.alert} severity`);
    for (const key of ["summary", "description", "runbook", "grafana_path"]) {
      assert.ok(alert.annotations?.[key]?.trim(), `${alert.alert} has no ${key}`);
    }
  }
});

test("every alert has a unit test where it fires and one where it stays quiet", async () => {
  const alerts = (await shippedRuleGroups())
    .flatMap((g) => g.rules)
    .flatMap((r) => (r.alert ? [r.alert] : []));
  const fires = new Set<string>();
  const quiet = new Set<string>();
  for (const name of (await readdir(testsDir)).filter((n) => n.endsWith(".test.yml"))) {
    const file = parse(await readFile(join(testsDir, name), "utf8")) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    };
    for (const check of file.tests.flatMap((t) => t.alert_rule_test ?? [])) {
      ((check.exp_alerts ?? []).length > 0 ? fires : quiet).add(check.alertname);
    }
  }
  for (const alert of alerts) {
    assert.ok(fires.has(alert), `no unit test where ${alert} fires`);
    assert.ok(quiet.has(alert), `no unit test where ${alert} stays quiet`);
  }
});

test("rules only use series the API exports, tasks push or rules record", async () => {
  const known = await knownSeries();
  for (const group of await shippedRuleGroups()) {
    for (const rule of group.rules) {
      for (const series of referencedSeries(rule.expr)) {
        assert.ok(known.has(series), `${rule.alert ?? rule.record} uses unknown series ${series}`);
      }
    }
  }
});

test("the series check catches a misspelt metric", async () => {
  const known = await knownSeries();
  const unknown = referencedSeries('sum by (topic) (rate(inflow_prediction_total{topic="x"}[5m]))');
  assert.deepEqual(unknown, ["inflow_prediction_total"]);
  assert.equal(known.has(unknown[0]!), false);
});

test("k8s/base/prometheus-rules.yaml is generated from the current rule files", async () => {
  // Compared as data: the lint step may reformat the generated YAML.
  const expected = parse(renderPrometheusRule(await readRuleFiles(repoRoot)));
  const actual = parse(await readFile(join(repoRoot, "k8s/base/prometheus-rules.yaml"), "utf8"));
  assert.deepEqual(actual, expected, "regenerate it: see src/monitoring/prometheus-rule.ts");
});
