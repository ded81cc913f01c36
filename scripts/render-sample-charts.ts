/**
 * Writes one sample PNG of every chart, with realistic data, for looking at them:
 *   node --import tsx scripts/render-sample-charts.ts <outdir>
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seasonalHurdle } from "../src/activity/forecasters/seasonal-hurdle.js";
import { activityFamily, generateActivity } from "../src/activity/generate.js";
import { chartHour, expectedTotalText, forecastRecord } from "../src/activity/pipeline/forecast-record.js";
import { hourLabels } from "../src/activity/pipeline/hour-labels.js";
import { hourlySeriesOf } from "../src/activity/series.js";
import { addDays, zonedMidnight } from "../src/activity/zone.js";
import {
  renderActivityDay,
  renderConfusionMatrix,
  renderForecast,
  renderTopicSizes,
} from "../src/charts/index.js";
import { departments } from "../src/tickets/generator/generate.js";
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

/**
 * Yesterday and today of a generated chat of the activity family, forecast by the seasonal hurdle
 * model as the pipeline does (calibrated 80% band, chance of any message).
 */
function activityCharts(chat: string, suffix: string): [string, Buffer][] {
  const { options } = activityFamily().find((c) => c.name === chat)!;
  const g = generateActivity(options);
  const zone = g.options.zone;
  const lastDay = addDays(g.options.firstDay, g.options.days - 1);
  const series = hourlySeriesOf(g.messages, { zone, firstDay: g.options.firstDay, lastDay });
  const yesterdayStart = series.dayStarts.at(-2)!;
  const forecastFrom = (origin: number, day: string) => {
    const start = series.start + 3600 * origin;
    const horizon = Math.round((zonedMidnight(addDays(day, 1), zone) - start) / 3600);
    const forecast = seasonalHurdle().fit(series.counts.subarray(0, origin)).forecast(horizon);
    const meta = { chat, zone, date: day, model: "seasonal-hurdle" };
    return forecastRecord(meta, start, hourLabels(start, horizon, zone), forecast);
  };
  const yesterday = forecastFrom(yesterdayStart, lastDay);
  const today = forecastFrom(series.counts.length, addDays(lastDay, 1));
  const band = "80% band: 8 in 10 hours land inside";
  return [
    [
      `activity-day${suffix}.png`,
      renderActivityDay({
        title: `${lastDay}: actual vs forecast`,
        subtitle: `generated "${chat}" chat · ${expectedTotalText(yesterday, "messages")}`,
        timeZone: zone,
        intervalLabel: band,
        hours: yesterday.hours.map((h, k) => ({
          label: h.label,
          actual: series.counts[yesterdayStart + k]!,
          forecast: chartHour(h),
        })),
      }),
    ],
    [
      `forecast${suffix}.png`,
      renderForecast({
        title: `Forecast for ${today.date}`,
        subtitle: `generated "${chat}" chat · ${expectedTotalText(today, "messages")}`,
        intervalLabel: band,
        timeZone: zone,
        hours: today.hours.map((h) => ({ label: h.label, ...chartHour(h) })),
      }),
    ],
  ];
}

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
  ...activityCharts("reference", ""),
  ...activityCharts("sparse", "-quiet"),
];

for (const [name, png] of charts) {
  writeFileSync(join(outDir, name), png);
  console.log(`${join(outDir, name)} (${png.length} bytes)`);
}
