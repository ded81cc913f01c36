import assert from "node:assert/strict";
import { test } from "node:test";
import {
  calibrationOf,
  fitActivityCalibration,
  UNCALIBRATED,
} from "../../src/activity/forecasters/activity-calibration.js";
import { seasonalNaive, zeros } from "../../src/activity/forecasters/baselines.js";
import { knnReduction } from "../../src/activity/forecasters/knn-reduction.js";
import { fitNbSize, nbCdfTable, nbQuantiles } from "../../src/activity/forecasters/negative-binomial.js";
import { seasonalHurdle } from "../../src/activity/forecasters/seasonal-hurdle.js";
import { generateActivity } from "../../src/activity/generate.js";
import { intervalOf } from "../../src/activity/intervals.js";
import { Rng } from "../../src/util/random.js";
import { pythonReference } from "../harness/python-reference.js";

function generatedCounts(hours: number): Float64Array {
  const g = generateActivity({ days: Math.ceil(hours / 24) + 1 });
  const c = new Float64Array(hours);
  for (const m of g.messages) {
    const i = Math.floor((m.timestamp - g.start) / 3600);
    if (i < hours) c[i]! += 1;
  }
  return c;
}

test("kNN reduction matches scikit-learn's KNeighborsRegressor(1) recursive forecasts exactly", () => {
  const series = generatedCounts(900);
  const days = 4;
  const peer = pythonReference<{ forecasts: number[][] }>(
    "sklearn-knn-reduction",
    ["bench/activity_peer.py"],
    JSON.stringify({ series: [...series], days, window: 168, horizon: 24 }),
    { omit: ["seconds"] },
  );
  const model = knnReduction();
  for (let d = 0; d < days; d++) {
    const origin = series.length - 24 * (days - d);
    const ours = model.fit(series.subarray(0, origin)).forecast(24);
    assert.deepEqual([...ours.median], peer.forecasts[d]);
  }
});

test("kNN reduction breaks distance ties by the first window in training order", () => {
  // Windows of 2 lags over 0,0,5,0,0,7,0,0: the query (0,0) equals the windows at 0 and 3;
  // the first one's successor (5) must win.
  const history = Float64Array.from([0, 0, 5, 0, 0, 7, 0, 0]);
  assert.equal(knnReduction({ window: 2 }).fit(history).forecast(1).median[0], 5);
});

test("kNN reduction on non-integer data recomputes each step and still copies training targets", () => {
  const rng = new Rng(3);
  const history = Float64Array.from({ length: 300 }, () => rng.next() * 3);
  const f = knnReduction({ window: 24 }).fit(history).forecast(24);
  for (const v of f.median) assert.ok(history.includes(v));
});

test("seasonal naive repeats the last season and zeros predicts nothing", () => {
  const history = Float64Array.from({ length: 48 }, (_, i) => i);
  assert.deepEqual([...seasonalNaive(24).fit(history).forecast(30).median].slice(0, 3), [24, 25, 26]);
  assert.equal(seasonalNaive(24).fit(history).forecast(30).median[24], 24);
  assert.deepEqual([...zeros.fit(history).forecast(3).mean], [0, 0, 0]);
});

test("negative binomial quantiles and CDF agree with scipy.stats.nbinom", () => {
  const mean = 3.2;
  const size = 0.7;
  const p = size / (size + mean);
  const out = pythonReference<{ q: number[]; cdf: number[] }>("scipy-nbinom", [
    "-c",
    `import json; from scipy.stats import nbinom; print(json.dumps({"q": [float(nbinom.ppf(x, ${size}, ${p})) for x in (0.1, 0.5, 0.9, 0.99)], "cdf": [float(nbinom.cdf(k, ${size}, ${p})) for k in (0, 3, 20)]}))`,
  ]);
  const q = new Float64Array(4);
  nbQuantiles(mean, size, [0.1, 0.5, 0.9, 0.99], q);
  assert.deepEqual([...q], out.q);
  for (const [i, k] of [0, 3, 20].entries())
    assert.ok(Math.abs(nbCdfTable(mean, size)(k) - out.cdf[i]!) < 1e-12);
});

test("negative binomial size is recovered by maximum likelihood from simulated counts", () => {
  const rng = new Rng(11);
  const n = 20_000;
  const counts = new Float64Array(n);
  const means = new Float64Array(n);
  const size = 1.5;
  for (let i = 0; i < n; i++) {
    const mu = 0.5 + 4 * rng.next();
    means[i] = mu;
    // NB as a gamma–Poisson mixture: λ ~ Gamma(size, mu/size).
    const lambda = gamma(rng, size) * (mu / size);
    let k = 0;
    let prod = rng.next();
    const limit = Math.exp(-lambda);
    while (prod > limit) {
      k++;
      prod *= rng.next();
    }
    counts[i] = k;
  }
  const fitted = fitNbSize(counts, means, n);
  assert.ok(Math.abs(fitted - size) < 0.1, `fitted size ${fitted}`);
});

