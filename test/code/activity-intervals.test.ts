import assert from "node:assert/strict";
import { test } from "node:test";
import {
  crps,
  dailyBands,
  dayTails,
  type IntervalTails,
  intervalOf,
  midCdf,
  nominalTails,
  pinball,
} from "../../src/activity/intervals.js";

/** CDF of a zero-inflated Poisson: P(0) = 1 − π + π e^−λ. */
function hurdleCdf(active: number, rate: number): (y: number) => number {
  return (y) => {
    if (y < 0) return 0;
    let p = Math.exp(-rate);
    let c = p;
    for (let k = 1; k <= y; k++) {
      p *= rate / k;
      c += p;
    }
    return 1 - active + active * c;
  };
}

const tails80 = nominalTails([0.8])[0]!;

test("mid-p interval: a near-certain zero gives [0, 0]; a likely-active hour leaves 0 out", () => {
  assert.deepEqual(intervalOf(hurdleCdf(0.05, 2), tails80), [0, 0]);
  const busy = intervalOf(hurdleCdf(0.92, 6), tails80);
  assert.ok(busy[0] >= 1 && busy[1] > busy[0], JSON.stringify(busy));
});

test("an actual count is inside the interval exactly when its mid-PIT lies between the tails", () => {
  const tails: IntervalTails = { level: 0.8, lower: 0.27, upper: 0.93 };
  for (const [active, rate] of [
    [0.1, 3],
    [0.5, 1.5],
    [0.97, 12],
  ] as const) {
    const cdf = hurdleCdf(active, rate);
    const [lo, hi] = intervalOf(cdf, tails);
    for (let y = 0; y < 40; y++) {
      const m = midCdf(cdf, y);
      assert.equal(
        y >= lo && y <= hi,
        m > tails.lower && m < tails.upper,
        `y=${y} in [${lo}, ${hi}], m=${m}`,
      );
    }
  }
});

test("day tails: under the forecast, the intervals hold the nominal share of all hours and of active ones", () => {
  // A quiet night, a busy afternoon: the plain [q10, q90] band would hold ≈ 0.9 of this day.
  const hours = Array.from({ length: 24 }, (_, h) =>
    h < 8 ? hurdleCdf(0.04, 1.5) : hurdleCdf(0.2 + (0.7 * (h - 8)) / 16, 1 + h / 3),
  );
  const cdf = (step: number, y: number) => hours[step]!(y);
  for (const level of [0.5, 0.8, 0.95]) {
    const tails = dayTails(cdf, 24, level);
    let covered = 0;
    let activeCovered = 0;
    let activeMass = 0;
    for (const F of hours) {
      const [lo, hi] = intervalOf(F, tails);
      for (let y = 0; y < 200; y++) {
        const p = F(y) - F(y - 1);
        if (y > 0) activeMass += p;
        if (y >= lo && y <= hi) {
          covered += p;
          if (y > 0) activeCovered += p;
        }
      }
    }
    assert.ok(Math.abs(covered / 24 - level) < 0.03, `${level}: all ${covered / 24}`);
    assert.ok(
      Math.abs(activeCovered / activeMass - level) < 0.05,
      `${level}: active ${activeCovered / activeMass}`,
    );
  }
});

test("CRPS of a Bernoulli forecast and of a point forecast, and the pinball loss", () => {
  const p = 0.3;
  const bernoulli = (y: number) => (y < 0 ? 0 : y === 0 ? 1 - p : 1);
  assert.ok(Math.abs(crps(bernoulli, 0) - p * p) < 1e-12);
  assert.ok(Math.abs(crps(bernoulli, 1) - (1 - p) ** 2) < 1e-12);
  const pointAt4 = (y: number) => (y < 4 ? 0 : 1);
  assert.equal(crps(pointAt4, 9), 5);
  assert.equal(crps(pointAt4, 1), 3);
  assert.ok(Math.abs(pinball(5, 2, 0.9) - 2.7) < 1e-12);
  assert.ok(Math.abs(pinball(1, 2, 0.9) - 0.1) < 1e-12);
});

test("day tails: past active hours that fell above their bands widen today's, all-hours share kept", () => {
  const hours = Array.from({ length: 24 }, (_, h) => hurdleCdf(h < 8 ? 0.03 : 0.15, 2));
  const cdf = (step: number, y: number) => hours[step]!(y);
  const alone = dayTails(cdf, 24, 0.8);
  // The model's record: 200 active hours, 30% of them in the top 1% of their distributions.
  const mids = Float64Array.from({ length: 200 }, (_, i) => (i < 60 ? 0.995 : 0.88 + (0.1 * i) / 200)).sort();
  const conformal = dayTails(cdf, 24, 0.8, mids);
  assert.ok(conformal.upper > alone.upper, `${JSON.stringify(conformal)} vs ${JSON.stringify(alone)}`);
  const inside = mids.filter((m) => m > conformal.lower && m < conformal.upper).length;
  const share = (inside + 20 * 0.8) / (200 + 20);
  assert.ok(Math.abs(share - 0.8) < 0.1, `active share ${share}`);
  // Three past hours weigh less than the 20 pseudo hours of the model's own estimate.
  const few = dayTails(cdf, 24, 0.8, Float64Array.of(0.999, 0.999, 0.999));
  assert.ok(few.upper <= conformal.upper, JSON.stringify(few));
});

test("daily-total bands: conformal ranks of past Pearson residuals, read as whole counts", () => {
  const expected = Float64Array.from({ length: 39 }, () => 100);
  // Residuals (actual − 100) / 10 of −19 … +19: the 80% band takes ranks 4 and 36 of 39.
  const actual = Float64Array.from({ length: 39 }, (_, d) => 100 + 10 * (d - 19));
  const [b50, b80, b95] = dailyBands(400, { expected, actual });
  assert.deepEqual(b80, { level: 0.8, lower: 400 - 20 * 16, upper: 400 + 20 * 16 });
  assert.ok(b50!.lower > b80!.lower && b50!.upper < b80!.upper);
  assert.equal(b95!.upper, 400 + 20 * 19, "the 95% rank is clamped to the largest residual");
  assert.ok(Number.isInteger(b80!.lower) && Number.isInteger(b80!.upper));
  // Never below 0; no band from fewer than 10 days.
  assert.equal(dailyBands(1, { expected, actual })[2]!.lower, 0);
  assert.deepEqual(dailyBands(50, { expected: expected.subarray(0, 9), actual: actual.subarray(0, 9) }), []);
});

test("day tails: on a sparse day the 95% band reaches into the last hundredth when past bursts need it", () => {
  // F(0) ≥ 0.9 in every hour: an upper tail of 0.99 is only the middle of an active hour's size.
  const hours = Array.from({ length: 24 }, (_, h) => hurdleCdf(h < 8 ? 0.02 : 0.08, 3));
  const cdf = (step: number, y: number) => hours[step]!(y);
  // The record: 300 active hours, 15% of them between 0.991 and 0.999 (bursts the model sized light).
  const mids = Float64Array.from({ length: 300 }, (_, i) =>
    i < 255 ? 0.9 + (0.09 * i) / 255 : 0.991 + (0.008 * (i - 255)) / 45,
  ).sort();
  const tails = dayTails(cdf, 24, 0.95, mids);
  assert.ok(tails.upper > 0.99 && tails.upper < 1, JSON.stringify(tails));
  const inside = mids.filter((m) => m > tails.lower && m < tails.upper).length / mids.length;
  assert.ok(Math.abs(inside - 0.95) <= 0.05, `active share ${inside} with ${JSON.stringify(tails)}`);
});
