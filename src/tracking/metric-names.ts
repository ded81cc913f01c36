import type { ClassificationReport } from "../classify/metrics.js";

/**
 * Inflow's tracked metric vocabulary: snake_case names grouped by `/` (`test/macro_f1`,
 * `fit/loss`, `truth/nmi`), the same name wherever the same quantity is measured, so runs of
 * different steps line up in MLflow's runs table, charts and compare view.
 */

/** Scores on the held-out tickets against their labels; train and evaluate both log these. */
export function heldOutMetrics(report: ClassificationReport): Record<string, number> {
  return {
    "test/accuracy": report.accuracy,
    "test/macro_f1": report.macro.f1,
    "test/weighted_f1": report.weighted.f1,
  };
}

/** `maxDf` → `max_df`: option objects logged as params in the same vocabulary. */
export function snakeCaseKeys<T extends object>(values: T): Record<string, T[keyof T]> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      value,
    ]),
  );
}
