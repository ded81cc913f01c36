/** The axes the two hourly activity charts share: local hour of day against messages per hour. */
import type { ChartOptions } from "chart.js";
import { AXIS_TITLE_COLOR, AXIS_TITLE_FONT } from "./chartjs.js";

export const MESSAGES_PER_HOUR = "Messages per hour";

export function hourlyScales(timeZone: string | undefined): ChartOptions<"bar" | "line">["scales"] {
  return {
    x: {
      type: "category",
      grid: { display: false },
      title: {
        display: true,
        text: timeZone ? `Hour of day (${timeZone})` : "Hour of day",
        color: AXIS_TITLE_COLOR,
        font: AXIS_TITLE_FONT,
      },
      ticks: { font: { size: 14 }, autoSkip: false, maxRotation: 0 },
    },
    y: {
      type: "linear",
      beginAtZero: true,
      title: { display: true, text: MESSAGES_PER_HOUR, color: AXIS_TITLE_COLOR, font: AXIS_TITLE_FONT },
      ticks: { font: { size: 14 }, precision: 0 },
    },
  };
}

/** Throws unless every value is a finite number ≥ 0 (message counts and their forecasts). */
export function assertCounts(values: readonly number[], what: string): void {
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`charts: ${what} must be finite and non-negative, got ${value}`);
    }
  }
}