function gamma(rng: Rng, shape: number): number {
  // Marsaglia–Tsang for shape ≥ 1.
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(rng.next()) < 0.5 * x * x + d - d * v + Math.log(v)) return d * v;
  }
}

test("seasonal hurdle: quantiles ordered, median is the 0.5 quantile, CDF consistent with quantiles", () => {
  const history = generatedCounts(24 * 60);
  const f = seasonalHurdle().fit(history).forecast(25);
  assert.equal(f.mean.length, 25);
  const q = (level: number) => f.quantiles.find((x) => x.q === level)!.values;
  for (let k = 0; k < 25; k++) {
    assert.ok(q(0.1)[k]! <= q(0.5)[k]! && q(0.5)[k]! <= q(0.9)[k]!);
    assert.equal(f.median[k], q(0.5)[k]);
    assert.ok(f.cdf!(k, q(0.9)[k]!) >= 0.9 - 1e-9);
    if (q(0.9)[k]! > 0) assert.ok(f.cdf!(k, q(0.9)[k]! - 1) < 0.9);
  }
});

test("seasonal hurdle follows a daily cycle and a quiet spell", () => {
  const days = 42;
  const busy = new Float64Array(24 * days);
  for (let d = 0; d < days; d++) for (let h = 9; h < 18; h++) busy[24 * d + h] = 6;
  const daytime = seasonalHurdle().fit(busy).forecast(24);
  assert.ok(daytime.median[12]! >= 5 && daytime.median[3] === 0);
  // The same chat after four silent days: the level factor must pull the forecast down.
  const quiet = new Float64Array(busy.length + 96);
  quiet.set(busy);
  const after = seasonalHurdle().fit(quiet).forecast(24);
  let before = 0;
  let later = 0;
  for (let k = 0; k < 24; k++) {
    before += daytime.mean[k]!;
    later += after.mean[k]!;
  }
  assert.ok(later < 0.5 * before, `expected total ${later} vs ${before}`);
});

test("seasonal hurdle: one burst in an hour-of-week slot is shrunk towards the hour's usual size", () => {
  // Four weeks of 2 messages at 12:00 every day, but 40 once on the last Monday (the slot of day 21).
  const days = 28;
  const history = new Float64Array(24 * days);
  for (let d = 0; d < days; d++) history[24 * d + 12] = 2;
  history[24 * 21 + 12] = 40;
  const mean = (sizePrior: number) =>
    seasonalHurdle({ sizePrior, burstHalfLife: 0 })
      .fit(history)
      .forecast(24 * 7).mean[24 * 0 + 12]!;
  // Day 28 is the slot of days 0, 7, 14 and 21: without shrinkage the burst weighs a quarter of it.
  assert.ok(mean(1) < mean(0), `${mean(1)} vs unshrunk ${mean(0)}`);
  assert.ok(mean(1) > 2, "the burst still counts");
});

test("seasonal hurdle: the last hours before the day carry into its first hours only", () => {
  const days = 28;
  const quietEvening = new Float64Array(24 * days);
  for (let d = 0; d < days; d++) for (let h = 8; h < 22; h++) quietEvening[24 * d + h] = 3;
  const busyEvening = quietEvening.slice();
  for (let h = 21; h < 24; h++) busyEvening[24 * (days - 1) + h] = 30;
  const a = seasonalHurdle().fit(quietEvening).forecast(24);
  const b = seasonalHurdle().fit(busyEvening).forecast(24);
  assert.ok(b.mean[0]! > 2 * a.mean[0]!, `hour 0: ${b.mean[0]} vs ${a.mean[0]}`);
  // By the afternoon the burst level has handed over to the day level (which the burst lifts a little).
  assert.ok(b.mean[15]! < 1.5 * a.mean[15]!, `hour 15: ${b.mean[15]} vs ${a.mean[15]}`);
  const off = seasonalHurdle({ burstHalfLife: 0 }).fit(busyEvening).forecast(24);
  assert.ok(b.mean[0]! > off.mean[0]!, "burstHalfLife 0 turns the burst level off");
});

