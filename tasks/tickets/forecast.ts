import type { SelectionMetric } from "../../src/activity/backtest.js";
import { selectionMetrics } from "../../src/activity/config.js";
import { chartHour, expectedTotalText, totalBand80 } from "../../src/activity/pipeline/forecast-record.js";
import { addDays } from "../../src/activity/zone.js";
import { renderForecast } from "../../src/charts/index.js";
import { Publication } from "../../src/store/publish.js";
import {
  backtestDaysFor,
  departmentSlug,
  forecastLoad,
  LOAD_DAYS_AHEAD,
  LOAD_ZONE,
  type LoadForecastRecord,
  loadDaysCsv,
  loadHoursCsv,
} from "../../src/tickets/load-forecast.js";
import { routedArrivals } from "../../src/tickets/load-history.js";
import { pushLoadForecast } from "../../src/tickets/load-metrics.js";
import { logPublished } from "../../src/tracking/published.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  "history-days": number;
  "backtest-days": number;
  "select-by": SelectionMetric;
  "time-field": string;
}

/** Where the load forecasts of a date are published. */
export const loadForecastKind = "tickets/load-forecast";

const whole = (v: number) => Math.round(v).toLocaleString("en-US");

/**
 * forecast: tickets per department for every UTC hour of --date and per day for the 7 days from
 * --date, learned from the labelled tickets that arrived before --date. Each department gets the
 * forecaster its own backtest chooses (as `activity train` does), refitted on its whole history.
 */
