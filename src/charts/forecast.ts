/**
 * Today in the morning report, from the predictive distribution of each hour: the expected count
 * as bars (they sum to the expected total), the prediction band as floating bars behind them, the
 * median as a dash, and the chance of any message as a line on a 0–100% axis, which is what a quiet
 * chat's forecast is mostly about. Where an expected count lies off its hour's band (rare bursts
 * lift it above; a rarely active hour's band leaves 0 out), the legend says so.
 */
import type { ChartConfiguration } from "chart.js";
import { PHONE_CHART_SIZE, PHONE_PIXEL_RATIO } from "./canvas.js";
import { renderChartJs, seriesLegend, titleOptions } from "./chartjs.js";
import {
  assertHourForecast,
  bandDataset,
  type HourForecast,
  hourlyScales,
  MESSAGES_PER_HOUR,
  meanOffBand,
  medianDataset,
  probabilityAxisMax,
} from "./hourly-scales.js";
import { SERIES_COLORS } from "./palette.js";

export interface ForecastInput {
  title: string;
  /** One entry per local hour, "00".."23". */
  hours: (HourForecast & { label: string })[];
  /** Legend text for the band, e.g. "80% interval"; used when the hours have bands. */
  intervalLabel: string;
  subtitle?: string;
  /** IANA zone the hour labels are in, shown on the hour axis when given. */
  timeZone?: string;
  /** What is counted, for the count axis (default "Messages per hour"). */
  countTitle?: string;
}

export function renderForecast(input: ForecastInput): Buffer {
  const { hours } = input;
  if (hours.length === 0) throw new RangeError("charts: renderForecast needs at least one hour");
  for (const h of hours) assertHourForecast(h.label, h);
  const withBand = hours.every((h) => h.band !== undefined);
  const withProbability = hours.every((h) => h.pActive !== undefined);
  const percents = hours.map((h) => 100 * (h.pActive ?? 0));
  const expected = hours.reduce((sum, h) => sum + h.mean, 0);

  const config: ChartConfiguration<"bar" | "line"> = {
    type: "bar",
    data: {
      labels: hours.map((h) => h.label),
      datasets: [
        ...(withBand ? [bandDataset(hours, input.intervalLabel)] : []),
        {
          type: "bar" as const,
          label:
            `Expected (mean), ${Math.round(expected).toLocaleString("en-US")} in all` +
            (meanOffBand(hours) ? "; off the band in hours of rare bursts" : ""),
          data: hours.map((h) => h.mean),
          backgroundColor: SERIES_COLORS.blue,
          barPercentage: 0.4,
          categoryPercentage: 0.95,
          grouped: false,
          order: 2,
        },
        medianDataset(hours),
        ...(withProbability
          ? [
              {
                type: "line" as const,
                label: "Chance of any, % (right axis)",
                data: percents,
                yAxisID: "y1",
                borderColor: SERIES_COLORS.orange,
                backgroundColor: SERIES_COLORS.orange,
                borderWidth: 2.5,
                borderDash: [6, 4],
                pointRadius: 0,
                order: 1,
              },
            ]
          : []),
      ],
    },
    options: {
      layout: { padding: { left: 4, right: 8, bottom: 4 } },
      plugins: {
        ...titleOptions(PHONE_CHART_SIZE.width, input.title, input.subtitle),
        legend: seriesLegend(),
      },
      scales: hourlyScales(
        input.timeZone,
        input.countTitle ?? MESSAGES_PER_HOUR,
        withProbability ? probabilityAxisMax(percents) : undefined,
      ),
    },
  };
  return renderChartJs(config, PHONE_CHART_SIZE, PHONE_PIXEL_RATIO);
}
