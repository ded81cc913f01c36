/**
 * k8s/base/prometheus-rules.yaml is generated from monitoring/rules/*.yml (the files promtool tests),
 * so Kubernetes runs exactly the tested rules: a PrometheusRule (Prometheus Operator) holding every
 * group, in file order. Regenerate after editing a rule file (then let Biome format it):
 *   node --import tsx -e 'await (await import("./src/monitoring/prometheus-rule.ts")).writePrometheusRule()'
 *   npx biome check --write k8s/base/prometheus-rules.yaml
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export const prometheusRulePath = "k8s/base/prometheus-rules.yaml";
export const rulesDir = "monitoring/rules";

export interface RuleFile {
  name: string;
  text: string;
}

export function renderPrometheusRule(files: RuleFile[]): string {
  const groups = files
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((file) => (parse(file.text) as { groups: unknown[] }).groups);
  const resource = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "inflow",
      labels: { "app.kubernetes.io/name": "inflow", "app.kubernetes.io/component": "monitoring" },
    },
    spec: { groups },
  };
  const header = `# Generated from ${rulesDir}/*.yml by src/monitoring/prometheus-rule.ts: edit those files, not this one.\n`;
  return header + stringify(resource, { lineWidth: 0 });
}

export async function readRuleFiles(root = "."): Promise<RuleFile[]> {
  const names = (await readdir(join(root, rulesDir))).filter((name) => name.endsWith(".yml"));
  return Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(root, rulesDir, name), "utf8") })),
  );
}

export async function writePrometheusRule(root = "."): Promise<void> {
  await writeFile(join(root, prometheusRulePath), renderPrometheusRule(await readRuleFiles(root)));
}
