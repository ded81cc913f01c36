/**
 * The load forecast of the current day as Prometheus gauges, pushed to the Pushgateway
 * (INFLOW_PUSHGATEWAY_URL) so that Grafana and the alert rules of monitoring/rules/load.yml can set
 * it against the tickets the API routes (inflow_predictions_total). The names are a contract with
 * monitoring/ (README there): change them only together.
 *
 * One group, job "inflow-load-forecast", replaced (PUT) by each run: the rules pick the hour in
 * progress by its start time, so a forecast for a day that is already over would only blank the
 * panel and silence the alert. Such runs (backfills, reruns of past dates) do not push.
 */
import { Gauge, Pushgateway, Registry } from "prom-client";
import type { Logger } from "../util/log.js";
import type { DepartmentLoad } from "./load-forecast.js";

export const loadForecastJob = "inflow-load-forecast";

/** The gauges of a load forecast: per department and UTC hour ("00".."23") of its day. */
export function loadForecastRegistry(loads: readonly DepartmentLoad[]): Registry {
  const registry = new Registry();
  const expected = new Gauge({
    name: "inflow_load_forecast_expected_tickets",
    help: "Expected tickets routed to the department in the UTC hour (the forecast's mean)",
    labelNames: ["department", "hour"] as const,
    registers: [registry],
  });
  const lower = new Gauge({
    name: "inflow_load_forecast_lower_tickets",
    help: "Lowest ticket count inside the forecast's band at `level` percent (inclusive)",
    labelNames: ["department", "hour", "level"] as const,
    registers: [registry],
  });
  const upper = new Gauge({
    name: "inflow_load_forecast_upper_tickets",
    help: "Highest ticket count inside the forecast's band at `level` percent (inclusive)",
    labelNames: ["department", "hour", "level"] as const,
    registers: [registry],
  });
  const hourStart = new Gauge({
    name: "inflow_load_forecast_hour_start_timestamp_seconds",
    help: "Start of the forecast's UTC hour (Unix seconds): the rules select the hour in progress by it",
    labelNames: ["hour"] as const,
    registers: [registry],
  });
  for (const load of loads) {
    for (const h of load.day.hours) {
      const hour = h.start.slice(11, 13);
      hourStart.set({ hour }, Date.parse(h.start) / 1000);
      expected.set({ department: load.department, hour }, h.mean);
      for (const [level, band] of [
        ["50", h.band50],
        ["80", h.band80],
        ["95", h.band95],
      ] as const) {
        if (!band) continue;
        lower.set({ department: load.department, hour, level }, band[0]);
        upper.set({ department: load.department, hour, level }, band[1]);
      }
    }
  }
  return registry;
}

export type LoadPush = "pushed" | "not-configured" | "past-day" | "failed";

/**
 * Pushes the forecast for `date` unless that UTC day is over at `now`. Never throws and never fails
 * the task (monitoring is not worth a retried forecast): a refused push is logged and reported.
 */
export async function pushLoadForecast(
  loads: readonly DepartmentLoad[],
  date: string,
  options: { url: string | null; now?: Date; log: Logger },
): Promise<LoadPush> {
  const url = options.url;
  if (url === null) return "not-configured";
  const dayEnd = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  if ((options.now ?? new Date()).getTime() >= dayEnd) return "past-day";
  try {
    const gateway = new Pushgateway(url, { timeout: 10_000 }, loadForecastRegistry(loads));
    await gateway.push({ jobName: loadForecastJob });
    return "pushed";
  } catch (error) {
    options.log.warn({ err: error }, "could not push the load forecast to the Pushgateway");
    return "failed";
  }
}
