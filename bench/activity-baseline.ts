/**
 * The activity model as it was when issue 16 was filed (the seasonal hurdle of commit 1bb42fe, the
 * last commit before the first work), scored by today's backtest (365 one-day-ahead origins,
 * same metrics) on every chat of the generated family. Writes bench/results/activity-baseline.json,
 * which `npm run bench:activity` prints next to today's model as the "vs issue-filing release"
 * column. The old model is imported from a checkout of that commit, so its code is the released one:
 *
 *   git worktree add --detach /tmp/activity-base 1bb42fe
 *   ln -s "$PWD/node_modules" /tmp/activity-base/node_modules
 *   node --import tsx bench/activity-baseline.ts /tmp/activity-base [days]
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { backtest } from "../src/activity/backtest.js";
import type { Forecaster } from "../src/activity/forecasters/types.js";
import { familySeries, referenceSeries } from "./activity-family.js";

const checkout = resolve(process.argv[2] ?? "/tmp/activity-base");
const days = Number(process.argv[3] ?? 365);
const commit = execFileSync("git", ["-C", checkout, "rev-parse", "HEAD"]).toString().trim();
const released = (await import(
  pathToFileURL(join(checkout, "src/activity/forecasters/seasonal-hurdle.ts")).href
)) as { seasonalHurdle: () => Forecaster };

/**
 * The released model's CDF summed its NB pmf from 0 at every call, which the scores' walks up the
 * counts make quadratic; the same values, tabulated per step as they are asked.
 */
function tabulated(model: Forecaster): Forecaster {
  return {
    name: model.name,
    fit(history) {
      const fitted = model.fit(history);
      return {
        forecast(horizon = 24) {
          const f = fitted.forecast(horizon);
          const cdf = f.cdf!;
          const tables = Array.from({ length: horizon }, (): number[] => []);
          return {
            ...f,
            cdf: (step: number, y: number) => {
              if (y < 0) return 0;
              const table = tables[step]!;
              while (table.length <= y) table.push(cdf(step, table.length));
              return table[y]!;
            },
          };
        },
      };
    },
  };
}

/** Five decimals: a one-message difference in MAE over a year of hours is 0.00011. */
const round = (x: number) => Math.round(x * 100_000) / 100_000;

function scores(chat: string, counts: Float64Array, dayStarts?: Int32Array) {
  const s = backtest(counts, [tabulated(released.seasonalHurdle())], {
    days,
    ...(dayStarts && { dayStarts }),
  }).scores[0]!;
  const row = {
    chat,
    smape: round(s.smape),
    mae: round(s.mae),
    rmse: round(s.rmse),
    rmseMean: round(s.rmseMean),
    dailySmape: round(s.dailySmape),
    crps: round(s.crps),
    pinball: round(s.pinball!),
    coverage80: round(s.coverage80!),
    activeCoverage80: round(s.activeCoverage80!),
  };
  console.error(JSON.stringify(row));
  return row;
}

// The model table's series (24-hour origins), then every chat of the family on its local days.
const reference = scores("reference (24-hour origins)", referenceSeries().series);
const chats = familySeries().map(({ chat, counts, dayStarts }) => scores(chat, counts, dayStarts));

const out = { commit, model: "seasonal-hurdle", backtestDays: days, reference, chats };
writeFileSync("bench/results/activity-baseline.json", `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
