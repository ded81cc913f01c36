/**
 * Tomorrow in the morning report: the forecast median per hour as a line, inside the shaded
 * prediction interval (the band filled between its low and high bounds).
 */
import type { ChartConfiguration } from "chart.js";
import { DEFAULT_CHART_SIZE } from "./canvas.js";
import { renderChartJs, seriesLegend, titleOptions } from "./chartjs.js";
import { assertCounts, hourlyScales } from "./hourly-scales.js";
import { SERIES_COLORS, withAlpha } from "./palette.js";

export interface ForecastInput {
  title: string;
  /** One entry per local hour, "00".."23"; low ≤ median ≤ high. */
  hours: { label: string; median: number; low: number; high: number; mean?: number }[];
  /** Legend text for the band, e.g. "80% interval". */
  intervalLabel: string;
  subtitle?: string;
  /** IANA zone the hour labels are in, shown on the hour axis when given. */
  timeZone?: string;
}

const BAND_LOW_LABEL = "interval low";

export function renderForecast(input: ForecastInput): Buffer {
  const { hours } = input;
  if (hours.length === 0) throw new RangeError("charts: renderForecast needs at least one hour");
  const low = hours.map((hour) => hour.low);
  const median = hours.map((hour) => hour.median);
  const high = hours.map((hour) => hour.high);
  assertCounts(low, "interval lows");
  assertCounts(median, "medians");
  assertCounts(high, "interval highs");
  for (const hour of hours) {
    if (!(hour.low <= hour.median && hour.median <= hour.high)) {
      throw new RangeError(`charts: hour ${hour.label} needs low ≤ median ≤ high`);
    }
  }
  const means = hours.map((hour) => hour.mean ?? null);
  const knownMeans = means.filter((value): value is number => value !== null);
  assertCounts(knownMeans, "means");

  const band = withAlpha(SERIES_COLORS.blue, 0.2);
  const config: ChartConfiguration<"line"> = {
    type: "line",
    data: {
      labels: hours.map((hour) => hour.label),
      datasets: [
        { label: BAND_LOW_LABEL, data: low, borderWidth: 0, pointRadius: 0, fill: false },
        {
          label: input.intervalLabel,
          data: high,
          borderWidth: 0,
          pointRadius: 0,
          backgroundColor: band,
          borderColor: band,
          // Fill down to the previous dataset: the band between low and high.
          fill: "-1",
        },
        {
          label: "Median forecast",
          data: median,
          borderColor: SERIES_COLORS.blue,
          backgroundColor: SERIES_COLORS.blue,
          borderWidth: 3,
          pointRadius: 3.5,
        },
        ...(knownMeans.length > 0
          ? [
              {
                label: "Mean forecast",
                data: means,
                borderColor: SERIES_COLORS.orange,
                backgroundColor: SERIES_COLORS.orange,
                borderWidth: 2.5,
                borderDash: [8, 6],
                pointRadius: 0,
              },
            ]
          : []),
      ],
    },
    options: {
      layout: { padding: { left: 8, right: 24, bottom: 8 } },
      plugins: {
        ...titleOptions(DEFAULT_CHART_SIZE.width, input.title, input.subtitle),
        legend: seriesLegend([BAND_LOW_LABEL]),
      },
      scales: hourlyScales(input.timeZone),
    },
  };
  return renderChartJs(config, DEFAULT_CHART_SIZE);
}