test("seasonal hurdle: the distribution stops at twice the busiest hour, so a 95% band stays finite", () => {
  // One active hour a day, mostly 1–2 messages and a burst of 40 every sixth day: a heavy fitted tail.
  const days = 63;
  const history = new Float64Array(24 * days);
  const sizes = [1, 1, 1, 2, 1, 40];
  for (let d = 0; d < days; d++) history[24 * d + 20] = sizes[d % sizes.length]!;
  const widest = { level: 0.95, lower: 0.01, upper: 0.9999 };
  const top = (tailCap: number) => {
    const f = seasonalHurdle({ tailCap }).fit(history).forecast(24);
    return { top: intervalOf((y) => f.cdf!(20, y), widest)[1], f };
  };
  const capped = top(2);
  assert.equal(capped.top, 80);
  assert.equal(capped.f.cdf!(20, 80), 1);
  assert.ok(capped.f.cdf!(20, 79) < 1);
  for (const q of capped.f.quantiles) assert.ok(q.values.every((v) => v <= 80));
  assert.ok(top(Number.POSITIVE_INFINITY).top > 200, "without the cap the fitted tail reaches far past it");
});

test("activity calibration: recovers a known logistic distortion, and leaves calibrated probabilities alone", () => {
  const rng = new Rng(7);
  const n = 20_000;
  const predicted = Float64Array.from({ length: n }, () => 0.02 + 0.96 * rng.next());
  const drawn = (truth: (p: number) => number) =>
    Uint8Array.from(predicted, (p) => (rng.next() < truth(p) ? 1 : 0));
  // Over-confident profiles: the truth is the prediction pulled towards 0.4 (a = −0.4, b = 0.6).
  const fitted = fitActivityCalibration(predicted, drawn(calibrationOf(-0.4, 0.6).apply), n);
  assert.ok(
    Math.abs(fitted.intercept + 0.4) < 0.06 && Math.abs(fitted.slope - 0.6) < 0.04,
    JSON.stringify(fitted),
  );
  const calibrated = fitActivityCalibration(
    predicted,
    drawn((p) => p),
    n,
  );
  assert.ok(
    Math.abs(calibrated.intercept) < 0.06 && Math.abs(calibrated.slope - 1) < 0.04,
    JSON.stringify(calibrated),
  );
  // Too short a record, or one outcome only: no fit.
  assert.equal(
    fitActivityCalibration(
      predicted,
      drawn(() => 1),
      n,
    ),
    UNCALIBRATED,
  );
  assert.equal(
    fitActivityCalibration(
      predicted,
      drawn((p) => p),
      23,
    ),
    UNCALIBRATED,
  );
});

test("activity calibration: a record that separates perfectly gives a finite map", () => {
  const predicted = Float64Array.from({ length: 48 }, (_, i) => (i % 24 >= 9 && i % 24 < 18 ? 0.999 : 0.002));
  const active = Uint8Array.from(predicted, (p) => (p > 0.5 ? 1 : 0));
  const map = fitActivityCalibration(predicted, active, 48);
  assert.ok(Number.isFinite(map.intercept) && Number.isFinite(map.slope), JSON.stringify(map));
  assert.ok(map.apply(0.999) > 0.99 && map.apply(0.002) < 0.01);
});

test("seasonal hurdle: calibrating the activity keeps each hour's expected count and re-splits it", () => {
  const history = generatedCounts(24 * 70);
  const on = seasonalHurdle().fit(history).forecast(24);
  const off = seasonalHurdle({ calibrateActivity: false }).fit(history).forecast(24);
  let moved = 0;
  for (let k = 0; k < 24; k++) {
    assert.ok(Math.abs(on.mean[k]! - off.mean[k]!) < 1e-9 * Math.max(1, off.mean[k]!), `hour ${k}`);
    moved = Math.max(moved, Math.abs(on.cdf!(k, 0) - off.cdf!(k, 0)));
  }
  assert.ok(moved > 0.01, `P(no message) moved by at most ${moved}`);
});

test("seasonal hurdle: hours never active beside hours often active calibrate to finite forecasts", () => {
  // Business hours, a few messages on some days. The record's night hours are never active and its
  // day hours often are: a full Newton step overshot on this near separation (intercept −260, slope
  // 1,315) and every night hour's forecast was 0/0 = NaN.
  const history = Float64Array.from({ length: 24 * 21 }, (_, t) =>
    t % 24 >= 9 && t % 24 < 18 && (t * 7919) % 5 < 2 ? 1 + ((t * 31) % 3) : 0,
  );
  const forecast = seasonalHurdle().fit(history).forecast(24);
  for (let k = 0; k < 24; k++) {
    assert.ok(Number.isFinite(forecast.mean[k]!), `hour ${k}: mean ${forecast.mean[k]}`);
    for (const q of forecast.quantiles) assert.ok(Number.isFinite(q.values[k]!), `hour ${k}: q${q.q}`);
  }
  assert.ok(forecast.mean[3]! < 0.05 && forecast.mean[12]! > 0.2, "night quiet, day busy");
});
