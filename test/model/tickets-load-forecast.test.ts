/**
 * Floors of the ticket-load forecast on generated corpora whose timestamps carry a daily rhythm
 * (afternoon peak), a weekly one (weekends half as busy) and known department shares: the chosen
 * model's calibrated bands hold their nominal coverage over a 28-day rolling-origin backtest, and
 * it beats the seasonal-naive baselines on error. Two volumes, so the floors hold for a busy desk
 * (hours of several tickets) and a quiet one (most hours empty).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultClassShares, departments, generateTickets } from "../../src/tickets/generator/generate.js";
import { forecastLoad, type TicketArrival } from "../../src/tickets/load-forecast.js";

function corpus(count: number, seed: number): TicketArrival[] {
  const options = { count, seed, garbageRate: 0, startDate: "2026-08-01", endDate: "2026-10-02" };
  return Array.from(generateTickets(options), ({ ticket, truth }) => ({
    at: Date.parse(ticket.createdAt) / 1000,
    department: truth.department,
  }));
}

// Daily-total sMAPE floors differ by volume: a day of ~10 tickets has Poisson noise of ~30% alone.
for (const [name, count, seed, maxDailySmape] of [
  ["busy desk", 25_000, 16, 0.3],
  ["quiet desk", 4_000, 61, 0.45],
] as const) {
  test(`load forecast floors on the generated corpus: ${name}`, () => {
    const { loads } = forecastLoad(corpus(count, seed), departments, {
      date: "2026-10-03",
      historyDays: 63,
      backtestDays: 28,
      selectBy: "crps",
    });
    assert.equal(loads.length, departments.length);
    for (const load of loads) {
      const s = load.scores.find((x) => x.model === load.chosen)!;
      const naive = load.scores.filter((x) => x.model.startsWith("seasonal-naive"));
      const where = `${load.department} (${load.chosen})`;
      assert.ok(s.coverage80 !== undefined, `${where}: the chosen model has bands`);
      assert.ok(s.coverage50! >= 0.42 && s.coverage50! <= 0.58, `${where}: 50% coverage ${s.coverage50}`);
      assert.ok(s.coverage80! >= 0.75 && s.coverage80! <= 0.85, `${where}: 80% coverage ${s.coverage80}`);
      assert.ok(s.coverage95! >= 0.91 && s.coverage95! <= 0.98, `${where}: 95% coverage ${s.coverage95}`);
      assert.ok(Math.abs(s.activeCoverage80! - 0.8) <= 0.1, `${where}: active 80% ${s.activeCoverage80}`);
      // Active hours at 50% and 95% (measured 0.50–0.55 and 0.945–0.978 on both desks).
      assert.ok(Math.abs(s.activeCoverage50! - 0.5) <= 0.1, `${where}: active 50% ${s.activeCoverage50}`);
      assert.ok(Math.abs(s.activeCoverage95! - 0.95) <= 0.05, `${where}: active 95% ${s.activeCoverage95}`);
      // The day's total bands over 28 days (measured 80%: 0.82–0.89, 95%: 0.89–1 on both desks).
      assert.ok(
        s.dailyCoverage80! >= 0.75 && s.dailyCoverage80! <= 0.97,
        `${where}: daily 80% ${s.dailyCoverage80}`,
      );
      assert.ok(s.dailyCoverage95! >= 0.85, `${where}: daily 95% ${s.dailyCoverage95}`);
      for (const baseline of naive) {
        assert.ok(s.mae < baseline.mae, `${where}: MAE ${s.mae} vs ${baseline.model} ${baseline.mae}`);
        assert.ok(s.crps < baseline.crps, `${where}: CRPS ${s.crps} vs ${baseline.model} ${baseline.crps}`);
      }
      assert.ok(s.dailySmape < maxDailySmape, `${where}: daily sMAPE ${s.dailySmape}`);
      // The forecast carries the known rate: the week's expected tickets match the department's share.
      const week = load.days.reduce((sum, d) => sum + d.expected, 0);
      const share = defaultClassShares[load.department as keyof typeof defaultClassShares];
      const perWeek = (count / 63) * 7 * share;
      assert.ok(
        Math.abs(week / perWeek - 1) < 0.2,
        `${where}: ${week} expected in a week, rate says ${perWeek}`,
      );
    }
  });
}
