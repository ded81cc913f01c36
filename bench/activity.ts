/**
 * The seed's forecaster backtested over the last 365 days of the generated chat, in Inflow (TS)
 * and in the seed's stack (scikit-learn KNeighborsRegressor, recursive; bench/activity_peer.py),
 * on the same series; Inflow's full model table, with the time of all forecasters' backtest
 * (scores, calibrated intervals, CRPS) against the peer's time for its one model; and the chosen
 * model's errors and calibration on every chat of the generated family, against the model as it was
 * when issue 16 was filed (bench/results/activity-baseline.json, written by bench/activity-baseline.ts
 * from a checkout of that commit; ratios now / then, below 1 is better) and the all-zeros forecast
 * (which selection metric would pick it). Prints one JSON document. `--no-peer` leaves the peer
 * out (it takes minutes to an hour on a loaded machine): the accuracy sections are complete, the
 * speed ratios absent.
 * Run: node --import tsx bench/activity.ts [days] [--no-peer]
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { backtest, type ModelScore } from "../src/activity/backtest.js";
import { seasonalNaive, zeros } from "../src/activity/forecasters/baselines.js";
import { knnReduction } from "../src/activity/forecasters/knn-reduction.js";
import { seasonalHurdle } from "../src/activity/forecasters/seasonal-hurdle.js";
import { familySeries, referenceSeries } from "./activity-family.js";

const days = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 365);
const withPeer = !process.argv.includes("--no-peer");
const { series, messages } = referenceSeries();

// Same 24-hour origins as the peer (the peer does not know local DST days).
const seed = backtest(series, [knnReduction()], { days });
const inflowSeconds = seed.scores[0]!.seconds;
const peer = withPeer
  ? (JSON.parse(
      execFileSync(".venv/bin/python", ["bench/activity_peer.py"], {
        input: JSON.stringify({ series: [...series], days, window: 168, horizon: 24 }),
        maxBuffer: 1 << 28,
      }).toString(),
    ) as { seconds: number; metrics: Record<string, number> })
  : undefined;
const all = backtest(
  series,
  [knnReduction(), seasonalNaive(24), seasonalNaive(168), zeros, seasonalHurdle()],
  { days },
);

const round = (v: number) => Math.round(v * 1000) / 1000;
const rounded = (o: object) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]));

const allSeconds = all.scores.reduce((sum, s) => sum + s.seconds, 0);

// The model as released when issue 16 was filed, scored by the same backtest (see the header).
const compared = ["smape", "mae", "rmseMean", "dailySmape", "crps", "pinball"] as const;
type Compared = Record<(typeof compared)[number], number>;
const baselineFile = "bench/results/activity-baseline.json";
const issueFiling = existsSync(baselineFile)
  ? (JSON.parse(readFileSync(baselineFile, "utf8")) as {
      commit: string;
      backtestDays: number;
      reference: Compared;
      chats: (Compared & { chat: string })[];
    })
  : undefined;
if (issueFiling === undefined)
  console.error(`${baselineFile} is missing: no comparison with the issue-filing release`);
else if (issueFiling.backtestDays !== days)
  throw new Error(`${baselineFile} holds a ${issueFiling.backtestDays}-day backtest, this run ${days} days`);
/** Today's figure over the issue-filing release's, per metric (below 1: better now). */
const ratios = (now: ModelScore, then: Compared) =>
  Object.fromEntries(compared.map((k) => [k, round(now[k]! / then[k])])) as Compared;

// The chosen model on chats of other rhythms and sparsity, on their own local days.
const family = familySeries().map(({ chat, counts, dayStarts, emptyShare }) => {
  const [score, none] = backtest(counts, [seasonalHurdle(), zeros], { days, dayStarts }).scores as [
    ModelScore,
    ModelScore,
  ];
  // Which of the two each metric would choose (the pipeline's default is CRPS).
  const byRmse = score.rmse < none.rmse ? score.model : none.model;
  const byCrps = score.crps < none.crps ? score.model : none.model;
  const then = issueFiling?.chats.find((c) => c.chat === chat);
  return {
    row: {
      chat,
      emptyShare,
      ...score,
      ...(then && { issueFiling: then, vsIssueFiling: ratios(score, then) }),
      zeros: rounded({ rmse: none.rmse, crps: none.crps }),
      chosenByRmse: byRmse,
      chosenByCrps: byCrps,
    },
    score,
    then,
  };
});

/**
 * Over the family, per metric: the geometric mean of the ratios now / then and the chats better,
 * equal (to five decimals, the baseline file's precision) or worse now.
 */
function familySummary() {
  const pairs = family.flatMap(({ score, then }) => (then ? [{ score, then }] : []));
  if (pairs.length === 0) return undefined;
  return Object.fromEntries(
    compared.map((k) => {
      const diffs = pairs.map(({ score, then }) => Math.round(score[k]! * 1e5) / 1e5 - then[k]);
      const logs = pairs.map(({ score, then }) => Math.log(score[k]! / then[k]));
      return [
        k,
        {
          geometricMeanRatio: round(Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length)),
          better: diffs.filter((d) => d < -1e-9).length,
          equal: diffs.filter((d) => Math.abs(d) <= 1e-9).length,
          worse: diffs.filter((d) => d > 1e-9).length,
        },
      ];
    }),
  );
}
const hurdle = all.scores.find((s) => s.model === "seasonal-hurdle")!;

const { seconds: _s, days: _d, hours: _h, model: _m, ...inflowMetrics } = seed.scores[0]!;
console.log(
  JSON.stringify(
    {
      series: { hours: series.length, messages, backtestDays: days },
      seedModel: {
        inflowSeconds: round(inflowSeconds),
        ...(peer && { peerSeconds: round(peer.seconds), ratio: round(inflowSeconds / peer.seconds) }),
        inflow: Object.fromEntries(Object.entries(inflowMetrics).map(([k, v]) => [k, round(v as number)])),
        ...(peer && {
          peer: Object.fromEntries(Object.entries(peer.metrics).map(([k, v]) => [k, round(v)])),
        }),
      },
      allModels: {
        inflowSeconds: round(allSeconds),
        ...(peer && {
          peerSecondsForSeedModel: round(peer.seconds),
          ratio: round(allSeconds / peer.seconds),
        }),
      },
      models: all.scores.map(rounded),
      chosen: all.chosen,
      selectBy: all.selectBy,
      ...(issueFiling && {
        issueFiling: {
          commit: issueFiling.commit,
          seasonalHurdle: issueFiling.reference,
          vsIssueFiling: ratios(hurdle, issueFiling.reference),
          family: familySummary(),
        },
      }),
      family: family.map(({ row }) => rounded(row)),
    },
    null,
    2,
  ),
);
