import type { InflowConfig } from "../config/env.js";
import { ConfigError } from "../util/errors.js";
import { LocalRunStore } from "./local-run-store.js";
import { FanOutTracker, type Tracker } from "./tracker.js";

/** The tracker the configuration asks for; several backends fan out. */
export function openTracker(config: InflowConfig): Tracker {
  const trackers = config.tracking.map((backend): Tracker => {
    if (backend === "local") return new LocalRunStore(config.runStore);
    throw new ConfigError(`tracking backend "${backend}" is not available in this build yet`);
  });
  return trackers.length === 1 ? trackers[0]! : new FanOutTracker(trackers);
}
