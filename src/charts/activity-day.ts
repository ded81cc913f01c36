/**
 * Yesterday in the morning report: the hourly counts that happened (bars) against what was
 * forecast for those hours, drawn as on today's chart: the band behind, the expected count as a
 * vermillion dash (its legend total is the expected daily total the caption reports), the median
 * as a black dash.
 */
import type { ChartConfiguration } from "chart.js";
import { PHONE_CHART_SIZE, PHONE_PIXEL_RATIO } from "./canvas.js";
import { CHART_LOCALE, renderChartJs, seriesLegend, titleOptions } from "./chartjs.js";
import {
  assertCounts,
  assertHourForecast,
  bandDataset,
  type HourForecast,
  hourlyScales,
  MESSAGES_PER_HOUR,
  meanOffBand,
  medianDataset,
} from "./hourly-scales.js";
import { SERIES_COLORS } from "./palette.js";

export interface ActivityDayInput {
  title: string;
  /** One entry per local hour, "00".."23"; `forecast` absent where there was none. */
  hours: { label: string; actual: number; forecast?: HourForecast }[];
  /** IANA zone the hour labels are in, shown on the hour axis. */
  timeZone: string;
  subtitle?: string;
  /** Legend text for the forecast's band, e.g. "80% interval". */
  intervalLabel?: string;
  /** What is counted, for the count axis (default "Messages per hour"). */
  countTitle?: string;
}

export function renderActivityDay(input: ActivityDayInput): Buffer {
  const { hours } = input;
  if (hours.length === 0) throw new RangeError("charts: renderActivityDay needs at least one hour");
  const actual = hours.map((hour) => hour.actual);
  assertCounts(actual, "actual counts");
  for (const h of hours) if (h.forecast) assertHourForecast(h.label, h.forecast);
  const forecasts = hours.map((h) => h.forecast);
  const complete = forecasts.every((f) => f !== undefined);
  const known = forecasts.filter((f): f is HourForecast => f !== undefined);
  // Hours without a forecast draw nothing (a gap), never a zero.
  const orGap = (value: (f: HourForecast) => number) => forecasts.map((f) => (f ? value(f) : null));
  const expectedLabel =
    `Expected (mean), ${formatTotal(known.map((f) => f.mean))} in all` +
    (complete ? "" : ` over ${known.length} h`) +
    (meanOffBand(known) ? "; off the band in hours of rare bursts" : "");

  const config: ChartConfiguration<"bar" | "line"> = {
    type: "bar",
    data: {
      labels: hours.map((hour) => hour.label),
      datasets: [
        ...(complete && known.every((f) => f.band) && input.intervalLabel
          ? [bandDataset(known, input.intervalLabel)]
          : []),
        {
          type: "bar",
          label: `Actual, ${formatTotal(actual)} in all`,
          data: actual,
          backgroundColor: SERIES_COLORS.skyBlue,
          barPercentage: 0.5,
          categoryPercentage: 0.95,
          grouped: false,
          order: 2,
        },
        ...(known.length > 0
          ? [
              {
                type: "line" as const,
                label: expectedLabel,
                data: orGap((f) => f.mean),
                showLine: false,
                pointStyle: "line" as const,
                pointRadius: 9,
                pointBorderWidth: 4,
                borderColor: SERIES_COLORS.vermillion,
                backgroundColor: SERIES_COLORS.vermillion,
                order: 0,
              },
              { ...medianDataset(known), data: orGap((f) => f.median), order: 1 },
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
      scales: hourlyScales(input.timeZone, input.countTitle ?? MESSAGES_PER_HOUR),
    },
  };
  return renderChartJs(config, PHONE_CHART_SIZE, PHONE_PIXEL_RATIO);
}

function formatTotal(values: readonly number[]): string {
  const total = values.reduce((sum, value) => sum + value, 0);
  return Math.round(total).toLocaleString(CHART_LOCALE);
}