export const forecastTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "forecast",
  describe: "Forecast each department's tickets per hour of --date (50/80/95% bands) and per day for 7 days",
  options: (argv) =>
    argv
      .option("history-days", {
        type: "number",
        default: 91,
        describe: "Days of arrivals before --date the models learn from",
      })
      .option("backtest-days", {
        type: "number",
        default: 28,
        describe: "Days before --date each department's forecasters are scored on (rolling origin)",
      })
      .option("select-by", {
        choices: selectionMetrics,
        default: "crps" as SelectionMetric,
        describe: "Backtest metric that chooses each department's model (lower wins)",
      })
      .option("time-field", {
        type: "string",
        default: "date_received",
        describe: "Carried field holding each ticket's arrival time (ISO 8601 with a zone)",
      }),
  async run({ date, runId, config, store, run, log, tell }, options) {
    const historyDays = options["history-days"];
    const backtestDays = backtestDaysFor(historyDays, options["backtest-days"]);
    if (backtestDays < 1 || !Number.isInteger(options["backtest-days"]))
      throw new InputError(
        `--backtest-days ${options["backtest-days"]} with --history-days ${historyDays}: the backtest needs a positive whole number of days and ${historyDays - backtestDays} days of history before them`,
      );
    if (backtestDays < options["backtest-days"])
      throw new InputError(
        `--backtest-days ${options["backtest-days"]}: only ${backtestDays} of --history-days ${historyDays} can be backtested; raise --history-days or lower --backtest-days`,
      );
    const from = addDays(date, -historyDays);
    const history = await routedArrivals(store, { date, from, timeField: options["time-field"] });
    const began = performance.now();
    const { loads, withoutTickets } = forecastLoad(history.arrivals, history.departments, {
      date,
      historyDays,
      backtestDays,
      selectBy: options["select-by"],
    });
    const forecastSeconds = (performance.now() - began) / 1000;

    const record: LoadForecastRecord = {
      date,
      zone: LOAD_ZONE,
      historyDays,
      backtestDays,
      selectBy: options["select-by"],
      departments: loads,
    };
    const files: Record<string, string | Buffer> = {
      "load-forecast.json": `${JSON.stringify(record, null, 2)}\n`,
      "hours.csv": loadHoursCsv(loads),
      "days.csv": loadDaysCsv(loads),
    };
    for (const load of loads) {
      files[`chart-${departmentSlug(load.department)}.png`] = renderForecast({
        title: `${load.department}: ${date}`,
        subtitle: `model ${load.chosen} · ${expectedTotalText(load.day, "tickets")} · UTC hours`,
        hours: load.day.hours.map((h) => ({ label: h.label, ...chartHour(h) })),
        intervalLabel: "80% band: 8 in 10 hours land inside",
        timeZone: LOAD_ZONE,
        countTitle: "Tickets per hour",
      });
    }
    const publication = new Publication(store, loadForecastKind, date, runId);
    for (const [name, body] of Object.entries(files)) await publication.put(name, body);
    const manifest = await publication.publish(
      {
        inputs: history.inputs,
        params: {
          historyDays,
          backtestDays,
          selectBy: options["select-by"],
          timeField: options["time-field"],
        },
      },
      { departments: loads.length, tickets: history.arrivals.length, trackerRun: run.link },
    );
    await run.logParams({
      historyDays,
      backtestDays,
      selectBy: options["select-by"],
      timeField: options["time-field"],
      departments: loads.length,
      ...Object.fromEntries(loads.map((l) => [`chosen.${departmentSlug(l.department)}`, l.chosen])),
    });
    for (const load of loads) {
      const chosen = load.scores.find((s) => s.model === load.chosen)!;
      const { model: _m, days: _d, hours: _h, ...metrics } = chosen;
      await run.logMetrics({
        [`${departmentSlug(load.department)}.expectedTotal`]: load.day.expectedTotal,
        ...Object.fromEntries(
          Object.entries(metrics).map(([k, v]) => [
            `${departmentSlug(load.department)}.backtest.${k}`,
            v as number,
          ]),
        ),
      });
    }
    await logPublished(run, store.uri, manifest, files);
    // For Grafana and the band alert (monitoring/rules/load.yml); after the publication, which it never blocks.
    const pushed = await pushLoadForecast(loads, date, { url: config.pushgatewayUrl, log });
    if (pushed === "past-day") tell(`${date} is over: its bands were not pushed to the Pushgateway`);
    log.info(
      { departments: loads.length, tickets: history.arrivals.length, forecastSeconds },
      "load forecast",
    );

    tell(
      `${history.arrivals.length} routed tickets from ${from} to ${addDays(date, -1)} (${history.partitions.length} labelled partitions); ` +
        `left out: ${history.skipped.unassigned} unassigned, ${history.skipped.noTime} without a readable ${options["time-field"]}, ${history.skipped.notBefore} on or after ${date}`,
    );
    if (withoutTickets.length > 0)
      tell(`no tickets in the history, not forecast: ${withoutTickets.join(", ")}`);
    for (const load of loads) {
      const s = load.scores.find((x) => x.model === load.chosen)!;
      const coverage =
        s.coverage80 === undefined
          ? "no bands (point model)"
          : `80% band covered ${(100 * s.coverage80).toFixed(1)}% of ${s.hours} backtest hours`;
      const band = totalBand80(load.day);
      tell(
        `${load.department}: ${whole(load.day.expectedTotal)} tickets expected on ${date}${band ? ` (80%: ${band.lower}–${band.upper})` : ""} (model ${load.chosen}; ${coverage}); ` +
          `next ${LOAD_DAYS_AHEAD} days: ${load.days.map((d) => whole(d.expected)).join(", ")}`,
      );
    }
    return {
      departments: loads.length,
      departmentsWithoutTickets: withoutTickets,
      tickets: history.arrivals.length,
      skipped: history.skipped,
      historyDays,
      backtestDays,
      selectBy: options["select-by"],
      forecastSeconds: Math.round(forecastSeconds * 100) / 100,
      bandsPushed: pushed,
      expected: Object.fromEntries(loads.map((l) => [l.department, l.day.expectedTotal])),
      expectedBand80: Object.fromEntries(
        loads.map((l) => {
          const band = totalBand80(l.day);
          return [l.department, band ? [band.lower, band.upper] : null];
        }),
      ),
      chosen: Object.fromEntries(loads.map((l) => [l.department, l.chosen])),
      backtest: loads.map((l) => ({
        department: l.department,
        ...l.scores.find((s) => s.model === l.chosen)!,
      })),
      outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`),
    };
  },
};
