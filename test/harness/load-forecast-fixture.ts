/**
 * A small load forecast for tests: two weeks of generated tickets routed by their true department,
 * forecast for `date` as `inflow tickets forecast` does (3-day backtest).
 */
import { addDays } from "../../src/activity/zone.js";
import { departments, generateTickets } from "../../src/tickets/generator/generate.js";
import { type DepartmentLoad, forecastLoad } from "../../src/tickets/load-forecast.js";

export function smallLoadForecast(date: string, seed: number): DepartmentLoad[] {
  const tickets = generateTickets({
    count: 1_500,
    seed,
    garbageRate: 0,
    startDate: addDays(date, -14),
    endDate: addDays(date, -1),
  });
  const arrivals = Array.from(tickets, ({ ticket, truth }) => ({
    at: Date.parse(ticket.createdAt) / 1000,
    department: truth.department,
  }));
  return forecastLoad(arrivals, departments, { date, historyDays: 14, backtestDays: 3, selectBy: "crps" })
    .loads;
}
