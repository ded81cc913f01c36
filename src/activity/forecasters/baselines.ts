/** Reference forecasters: seasonal naive (repeat the last season) and all zeros. */
import { type Forecaster, pointForecast } from "./types.js";

/** ŷ[t+k] = y[t+k-period·⌈(k+1)/period⌉]: the last observed season, repeated. */
export function seasonalNaive(period: number): Forecaster {
  if (!Number.isInteger(period) || period < 1) throw new RangeError("period must be a positive integer");
  return {
    name: `seasonal-naive-${period}h`,
    fit(history) {
      if (history.length < period) throw new RangeError(`seasonal naive needs ${period} hours of history`);
      const season = history.slice(history.length - period);
      return {
        forecast(horizon = 24) {
          const out = new Float64Array(horizon);
          for (let k = 0; k < horizon; k++) out[k] = season[k % period]!;
          return pointForecast(out);
        },
      };
    },
  };
}

/** Always predicts no messages: the floor any useful model must beat on RMSE and daily totals. */
export const zeros: Forecaster = {
  name: "zeros",
  fit() {
    return { forecast: (horizon = 24) => pointForecast(new Float64Array(horizon)) };
  },
};
