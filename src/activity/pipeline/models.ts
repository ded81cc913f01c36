/**
 * The models the pipeline backtests and chooses from, with the parameters each is built with (what
 * `train` records so `forecast` can rebuild the chosen one). All of them fit in one pass over the
 * history, so `forecast` refits the chosen model on every hour before the day instead of storing
 * fitted state.
 */
import type { ModelScore, SelectionMetric } from "../backtest.js";
import { seasonalNaive, zeros } from "../forecasters/baselines.js";
import { knnReduction } from "../forecasters/knn-reduction.js";
import { seasonalHurdle } from "../forecasters/seasonal-hurdle.js";
import type { Forecaster } from "../forecasters/types.js";

export interface ModelSpec {
  forecaster: Forecaster;
  /** The options it was built with; empty means the library's documented defaults. */
  params: Record<string, number>;
}

export function candidateModels(): ModelSpec[] {
  return [
    { forecaster: knnReduction({ window: 168 }), params: { window: 168, neighbors: 1 } },
    { forecaster: seasonalNaive(24), params: { period: 24 } },
    { forecaster: seasonalNaive(168), params: { period: 168 } },
    { forecaster: zeros, params: {} },
    { forecaster: seasonalHurdle(), params: {} },
  ];
}

export function modelByName(name: string): ModelSpec | undefined {
  return candidateModels().find((m) => m.forecaster.name === name);
}

/**
 * Days of history every candidate needs before the first forecast origin: the kNN reduction needs
 * more than 168 hours, i.e. 8 local days (191 hours at worst, on a spring-forward week).
 */
export const MIN_HISTORY_DAYS = 8;

/** A backtest row as published: no timings, so a rerun publishes the same bytes. */
export type PublishedScore = Omit<ModelScore, "seconds">;

/** What `train` publishes: the chosen model and the evidence for the choice. */
export interface ModelChoice {
  chat: string;
  zone: string;
  /** Logical date of the run; the backtest and the choice use only days before it. */
  date: string;
  selectBy: SelectionMetric;
  backtestDays: number;
  /** Last local day of the backtest (the day before `date`). */
  through: string;
  chosen: string;
  params: Record<string, number>;
  scores: PublishedScore[];
}

const columns = [
  "model",
  "smape",
  "mae",
  "rmse",
  "rmseMean",
  "dailySmape",
  "crps",
  "pinball",
  "coverage50",
  "coverage80",
  "coverage95",
  "activeCoverage50",
  "activeCoverage80",
  "activeCoverage95",
  "dailyCoverage50",
  "dailyCoverage80",
  "dailyCoverage95",
  "pitCoverage80",
  "days",
  "hours",
] as const;

export function backtestCsv(scores: readonly PublishedScore[]): string {
  const rows = scores.map((s) => columns.map((c) => (s[c] === undefined ? "" : String(s[c]))).join(","));
  return `${columns.join(",")}\n${rows.join("\n")}\n`;
}
