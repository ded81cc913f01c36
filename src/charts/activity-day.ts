/**
 * Yesterday in the morning report: the hourly message counts that happened (bars) against what
 * the forecaster had said for those hours (line).
 */
import type { ChartConfiguration } from "chart.js";
import { DEFAULT_CHART_SIZE } from "./canvas.js";
import { CHART_LOCALE, renderChartJs, seriesLegend, titleOptions } from "./chartjs.js";
import { assertCounts, hourlyScales } from "./hourly-scales.js";
import { SERIES_COLORS } from "./palette.js";

export interface ActivityDayInput {
  title: string;
  /** One entry per local hour, "00".."23"; `forecast` absent where there was none. */
  hours: { label: string; actual: number; forecast?: number }[];
  /** IANA zone the hour labels are in, shown on the hour axis. */
  timeZone: string;
  subtitle?: string;
}

export function renderActivityDay(input: ActivityDayInput): Buffer {
  const { hours } = input;
  if (hours.length === 0) throw new RangeError("charts: renderActivityDay needs at least one hour");
  const actual = hours.map((hour) => hour.actual);
  assertCounts(actual, "actual counts");
  const forecast = hours.map((hour) => hour.forecast ?? null);
  const known = forecast.filter((value): value is number => value !== null);
  assertCounts(known, "forecasts");

  const config: ChartConfiguration<"bar" | "line"> = {
    type: "bar",
    data: {
      labels: hours.map((hour) => hour.label),
      datasets: [
        {
          type: "bar",
          label: `Actual (total ${formatTotal(actual)})`,
          data: actual,
          backgroundColor: SERIES_COLORS.skyBlue,
          barPercentage: 0.85,
          categoryPercentage: 0.9,
          // Drawn below the forecast line.
          order: 1,
        },
        ...(known.length > 0
          ? [
              {
                type: "line" as const,
                label:
                  known.length === hours.length
                    ? `Forecast (total ${formatTotal(known)})`
                    : `Forecast (total ${formatTotal(known)} over ${known.length} h)`,
                data: forecast,
                borderColor: SERIES_COLORS.vermillion,
                backgroundColor: SERIES_COLORS.vermillion,
                borderWidth: 3,
                pointRadius: 3.5,
                // A missing forecast hour shows as a gap, not a line drawn across it.
                spanGaps: false,
                order: 0,
              },
            ]
          : []),
      ],
    },
    options: {
      layout: { padding: { left: 8, right: 24, bottom: 8 } },
      plugins: {
        ...titleOptions(DEFAULT_CHART_SIZE.width, input.title, input.subtitle),
        legend: seriesLegend(),
      },
      scales: hourlyScales(input.timeZone),
    },
  };
  return renderChartJs(config, DEFAULT_CHART_SIZE);
}

function formatTotal(values: readonly number[]): string {
  const total = values.reduce((sum, value) => sum + value, 0);
  return Math.round(total).toLocaleString(CHART_LOCALE);
}
