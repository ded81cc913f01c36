/**
 * Writes one sample PNG of every chart, with realistic data, for looking at them:
 *   node --import tsx scripts/render-sample-charts.ts <outdir>
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  renderActivityDay,
  renderConfusionMatrix,
  renderForecast,
  renderTopicSizes,
} from "../src/charts/index.js";
import { departments } from "../src/tickets/generate-departments.js";
import { Rng } from "../src/util/random.js";

const usage = "usage: node --import tsx scripts/render-sample-charts.ts <outdir>";
const outDir = process.argv[2];
if (outDir === "--help" || outDir === "-h") {
  console.log(usage);
  process.exit(0);
}
if (!outDir || outDir.startsWith("-")) {
  console.error(usage);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const rng = new Rng(20240514);

/** The seed taxonomy's five topics. */
const SEED_TOPICS: string[] = [...departments];

// A held-out test set of the seed topics' classifier: mostly right, confusions between neighbours.
const confusion = [
  [1182, 41, 63, 12, 17],
  [38, 1004, 71, 9, 22],
  [57, 66, 1091, 25, 31],
  [14, 8, 21, 893, 15],
  [29, 34, 40, 19, 376],
];

// Twelve classes make the cells narrow: column labels rotate instead of wrapping.
const manyClasses = [
  ...SEED_TOPICS,
  "Debt collection",
  "Student loan",
  "Vehicle loan or lease",
  "Money transfer, virtual currency",
  "Payday loan, title loan, personal loan",
  "Checking or savings account",
  "Credit reporting",
];
const manyConfusion = manyClasses.map((_, trueClass) =>
  manyClasses.map((__, predicted) =>
    trueClass === predicted ? 300 + rng.int(600) : rng.next() < 0.5 ? rng.int(40) : 0,
  ),
);

// Messages per hour over a working day in the chat's time zone: quiet night, morning and afternoon peaks.
const dailyProfile = [2, 1, 1, 0.5, 0.5, 1, 3, 8, 18, 30, 36, 34, 27, 31, 35, 33, 28, 22, 16, 12, 9, 7, 5, 3];
const hourLabels = dailyProfile.map((_, hour) => String(hour).padStart(2, "0"));
const poisson = (mean: number) => Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));

const charts: [string, Buffer][] = [
  [
    "confusion-matrix.png",
    renderConfusionMatrix({
      labels: SEED_TOPICS,
      matrix: confusion,
      title: "Ticket topic classifier — test set, 2024-05-13",
      normalize: true,
    }),
  ],
  [
    "confusion-matrix-many-classes.png",
    renderConfusionMatrix({ labels: manyClasses, matrix: manyConfusion, title: "Twelve-class classifier" }),
  ],
  [
    "topic-sizes.png",
    renderTopicSizes({
      title: "Tickets per topic, week of 2024-05-06",
      topics: SEED_TOPICS.map((name, index) => ({
        name,
        size: confusion[index]!.reduce((a, b) => a + b, 0) * 4,
      })),
    }),
  ],
  [
    "activity-day.png",
    renderActivityDay({
      title: "Chat activity on Monday, 2024-05-13",
      subtitle: "Forecast error: sMAPE 21.4% · MAE 3.1 messages/hour",
      timeZone: "Europe/Moscow",
      hours: dailyProfile.map((mean, hour) => ({
        label: hourLabels[hour]!,
        actual: poisson(mean * 1.1),
        forecast: Math.round(mean * 10) / 10,
      })),
    }),
  ],
  [
    "forecast.png",
    renderForecast({
      title: "Forecast for Tuesday, 2024-05-14",
      subtitle: "Expected 425 messages (80% interval 360–497)",
      intervalLabel: "80% interval",
      timeZone: "Europe/Moscow",
      hours: dailyProfile.map((mean, hour) => {
        const spread = 1.28 * Math.sqrt(mean) + 0.5;
        return {
          label: hourLabels[hour]!,
          median: mean,
          low: Math.max(0, mean - spread),
          high: mean + spread * 1.2,
          mean: mean + 0.15 * spread,
        };
      }),
    }),
  ],
];

for (const [name, png] of charts) {
  writeFileSync(join(outDir, name), png);
  console.log(`${join(outDir, name)} (${png.length} bytes)`);
}
