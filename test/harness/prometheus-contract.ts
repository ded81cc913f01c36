/**
 * What monitoring/ may refer to: the series the API exports (read from the real ApiMetrics registry),
 * the series batch tasks push (the real run gauges and the result catalogue; the load forecast's
 * registry), the series the shipped recording rules record, and Prometheus' own `up`. Used to catch
 * a misspelt metric in a rule or panel.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { StreamMetrics } from "../../server/stream/metrics.js";
import { taskRunRegistry } from "../../src/monitoring/pushgateway.js";
import { taskResults } from "../../src/monitoring/task-results.js";
import { loadForecastRegistry } from "../../src/tickets/load-metrics.js";
import { monitoringDir } from "./prometheus.js";

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export async function shippedRuleFiles(): Promise<string[]> {
  const dir = join(monitoringDir, "rules");
  return (await readdir(dir)).filter((name) => name.endsWith(".yml")).map((name) => join(dir, name));
}

export async function shippedRuleGroups(): Promise<RuleGroup[]> {
  const groups: RuleGroup[] = [];
  for (const file of await shippedRuleFiles()) {
    groups.push(...(parse(await readFile(file, "utf8")) as { groups: RuleGroup[] }).groups);
  }
  return groups;
}

export async function knownSeries(): Promise<Set<string>> {
  const known = new Set<string>(["up"]);
  // The stream's registry holds the API's series and its own.
  const api = new StreamMetrics();
  for (const metric of await api.registry.getMetricsAsJSON()) {
    known.add(metric.name);
    // prom-client's typings declare a numeric enum; at runtime the type is its name.
    if (String(metric.type) === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) known.add(metric.name + suffix);
  }
  const pushed = taskRunRegistry({
    pipeline: "p",
    step: "s",
    date: "2024-01-01",
    status: "ok",
    durationSeconds: 1,
  });
  for (const metric of await pushed.getMetricsAsJSON()) known.add(metric.name);
  for (const result of Object.values(taskResults)) known.add(result.name);
  for (const metric of await loadForecastRegistry([]).getMetricsAsJSON()) known.add(metric.name);
  for (const group of await shippedRuleGroups()) {
    for (const rule of group.rules) if (rule.record) known.add(rule.record);
  }
  return known;
}

/**
 * The series names a PromQL expression selects: identifiers that look like Inflow's (inflow_*), like
 * prom-client's default Node metrics (process_*, nodejs_*) or like recording rules
 * (level:metric:operations), outside strings and label matchers; plus `up`.
 */
export function referencedSeries(expr: string): string[] {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, "{}");
  const names = new Set<string>();
  for (const match of bare.matchAll(
    /(?<![\w:])([a-zA-Z_][\w]*:[\w:]+|(?:inflow|process|nodejs)_\w+|up)(?![\w:(])/g,
  )) {
    names.add(match[1]!);
  }
  return [...names];
}
