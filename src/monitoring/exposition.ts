/**
 * Prometheus text exposition format (version 0.0.4), for the few gauges a batch task pushes:
 * small enough to write directly, so the task image needs no metrics library.
 */
export interface GaugeSample {
  labels?: Record<string, string>;
  value: number;
}

export interface Gauge {
  name: string;
  help: string;
  samples: GaugeSample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function renderGauges(gauges: Gauge[]): string {
  let text = "";
  for (const gauge of gauges) {
    if (gauge.samples.length === 0) continue;
    if (!metricName.test(gauge.name)) throw new Error(`invalid metric name "${gauge.name}"`);
    text += `# HELP ${gauge.name} ${gauge.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n`;
    text += `# TYPE ${gauge.name} gauge\n`;
    for (const sample of gauge.samples) {
      text += `${gauge.name}${renderLabels(sample.labels ?? {})} ${renderValue(sample.value)}\n`;
    }
  }
  return text;
}

function renderLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels);
  if (pairs.length === 0) return "";
  const rendered = pairs.map(([name, value]) => {
    if (!labelName.test(name) || name.startsWith("__")) throw new Error(`invalid label name "${name}"`);
    return `${name}="${escapeLabelValue(value)}"`;
  });
  return `{${rendered.join(",")}}`;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}
