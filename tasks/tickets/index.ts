import { taskCommand } from "../task.js";
import { assignTask } from "./assign.js";
import { evaluateTask } from "./evaluate.js";
import { forecastTask } from "./forecast.js";
import { generateTask } from "./generate.js";
import { ingestTask } from "./ingest.js";
import { labelTask } from "./label.js";
import { predictTask } from "./predict.js";
import { preprocessTask } from "./preprocess.js";
import { relabelTask } from "./relabel.js";
import { reportTask } from "./report.js";
import { taxonomyTask } from "./taxonomy.js";
import { topicsCommand } from "./topics.js";
import { trainTask } from "./train.js";

/** The tickets pipeline's steps, in pipeline order. */
export const ticketCommands = [
  taskCommand(generateTask),
  taskCommand(ingestTask),
  taskCommand(preprocessTask),
  taskCommand(relabelTask),
  taskCommand(assignTask),
  taskCommand(labelTask),
  taskCommand(taxonomyTask),
  topicsCommand,
  taskCommand(trainTask),
  taskCommand(evaluateTask),
  taskCommand(predictTask),
  taskCommand(forecastTask),
  taskCommand(reportTask),
];
