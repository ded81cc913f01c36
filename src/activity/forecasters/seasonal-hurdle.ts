/**
 * Inflow's activity model: a seasonal hurdle model with recency weighting and a short-memory level.
 *
 * A chat hour is empty or not (most are), and a non-empty hour holds a heavy-tailed number of
 * messages. One Negative Binomial for both cannot do it: fitted to bursts it becomes so dispersed
 * that its median is 0 at every hour. So:
 *
 *   P(Y > 0) = π = 1 − (1 − π₀)^level          (π₀: profile share of active hours)
 *   Y | Y > 0 ~ 1 + NB(m − 1, r)                (m: mean count of an active hour)
 *
 * Profiles blend hour-of-week and hour-of-day exponentially weighted means (a running mean until a
 * slot has seen 1/α values, so early history is not biased to zero). m blends the two profiles'
 * means of an active hour, each shrunk by `sizePrior` pseudo active hours: the hour-of-week one
 * towards the hour-of-day one, that towards the chat's. An hour-of-week slot has seen a handful of
 * active hours (a few weeks of history, or a sparse chat), and one burst among them would otherwise
 * set its m, and its band, alone.
 * The level is the recency-weighted ratio of counts seen to counts the profile expected over the
 * last days, shrunk to 1 by `levelPrior` messages; it acts as a rate multiplier (exponent on the
 * empty-hour probability), so it drops within a day when the chat goes quiet for a holiday and
 * recovers as fast. Conversations come in clusters, so the first hours of a day also lean on the last
 * hours before it: step k uses level^(1−w)·burst^w with w = 2^(−(k+1)/burstHalfLife), where burst is
 * the same ratio over the last hours (half-life `burstHalfLife`, shrunk by one message). The size r
 * is the maximum-likelihood value over the model's own one-day-ahead forecasts of the active hours
 * of the last `dispersionDays` days: the spread is what the model achieves on this chat. Before that,
 * the probability of activity is recalibrated on the same forecasts of every hour (logistic
 * recalibration, ./activity-calibration.ts) while each hour's expected count π·m stays: profiles of a
 * few weeks are over-confident (over the generated reference chat's backtest year, hours forecast 64%
 * active were active 51% of the time, hours forecast 15% 22%), and where π crosses ½ the median leaves 0,
 * so the median, the point that minimises absolute error, depends on it most. The same
 * forecasts are the record a forecast carries for its bands: the mid-PITs of their active hours
 * (`recentActiveMids`) and their daily totals (`recentDays`), see ../intervals.ts. One pass
 * over the history: O(hours) per fit. Defaults chosen on the generated family of chats
 * (`activityFamily()`, bench/activity.ts), never on one series.
 */
import { type ActivityCalibration, fitActivityCalibration, UNCALIBRATED } from "./activity-calibration.js";
import { fitNbSize, nbCdfTable, nbQuantiles } from "./negative-binomial.js";
import type { Forecaster, QuantileSeries } from "./types.js";

export interface SeasonalHurdleOptions {
  /** Half-life of the hour-of-week profiles, in weeks. */
  weekHalfLife?: number;
  /** Half-life of the hour-of-day profiles, in days. */
  dayHalfLife?: number;
  /** Weight of the hour-of-week profile against the hour-of-day profile. */
  weekShare?: number;
  /** Half-life of the level's memory, in hours. */
  levelHalfLife?: number;
  /** Pseudo-messages that shrink the level towards 1. */
  levelPrior?: number;
  /** Pseudo active hours that shrink an hour's mean active count towards the chat's. */
  sizePrior?: number;
  /** Half-life, in hours, of the short level that carries the last hours into the day's first ones (0: off). */
  burstHalfLife?: number;
  /** Days of in-sample one-day-ahead forecasts the dispersion and the activity calibration are estimated on. */
  dispersionDays?: number;
  /**
   * Recalibrate the probability of activity on the same forecasts, keeping each hour's expected
   * count (false: the profiles' split, as released before).
   */
  calibrateActivity?: boolean;
  /**
   * The predictive distribution is censored at this multiple of the history's busiest hour: the tail
   * beyond sits on that count, so no band reaches past it however heavy the fitted tail.
   */
  tailCap?: number;
  /** Quantile levels to report; must include 0.1, 0.5 and 0.9. */
  levels?: number[];
}

/** Profile floors: an hour never seen active keeps a small chance of activity. */
const MIN_ACTIVE = 0.002;

interface Hour {
  active: number;
  /** Mean of an active hour (≥ 1). */
  size: number;
}

