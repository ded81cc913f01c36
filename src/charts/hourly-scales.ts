/**
 * What the hourly forecast charts share: the hour axis, centred (each hour's bar, band and markers
 * sit in the middle of its slot, on every chart alike), the count axis, an optional probability
 * axis, and how the predictive distribution is drawn.
 */
import type { ChartDataset, ChartOptions } from "chart.js";
import { AXIS_TITLE_COLOR, AXIS_TITLE_FONT } from "./chartjs.js";
import { SERIES_COLORS, TEXT_COLOR, withAlpha } from "./palette.js";

export const MESSAGES_PER_HOUR = "Messages per hour";

/** A dataset of an hourly chart (bars, floating bars or point markers). */
export type HourlyDataset = ChartDataset<"bar" | "line", (number | [number, number] | null)[]>;

/** One hour of a forecast: the expected count, the median and, for probabilistic models, more. */
export interface HourForecast {
  mean: number;
  median: number;
  /** Prediction interval [low, high], inclusive. */
  band?: [number, number];
  /** Probability of at least one event in the hour. */
  pActive?: number;
}

/**
 * `probabilityMax`: top of the right-hand 0–100% axis for the chance of any event, or none. A quiet
 * chat's chances of a few percent get an axis to 10 or 20%, so their daily shape stays visible.
 */
export function hourlyScales(
  timeZone: string | undefined,
  countTitle = MESSAGES_PER_HOUR,
  probabilityMax?: number,
): ChartOptions<"bar" | "line">["scales"] {
  const axisTitle = (text: string) => ({
    display: true,
    text,
    color: AXIS_TITLE_COLOR,
    font: AXIS_TITLE_FONT,
  });
  return {
    x: {
      type: "category",
      offset: true,
      grid: { display: false },
      title: axisTitle(timeZone ? `Hour of day (${timeZone})` : "Hour of day"),
      // Every third hour labelled: 24 labels do not fit a phone screen.
      ticks: {
        font: { size: 14 },
        autoSkip: false,
        maxRotation: 0,
        callback(_value, index) {
          return index % 3 === 0 ? this.getLabelForValue(index) : "";
        },
      },
    },
    y: {
      type: "linear",
      beginAtZero: true,
      title: axisTitle(countTitle),
      ticks: { font: { size: 14 }, precision: 0 },
    },
    ...(probabilityMax === undefined
      ? {}
      : {
          y1: {
            type: "linear" as const,
            position: "right" as const,
            min: 0,
            max: probabilityMax,
            grid: { display: false },
            title: axisTitle("Chance of any, %"),
            ticks: { font: { size: 14 }, stepSize: probabilityMax / 4 },
          },
        }),
  };
}

/** 100, or the smallest of 10, 20, 40 and 60 that holds the largest chance (in %). */
export function probabilityAxisMax(percents: readonly number[]): number {
  const top = Math.max(0, ...percents);
  return [10, 20, 40, 60].find((max) => top <= max) ?? 100;
}

/** 20% Okabe–Ito blue: the prediction band on every hourly chart. */
export const BAND_COLOR = withAlpha(SERIES_COLORS.blue, 0.2);

/** The prediction band as floating bars [low, high], one per hour, behind everything else. */
export function bandDataset(hours: readonly HourForecast[], label: string): HourlyDataset {
  return {
    type: "bar",
    label,
    data: hours.map((h) => h.band ?? [h.median, h.median]),
    backgroundColor: BAND_COLOR,
    borderColor: withAlpha(SERIES_COLORS.blue, 0.6),
    borderWidth: 1,
    borderSkipped: false,
    // A [0, 0] band still shows as a hairline at zero: "no messages expected", not "no data".
    minBarLength: 2,
    barPercentage: 0.95,
    categoryPercentage: 0.95,
    grouped: false,
    order: 3,
  };
}

/** The median as a short black dash per hour (the middle of the predictive distribution). */
export function medianDataset(hours: readonly HourForecast[], label = "Median"): HourlyDataset {
  return {
    type: "line",
    label,
    data: hours.map((h) => h.median),
    showLine: false,
    pointStyle: "line",
    pointRadius: 9,
    pointBorderWidth: 3,
    borderColor: TEXT_COLOR,
    backgroundColor: TEXT_COLOR,
    order: 0,
  };
}

/**
 * Whether any hour's expected count lies off its band: above it where rare bursts lift the mean over
 * a band of likely counts, below it where the band of an hour that is rarely active leaves 0 out.
 */
export function meanOffBand(hours: readonly HourForecast[]): boolean {
  return hours.some((h) => h.band !== undefined && (h.mean > h.band[1] || h.mean < h.band[0]));
}

/** Throws unless every value is a finite number ≥ 0 (message counts and their forecasts). */
export function assertCounts(values: readonly number[], what: string): void {
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`charts: ${what} must be finite and non-negative, got ${value}`);
    }
  }
}

/**
 * Validates an hour's forecast: finite counts, low ≤ high, a probability in [0, 1]. The median may
 * lie outside the band: an hour that is empty on a little over half of the days has median 0, while
 * the day's calibrated band there holds the active outcomes.
 */
export function assertHourForecast(label: string, h: HourForecast): void {
  assertCounts([h.mean, h.median, ...(h.band ?? [])], `forecast of hour ${label}`);
  if (h.band && !(h.band[0] <= h.band[1])) {
    throw new RangeError(`charts: hour ${label} needs low ≤ high`);
  }
  if (h.pActive !== undefined && !(h.pActive >= 0 && h.pActive <= 1)) {
    throw new RangeError(`charts: hour ${label} needs a probability in [0, 1], got ${h.pActive}`);
  }
}
