/**
 * Per-department load forecasts for 20 departments (issue 16's target: within 10 s): 91 days of
 * generated tickets (daily and weekly rhythm), each of the 5 generated departments split into 4
 * queues, then `forecastLoad` as `inflow tickets forecast` runs it (28-day backtest of every
 * candidate per department, the chosen model refitted, 24 hours + 7 days forecast). Prints the wall
 * time with the machine load, and the process's CPU time (what a shared, loaded machine leaves
 * comparable), and writes bench/results/load-forecast.json.
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { generateTickets } from "../src/tickets/generator/generate.js";
import { forecastLoad, type TicketArrival } from "../src/tickets/load-forecast.js";

const arrivals: TicketArrival[] = [];
const options = { count: 60_000, seed: 20, garbageRate: 0, startDate: "2026-08-01", endDate: "2026-10-30" };
for (const { ticket, truth } of generateTickets(options)) {
  arrivals.push({
    at: Date.parse(ticket.createdAt) / 1000,
    department: `${truth.department} #${Number(ticket.id) % 4}`,
  });
}
const departments = [...new Set(arrivals.map((a) => a.department))];
const runs: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < 3; i++) {
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  forecastLoad(arrivals, departments, {
    date: "2026-10-31",
    historyDays: 91,
    backtestDays: 28,
    selectBy: "crps",
  });
  runs.push((performance.now() - began) / 1000);
  const used = process.cpuUsage(cpuBefore);
  cpu.push((used.user + used.system) / 1e6);
}
const result = {
  departments: departments.length,
  tickets: arrivals.length,
  historyDays: 91,
  backtestDays: 28,
  seconds: runs.map((s) => Math.round(s * 100) / 100),
  bestSeconds: Math.round(Math.min(...runs) * 100) / 100,
  cpuSeconds: cpu.map((s) => Math.round(s * 100) / 100),
  targetSeconds: 10,
  loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  node: process.version,
};
console.log(JSON.stringify(result));
writeFileSync("bench/results/load-forecast.json", `${JSON.stringify(result, null, 2)}\n`);
