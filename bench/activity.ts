/**
 * The seed's forecaster backtested over the last 365 days of the generated chat, in Inflow (TS)
 * and in the seed's stack (scikit-learn KNeighborsRegressor, recursive; bench/activity_peer.py),
 * on the same series; Inflow's full model table, with the time of all forecasters' backtest
 * (scores, calibrated intervals, CRPS) against the peer's time for its one model; and the chosen
 * model's calibration on every chat of the generated family, against the model's previous defaults
 * and the all-zeros forecast (which selection metric would pick it). Prints one JSON document.
 * Run: node --import tsx bench/activity.ts [days]
 */
import { execFileSync } from "node:child_process";
import { backtest, type ModelScore } from "../src/activity/backtest.js";
import { seasonalNaive, zeros } from "../src/activity/forecasters/baselines.js";
import { knnReduction } from "../src/activity/forecasters/knn-reduction.js";
import { type SeasonalHurdleOptions, seasonalHurdle } from "../src/activity/forecasters/seasonal-hurdle.js";
import { activityFamily, generateActivity } from "../src/activity/generate.js";
import { hourlySeriesOf } from "../src/activity/series.js";
import { addDays } from "../src/activity/zone.js";

const days = Number(process.argv[2] ?? 365);
const generated = generateActivity();
const series = new Float64Array(generated.hours);
for (const m of generated.messages) series[Math.floor((m.timestamp - generated.start) / 3600)]! += 1;

// Same 24-hour origins as the peer (the peer does not know local DST days).
const seed = backtest(series, [knnReduction()], { days });
const inflowSeconds = seed.scores[0]!.seconds;
const peer = JSON.parse(
  execFileSync(".venv/bin/python", ["bench/activity_peer.py"], {
    input: JSON.stringify({ series: [...series], days, window: 168, horizon: 24 }),
    maxBuffer: 1 << 28,
  }).toString(),
) as { seconds: number; metrics: Record<string, number> };
const all = backtest(
  series,
  [knnReduction(), seasonalNaive(24), seasonalNaive(168), zeros, seasonalHurdle()],
  { days },
);

const round = (v: number) => Math.round(v * 1000) / 1000;
const rounded = (o: object) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]));

const allSeconds = all.scores.reduce((sum, s) => sum + s.seconds, 0);

// The seasonal hurdle as released before the shrunk active size and the burst level.
const previousDefaults: SeasonalHurdleOptions = {
  weekHalfLife: 8,
  dayHalfLife: 14,
  sizePrior: 0,
  burstHalfLife: 0,
};

// The chosen model on chats of other rhythms and sparsity, on their own local days.
const family = activityFamily().map(({ name, options }) => {
  const g = generateActivity(options);
  const lastDay = addDays(g.options.firstDay, g.options.days - 1);
  const s = hourlySeriesOf(g.messages, { zone: g.options.zone, firstDay: g.options.firstDay, lastDay });
  let empty = 0;
  for (const v of s.counts) if (v === 0) empty++;
  const run = (models: Parameters<typeof backtest>[1], selectBy: "rmse" | "crps" = "rmse") =>
    backtest(s.counts, models, { days, dayStarts: s.dayStarts, selectBy });
  const now = run([seasonalHurdle(), zeros]);
  const [score, none] = now.scores as [ModelScore, ModelScore];
  const byCrps = score.crps < none.crps ? score.model : none.model;
  const previous = run([seasonalHurdle(previousDefaults)]).scores[0]!;
  const pick = ({ smape, mae, rmseMean, dailySmape, crps, coverage80, activeCoverage80 }: ModelScore) => ({
    smape,
    mae,
    rmseMean,
    dailySmape,
    crps,
    coverage80,
    activeCoverage80,
  });
  return {
    chat: name,
    emptyShare: empty / s.counts.length,
    ...score,
    previousDefaults: rounded(pick(previous)),
    zeros: rounded({ rmse: none.rmse, crps: none.crps }),
    chosenByRmse: now.chosen,
    chosenByCrps: byCrps,
  };
});

const { seconds: _s, days: _d, hours: _h, model: _m, ...inflowMetrics } = seed.scores[0]!;
console.log(
  JSON.stringify(
    {
      series: { hours: series.length, messages: generated.messages.length, backtestDays: days },
      seedModel: {
        inflowSeconds: round(inflowSeconds),
        peerSeconds: round(peer.seconds),
        ratio: round(inflowSeconds / peer.seconds),
        inflow: Object.fromEntries(Object.entries(inflowMetrics).map(([k, v]) => [k, round(v as number)])),
        peer: Object.fromEntries(Object.entries(peer.metrics).map(([k, v]) => [k, round(v)])),
      },
      allModels: {
        inflowSeconds: round(allSeconds),
        peerSecondsForSeedModel: round(peer.seconds),
        ratio: round(allSeconds / peer.seconds),
      },
      models: all.scores.map(rounded),
      chosen: all.chosen,
      selectBy: all.selectBy,
      family: family.map(rounded),
    },
    null,
    2,
  ),
);
