import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backtestDaysFor,
  departmentSeries,
  forecastLoad,
  LOAD_DAYS_AHEAD,
  loadDaysCsv,
  loadHoursCsv,
  type TicketArrival,
} from "../../src/tickets/load-forecast.js";

const at = (iso: string) => Date.parse(iso) / 1000;

test("departmentSeries counts each department's tickets per UTC hour of the history window only", () => {
  const arrivals: TicketArrival[] = [
    { at: at("2026-03-01T00:00:00Z"), department: "B" }, // first hour of the window
    { at: at("2026-03-01T00:59:59Z"), department: "B" },
    { at: at("2026-03-02T23:30:00Z"), department: "A" }, // last hour
    { at: at("2026-02-28T23:59:59Z"), department: "A" }, // before the window
    { at: at("2026-03-03T00:00:00Z"), department: "A" }, // on D: never history
    { at: at("2026-03-01T05:00:00Z"), department: "Z" }, // not a department asked for
  ];
  const series = departmentSeries(arrivals, ["B", "A"], "2026-03-03", 2);
  assert.deepEqual([...series.keys()], ["A", "B"]);
  const a = series.get("A")!;
  const b = series.get("B")!;
  assert.equal(a.counts.length, 48);
  assert.deepEqual(a.days, ["2026-03-01", "2026-03-02"]);
  assert.equal(b.counts[0], 2);
  assert.equal(a.counts[47], 1);
  assert.equal(
    a.counts.reduce((s, c) => s + c, 0),
    1,
  );
});

test("backtestDaysFor leaves the forecasters' minimum history before the first scored day", () => {
  assert.equal(backtestDaysFor(91, 28), 28);
  assert.equal(backtestDaysFor(20, 28), 12);
  assert.equal(backtestDaysFor(8, 28), 0);
});

/** A department with a fixed daily rhythm: `perHour[h]` tickets at hour h of every day. */
function rhythm(department: string, days: number, perHour: (h: number) => number): TicketArrival[] {
  const out: TicketArrival[] = [];
  const start = at("2026-01-01T00:00:00Z");
  for (let d = 0; d < days; d++)
    for (let h = 0; h < 24; h++)
      for (let k = 0; k < perHour(h); k++)
        out.push({ at: start + 86_400 * d + 3600 * h + 60 * k, department });
  return out;
}

test("forecastLoad forecasts 24 hours and 7 daily totals per department; a department without tickets is listed apart", () => {
  const arrivals = [
    ...rhythm("Billing", 30, (h) => (h >= 9 && h < 17 ? 3 : 0)),
    ...rhythm("Cards", 30, () => 1),
  ];
  const options = { date: "2026-01-31", historyDays: 30, backtestDays: 10, selectBy: "crps" as const };
  const { loads, withoutTickets } = forecastLoad(arrivals, ["Cards", "Billing", "Empty"], options);
  assert.deepEqual(withoutTickets, ["Empty"]);
  assert.deepEqual(
    loads.map((l) => l.department),
    ["Billing", "Cards"],
  );
  for (const load of loads) {
    assert.equal(load.day.hours.length, 24);
    assert.equal(load.day.hours[0]!.start, "2026-01-31T00:00:00.000Z");
    assert.equal(load.days.length, LOAD_DAYS_AHEAD);
    assert.equal(load.days[0]!.date, "2026-01-31");
    assert.equal(load.days[6]!.date, "2026-02-06");
    assert.ok(
      Math.abs(load.days[0]!.expected - load.day.expectedTotal) < 1e-9,
      "day 1 total = the hours' means",
    );
    assert.equal(load.scores.length, 5, "every candidate is scored");
    assert.equal(load.scores[0]!.days, 10);
  }
  const billing = loads[0]!;
  assert.equal(billing.historyTickets, 30 * 8 * 3);
  // A perfectly regular series: the chosen forecast puts the day's 24 tickets in the working hours.
  assert.ok(Math.abs(billing.day.expectedTotal - 24) < 2, `expected ${billing.day.expectedTotal}`);
  assert.ok(billing.day.hours[3]!.mean < 0.5 && billing.day.hours[12]!.mean > 2);
  // Deterministic: the same input gives the same forecast.
  assert.deepEqual(forecastLoad(arrivals, ["Cards", "Billing", "Empty"], options).loads, loads);

  const hours = loadHoursCsv(loads).trim().split("\n");
  assert.equal(hours.length, 1 + 2 * 24);
  assert.equal(hours[0], "department,hour_start_utc,mean,median,lo50,hi50,lo80,hi80,lo95,hi95");
  assert.equal(hours[1]!.split(",").length, 10);
  const days = loadDaysCsv(loads).trim().split("\n");
  assert.equal(days.length, 1 + 2 * LOAD_DAYS_AHEAD);
  assert.equal(days[0], "department,date,expected,lo80,hi80");
  // D's total has a band where the chosen model keeps a daily record; the days after it have none.
  for (const load of loads) {
    const rows = days.filter((d) => d.startsWith(`${load.department},`)).map((d) => d.split(","));
    const band = load.day.totalBands.find((b) => b.level === 0.8);
    assert.deepEqual(rows[0]!.slice(3), band ? [String(band.lower), String(band.upper)] : ["", ""]);
    for (const row of rows.slice(1)) assert.deepEqual(row.slice(3), ["", ""]);
  }
});

test("department names with commas or quotes stay one CSV field", () => {
  const arrivals = rhythm('Credit, "gold" cards', 12, () => 1);
  const { loads } = forecastLoad(arrivals, ['Credit, "gold" cards'], {
    date: "2026-01-13",
    historyDays: 12,
    backtestDays: 2,
    selectBy: "rmse",
  });
  assert.ok(loadDaysCsv(loads).split("\n")[1]!.startsWith('"Credit, ""gold"" cards",2026-01-13,'));
});

test("forecastLoad refuses a history too short to backtest", () => {
  assert.throws(
    () =>
      forecastLoad(
        rhythm("A", 8, () => 1),
        ["A"],
        {
          date: "2026-01-09",
          historyDays: 8,
          backtestDays: 3,
          selectBy: "rmse",
        },
      ),
    /8 days of history; the backtest needs at least 9/,
  );
});
