/**
 * The provisioned Grafana dashboards: every PromQL expression (panels, annotations, variables) is
 * parsed by Prometheus' own parser (promtool check rules on a generated rule file), selects only
 * known series, and every alert's Grafana link names a panel that exists.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { stringify } from "yaml";
import { monitoringDir, tool } from "../harness/prometheus.js";
import { knownSeries, referencedSeries, shippedRuleGroups } from "../harness/prometheus-contract.js";

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  annotations: { list: { name: string; expr?: string }[] };
  templating: { list: { name: string; type: string; query?: { query: string } | string }[] };
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's syntax for the datasource variable.
const datasourceVariable = "${datasource}";
const dashboardsDir = join(monitoringDir, "grafana", "dashboards");

async function dashboards(): Promise<Dashboard[]> {
  const names = (await readdir(dashboardsDir)).filter((name) => name.endsWith(".json"));
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(dashboardsDir, name), "utf8"))),
  );
}

interface Expression {
  where: string;
  expr: string;
}

/** Every PromQL expression of a dashboard; label_values(<selector>, label) contributes its selector. */
function expressions(dashboard: Dashboard): Expression[] {
  const found: Expression[] = [];
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) {
      found.push({
        where: `${dashboard.uid} panel ${panel.id} (${panel.title}) ${target.refId}`,
        expr: target.expr,
      });
    }
  }
  for (const annotation of dashboard.annotations.list) {
    if (annotation.expr)
      found.push({ where: `${dashboard.uid} annotation ${annotation.name}`, expr: annotation.expr });
  }
  for (const variable of dashboard.templating.list.filter((v) => v.type === "query")) {
    const query = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
    const selector = /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1] ?? query;
    found.push({ where: `${dashboard.uid} variable ${variable.name}`, expr: selector });
  }
  return found;
}

/** Grafana's macros become durations; $variables are only used inside label matcher strings. */
function asPromql(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$__interval", "1m")
    .replaceAll("$__range", "1h");
}

/** Runs promtool check rules on the expressions as recording rules; returns its result. */
async function promtoolParse(exprs: Expression[]): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-dashboards-"));
  try {
    const rules = exprs.map(({ expr }, i) => ({ record: `dashboard_expression_${i}`, expr: asPromql(expr) }));
    const file = join(dir, "dashboard-expressions.yml");
    await writeFile(file, stringify({ groups: [{ name: "dashboard-expressions", rules }] }));
    return await tool("promtool", ["check", "rules", file], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("every dashboard expression parses with Prometheus' parser", async () => {
  const all = (await dashboards()).flatMap(expressions);
  assert.ok(all.length >= 30, `found only ${all.length} expressions`);
  const result = await promtoolParse(all);
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, new RegExp(`SUCCESS: ${all.length} rules found`));
});

test("the parser check rejects a broken expression", async () => {
  const result = await promtoolParse([
    { where: "test", expr: "sum by (topic) (rate(inflow_predictions_total[5m])" },
  ]);
  assert.notEqual(result.code, 0, result.output);
});

test("dashboard expressions only use series the API exports, tasks push or rules record", async () => {
  const known = await knownSeries();
  for (const { where, expr } of (await dashboards()).flatMap(expressions)) {
    for (const series of referencedSeries(expr))
      assert.ok(known.has(series), `${where} uses unknown series ${series}`);
  }
});

test("dashboards have unique uids and panel ids, and read the provisioned Prometheus", async () => {
  const all = await dashboards();
  assert.deepEqual(all.map((d) => d.uid).sort(), [
    "inflow-api",
    "inflow-pipelines",
    "inflow-predictions",
    "inflow-stream",
  ]);
  for (const dashboard of all) {
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `${dashboard.uid} has duplicate panel ids`);
    assert.ok(dashboard.templating.list.some((v) => v.name === "datasource" && v.type === "datasource"));
    for (const panel of dashboard.panels) {
      assert.equal(panel.datasource?.uid, datasourceVariable, `${dashboard.uid} panel ${panel.id}`);
      assert.ok((panel.targets ?? []).length > 0, `${dashboard.uid} panel ${panel.id} has no query`);
    }
  }
});

test("the dashboards cover what the issue asks for", async () => {
  const exprs = (await dashboards()).flatMap(expressions).map((e) => e.expr);
  const covers = (pattern: RegExp) => exprs.some((expr) => pattern.test(expr));
  assert.ok(covers(/topic:inflow_predictions:rate5m/), "topic rates");
  assert.ok(covers(/topic:inflow_predictions:share5m/), "topic shares");
  assert.ok(covers(/department:inflow_predictions/), "routing by department");
  assert.ok(covers(/low_confidence/), "confidence");
  assert.ok(covers(/inflow_http_request_duration_seconds/), "latency");
  assert.ok(covers(/inflow_http_requests_total/), "throughput");
  assert.ok(covers(/inflow_model_info/), "model version over time");
  assert.ok(covers(/inflow_task_success_age_seconds/), "pipeline freshness");
  assert.ok(covers(/inflow_task_forecast_expected_messages/), "forecast activity per day");
  assert.ok(covers(/inflow_task_actual_hour_messages/), "actual activity per hour");
  assert.ok(covers(/(?<!inflow_)process_resident_memory_bytes/), "Node's default metrics, unprefixed");
  assert.ok(
    covers(/inflow_routed_tickets/) && covers(/inflow_load_forecast_upper_tickets/),
    "routed ticket load vs its forecast band",
  );
  assert.ok(covers(/inflow_stream_consumer_lag/), "stream consumer lag");
  assert.ok(covers(/inflow_stream_records_total/), "stream throughput");
});

test("every alert's Grafana link names an existing dashboard and panel", async () => {
  const panels = new Map((await dashboards()).map((d) => [d.uid, new Set(d.panels.map((p) => p.id))]));
  for (const rule of (await shippedRuleGroups()).flatMap((g) => g.rules).filter((r) => r.alert)) {
    const link = /^\/d\/([\w-]+)\/[\w-]+\?viewPanel=(\d+)/.exec(rule.annotations?.grafana_path ?? "");
    assert.ok(link, `${rule.alert}: grafana_path ${rule.annotations?.grafana_path}`);
    assert.ok(panels.get(link[1]!)?.has(Number(link[2])), `${rule.alert} links to a missing panel`);
  }
});
