import { ClearmlClient } from "../clearml/client.js";
import { ClearmlTracker } from "../clearml/tracker.js";
import { MlflowClient } from "../mlflow/client.js";
import { MlflowModelRegistry } from "../mlflow/registry.js";
import { MlflowTracker } from "../mlflow/tracker.js";
import type { InflowConfig } from "../src/config/env.js";
import { LocalRunStore } from "../src/tracking/local-run-store.js";
import type { ModelRegistry } from "../src/tracking/registry.js";
import { defaultRetryPolicy } from "../src/tracking/retry.js";
import { FanOutTracker, type Tracker } from "../src/tracking/tracker.js";

/**
 * Where the program is assembled, the tracking backends are chosen: `src/` knows only the tracker and
 * registry interfaces, never `mlflow/` or `clearml/`.
 */

/** The tracker the configuration asks for; several backends fan out. */
export function openTracker(config: InflowConfig): Tracker {
  const trackers = config.tracking.map((backend): Tracker => {
    if (backend === "mlflow") return new MlflowTracker(mlflowClient(config));
    if (backend === "clearml") return new ClearmlTracker(clearmlClient(config));
    return new LocalRunStore(config.runStore);
  });
  return trackers.length === 1 ? trackers[0]! : new FanOutTracker(trackers);
}

/** MLflow's model registry when MLflow is among the tracking backends, else null. */
export function openModelRegistry(config: InflowConfig): ModelRegistry | null {
  return config.mlflow ? new MlflowModelRegistry(mlflowClient(config)) : null;
}

function retryPolicy(config: InflowConfig) {
  return { ...defaultRetryPolicy, retries: config.trackingRetries };
}

function mlflowClient(config: InflowConfig): MlflowClient {
  if (!config.mlflow) throw new Error("MLflow tracking is not configured");
  return new MlflowClient({ ...config.mlflow, retry: retryPolicy(config) });
}

function clearmlClient(config: InflowConfig): ClearmlClient {
  if (!config.clearml) throw new Error("ClearML tracking is not configured");
  return new ClearmlClient({ ...config.clearml, retry: retryPolicy(config) });
}