export function seasonalHurdle(options: SeasonalHurdleOptions = {}): Forecaster {
  const {
    weekHalfLife = 8,
    dayHalfLife = 14,
    weekShare = 0.5,
    levelHalfLife = 36,
    levelPrior = 10,
    dispersionDays = 56,
    sizePrior = 1,
    burstHalfLife = 2,
    tailCap = 2,
    calibrateActivity = true,
    levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95],
  } = options;
  const sorted = [...levels].sort((a, b) => a - b);
  for (const required of [0.1, 0.5, 0.9]) {
    if (!sorted.includes(required)) throw new RangeError(`quantile levels must include ${required}`);
  }
  const alphaWeek = 1 - 0.5 ** (1 / weekHalfLife);
  const alphaDay = 1 - 0.5 ** (1 / dayHalfLife);
  // Effective sample size of an exponentially weighted mean: 1 / Σ wᵢ² = (2 − α) / α.
  const nWeekMax = (2 - alphaWeek) / alphaWeek;
  const nDayMax = (2 - alphaDay) / alphaDay;
  const burstDecay = burstHalfLife > 0 ? 0.5 ** (1 / burstHalfLife) : 0;
  const levelDecay = 0.5 ** (1 / levelHalfLife);
  const medianIndex = sorted.indexOf(0.5);

  return {
    name: "seasonal-hurdle",
    fit(history) {
      const n = history.length;
      if (n < 24) throw new RangeError("seasonal-hurdle needs at least one day of history");
      const weekCount = new Float64Array(168);
      const weekActive = new Float64Array(168);
      const weekSeen = new Float64Array(168);
      const dayCount = new Float64Array(24);
      const dayActive = new Float64Array(24);
      const daySeen = new Float64Array(24);
      const hour: Hour = { active: 0, size: 1 };
      // Σ of the hour-of-day profiles: their ratio is the chat's mean active count.
      let dayCountSum = 0;
      let dayActiveSum = 0;
      const profileAt = (t: number, level: number): Hour => {
        const s = t % 168;
        const h = t % 24;
        const active = Math.max(MIN_ACTIVE, weekShare * weekActive[s]! + (1 - weekShare) * dayActive[h]!);
        hour.active = 1 - (1 - Math.min(active, 0.999)) ** level;
        // Each profile's active count, shrunk by `sizePrior` pseudo active hours: the hour-of-day
        // one towards the chat's, the hour-of-week one towards the hour-of-day one.
        const chatSize = dayActiveSum > 0 ? Math.max(1, dayCountSum / dayActiveSum) : 1;
        const nd = Math.min(daySeen[h]!, nDayMax);
        const daySize = (nd * dayCount[h]! + sizePrior * chatSize) / (nd * dayActive[h]! + sizePrior || 1);
        const nw = Math.min(weekSeen[s]!, nWeekMax);
        const weekSize = (nw * weekCount[s]! + sizePrior * daySize) / (nw * weekActive[s]! + sizePrior || 1);
        const count = weekShare * weekActive[s]! * weekSize + (1 - weekShare) * dayActive[h]! * daySize;
        hour.size = Math.max(1, count / active);
        return hour;
      };

      let seen = 0;
      let expected = 0;
      let burstSeen = 0;
      let burstExpected = 0;
      let level = 1;
      const firstScored = n - Math.min(n, dispersionDays * 24);
      // The record: every hour of the last `dispersionDays` days forecast as one day ahead.
      const recordCount = new Float64Array(n - firstScored);
      const recordActive = new Float64Array(n - firstScored);
      const recordSize = new Float64Array(n - firstScored);
      let recorded = 0;
      let busiest = 0;
      // Whole days of the same forecasts, counted back from the origin, once the first week is seen.
      const recordDays = Math.floor(Math.min(n - firstScored, n - 168) / 24);
      const dayExpected = new Float64Array(Math.max(0, recordDays));
      const dayActual = new Float64Array(Math.max(0, recordDays));
      for (let t = 0; t < n; t++) {
        // Day boundaries aligned to the origin, like the forecasts the dispersion stands for.
        if ((n - t) % 24 === 0) level = (seen + levelPrior) / (expected + levelPrior);
        const y = history[t]!;
        busiest = Math.max(busiest, y);
        const s = t % 168;
        const h = t % 24;
        const back = Math.floor((n - 1 - t) / 24);
        if (back < recordDays) {
          const p = profileAt(t, level);
          dayExpected[back]! += p.active * p.size;
          dayActual[back]! += y;
        }
        if (t >= firstScored && weekSeen[s]! > 0) {
          const p = profileAt(t, level);
          recordCount[recorded] = y;
          recordActive[recorded] = p.active;
          recordSize[recorded] = p.size;
          recorded++;
        }
        seen = seen * levelDecay + y;
        const profileCount = weekShare * weekCount[s]! + (1 - weekShare) * dayCount[h]!;
        expected = expected * levelDecay + profileCount;
        burstSeen = burstSeen * burstDecay + y;
        burstExpected = burstExpected * burstDecay + profileCount;
        const active = y > 0 ? 1 : 0;
        weekSeen[s]! += 1;
        const aw = Math.max(alphaWeek, 1 / weekSeen[s]!);
        weekCount[s]! += aw * (y - weekCount[s]!);
        weekActive[s]! += aw * (active - weekActive[s]!);
        daySeen[h]! += 1;
        const ad = Math.max(alphaDay, 1 / daySeen[h]!);
        dayCountSum += ad * (y - dayCount[h]!);
        dayActiveSum += ad * (active - dayActive[h]!);
        dayCount[h]! += ad * (y - dayCount[h]!);
        dayActive[h]! += ad * (active - dayActive[h]!);
      }
      const calibration = calibrateActivity
        ? fitActivityCalibration(
            recordActive,
            Uint8Array.from(recordCount.subarray(0, recorded), (y) => (y > 0 ? 1 : 0)),
            recorded,
          )
        : UNCALIBRATED;
      const excess = new Float64Array(recorded);
      const excessMean = new Float64Array(recorded);
      const activeProb = new Float64Array(recorded);
      let scored = 0;
      for (let i = 0; i < recorded; i++) {
        if (recordCount[i]! === 0) continue;
        hour.active = recordActive[i]!;
        hour.size = recordSize[i]!;
        const p = calibrated(hour, calibration);
        excess[scored] = recordCount[i]! - 1;
        excessMean[scored] = Math.max(1e-3, p.size - 1);
        activeProb[scored] = p.active;
        scored++;
      }
      const size = scored < 24 ? 1 : fitNbSize(excess, excessMean, scored);
      // The same forecasts' mid-PITs m(y) = P(Y < y) + P(Y = y)/2 at the active hours they scored.
      const activeMids = new Float64Array(scored);
      for (let i = 0; i < scored; i++) {
        const excessCdf = nbCdfTable(excessMean[i]!, size);
        const y = excess[i]!;
        const below = y > 0 ? excessCdf(y - 1) : 0;
        activeMids[i] = 1 - activeProb[i]! + (activeProb[i]! * (below + excessCdf(y))) / 2;
      }
      activeMids.sort();
      const originLevel = (seen + levelPrior) / (expected + levelPrior);
      const burstLevel = (burstSeen + 1) / (burstExpected + 1);
      const cap = Math.max(1, Math.ceil(tailCap * busiest));

      return {
        forecast(horizon = 24) {
          const mean = new Float64Array(horizon);
          const active = new Float64Array(horizon);
          const excessMeans = new Float64Array(horizon);
          const quantiles: QuantileSeries[] = sorted.map((q) => ({ q, values: new Float64Array(horizon) }));
          const conditional = new Float64Array(1);
          for (let k = 0; k < horizon; k++) {
            const w = burstDecay ** (k + 1);
            const p = calibrated(profileAt(n + k, originLevel ** (1 - w) * burstLevel ** w), calibration);
            active[k] = p.active;
            excessMeans[k] = p.size - 1;
            mean[k] = p.active * p.size;
            for (let j = 0; j < sorted.length; j++) {
              const level = sorted[j]!;
              const empty = 1 - p.active;
              if (level <= empty) {
                quantiles[j]!.values[k] = 0;
                continue;
              }
              nbQuantiles(p.size - 1, size, [(level - empty) / p.active], conditional);
              quantiles[j]!.values[k] = Math.min(cap, 1 + conditional[0]!);
            }
          }
          const excessCdf = Array.from(excessMeans, (m) => nbCdfTable(m, size));
          return {
            mean,
            median: quantiles[medianIndex]!.values,
            quantiles,
            recentActiveMids: activeMids,
            recentDays: { expected: dayExpected, actual: dayActual },
            cdf: (step: number, y: number) =>
              y < 0 ? 0 : y >= cap ? 1 : 1 - active[step]! + active[step]! * excessCdf[step]!(y - 1),
          };
        },
      };
    },
  };
}

/**
 * The hour with its probability of activity recalibrated and its expected count kept: the size of an
 * active hour takes what the probability gives up (never below 1 message, so the probability never
 * exceeds the expected count).
 */
function calibrated(hour: Hour, calibration: ActivityCalibration): Hour {
  if (calibration === UNCALIBRATED) return hour;
  const mean = hour.active * hour.size;
  hour.active = Math.min(calibration.apply(hour.active), mean);
  hour.size = mean / hour.active;
  return hour;
}
