import { taskCommand } from "../task.js";
import { aggregateTask } from "./aggregate.js";
import { chartTask } from "./chart.js";
import { evaluateTask } from "./evaluate.js";
import { forecastTask } from "./forecast.js";
import { ingestTask } from "./ingest.js";
import { reportTask } from "./report.js";
import { trainTask } from "./train.js";

/** The activity pipeline's steps, in pipeline order (daily job: ingest → chart; morning: report). */
export const activityCommands = [
  taskCommand(ingestTask),
  taskCommand(aggregateTask),
  taskCommand(evaluateTask),
  taskCommand(trainTask),
  taskCommand(forecastTask),
  taskCommand(chartTask),
  taskCommand(reportTask),
];
