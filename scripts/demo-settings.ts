/**
 * The demos' own variables (INFLOW_DEMO_*), read through the config module like every other setting
 * and checked with the common configuration before a demo runs anything: a typo ends the demo with one
 * line and exit 2, instead of a NaN ticket count or a stack trace several steps in.
 */
import { MIN_HISTORY_DAYS } from "../src/activity/pipeline/models.js";
import { type InflowConfig, readConfig } from "../src/config/env.js";
import {
  configurationMessage,
  IntegerIn,
  readSettings,
  type Settings,
  setting,
  Text,
} from "../src/config/variables.js";
import { fail } from "../tasks/start-messages.js";

/** Days `npm run demo:load` backtests its forecasters on (`tickets forecast --backtest-days`). */
export const loadDemoBacktestDays = 28;

export const demoVariables = {
  /** The first logical date (`demo`: week 1; `demo:load`: the forecast day). */
  date: setting(
    "INFLOW_DEMO_DATE",
    Text({
      pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
      description: "a date YYYY-MM-DD",
    }),
    "2026-11-09",
  ),
  /** Tickets generated in all; null: each demo's own count. */
  tickets: setting("INFLOW_DEMO_TICKETS", IntegerIn(100, 1_000_000), null),
  /** `demo:load`: days of generated history, enough for the backtest and the models' own history. */
  days: setting("INFLOW_DEMO_DAYS", IntegerIn(MIN_HISTORY_DAYS + loadDemoBacktestDays, 3650), 42),
  /** `demo:activity`: the generated chat's seed. */
  seed: setting("INFLOW_DEMO_SEED", IntegerIn(0, 2_147_483_647), 7),
};

export type DemoSettings = Settings<typeof demoVariables>;

/** Every INFLOW_DEMO_* variable (each demo uses its own; a typo in any is caught), problems added to `problems`. */
export function readDemoSettings(env: NodeJS.ProcessEnv, problems: string[]): DemoSettings {
  return readSettings(env, demoVariables, problems);
}

/** The demo's settings and the common configuration; on any problem, one line and exit 2. */
export function demoSettingsOrExit(env: NodeJS.ProcessEnv = process.env): {
  demo: DemoSettings;
  config: InflowConfig;
} {
  const problems: string[] = [];
  const demo = readDemoSettings(env, problems);
  const config = readConfig(env, {}, problems);
  if (problems.length > 0) fail("demo", configurationMessage(problems), 2);
  return { demo, config };
}
