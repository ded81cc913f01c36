import { type ActivityConfig, type ActivityNeeds, readActivityConfig } from "../../src/activity/config.js";

/** The activity steps' configuration (INFLOW_ACTIVITY_*; Telegram credentials when `needs` says so). */
export function activitySettings(needs: ActivityNeeds = {}) {
  return (env: NodeJS.ProcessEnv, _options: unknown, problems: string[]): ActivityConfig =>
    readActivityConfig(env, needs, {}, problems);
}
