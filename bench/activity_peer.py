"""The seed's forecaster in the seed's stack, as a peer for Inflow's benchmark and tests.

sktime's make_reduction(KNeighborsRegressor(n_neighbors=1), window_length=W, strategy="recursive")
written out in numpy + scikit-learn (what the reduction does, without installing sktime): every
window of W lags -> the next value is a training pair; the forecast predicts one step, appends it
to the window and repeats. Rolling daily origin over the last `days` days, refitting at each.

stdin: {"series": [...], "days": 365, "window": 168, "horizon": 24}
stdout: {"seconds": fit+forecast wall time, "forecasts": [[...], ...], "metrics": {...}}
"""

import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.neighbors import KNeighborsRegressor


def forecast(history: np.ndarray, window: int, horizon: int) -> np.ndarray:
    X = sliding_window_view(history[:-1], window)
    y = history[window:]
    model = KNeighborsRegressor(n_neighbors=1).fit(X, y)
    last = list(history[-window:])
    out = np.empty(horizon)
    for k in range(horizon):
        out[k] = model.predict(np.asarray(last[-window:]).reshape(1, -1))[0]
        last.append(out[k])
    return out


def smape(a: np.ndarray, f: np.ndarray) -> float:
    den = np.abs(a) + np.abs(f)
    terms = np.where(den == 0, 0.0, 2 * np.abs(a - f) / np.where(den == 0, 1, den))
    return float(terms.mean())


def main() -> None:
    req = json.load(sys.stdin)
    series = np.asarray(req["series"], dtype=np.float64)
    days, window, horizon = req.get("days", 365), req.get("window", 168), req.get("horizon", 24)
    origins = [len(series) - horizon * (days - d) for d in range(days)]
    began = time.perf_counter()
    forecasts = [forecast(series[:o], window, horizon) for o in origins]
    seconds = time.perf_counter() - began
    actual = np.concatenate([series[o : o + horizon] for o in origins])
    predicted = np.concatenate(forecasts)
    daily_actual = actual.reshape(days, horizon).sum(axis=1)
    daily_predicted = predicted.reshape(days, horizon).sum(axis=1)
    metrics = {
        "smape": smape(actual, predicted),
        "mae": float(np.abs(actual - predicted).mean()),
        "rmse": float(np.sqrt(((actual - predicted) ** 2).mean())),
        "dailySmape": smape(daily_actual, daily_predicted),
    }
    json.dump({"seconds": seconds, "forecasts": [f.tolist() for f in forecasts], "metrics": metrics}, sys.stdout)


if __name__ == "__main__":
    main()
