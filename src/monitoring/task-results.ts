/**
 * The results batch steps push, one gauge per result with its unit last in the name (Prometheus
 * naming: `_ratio` for a dimensionless share or error, `_messages`/`_topics` for counts of things).
 * A contract with monitoring/ (rules, dashboards, monitoring/README.md): rename them together.
 */
export interface TaskResult {
  name: string;
  help: string;
  /** Labels beyond the group's job, pipeline and step (e.g. the hour of a day). */
  labelNames?: readonly string[];
}

export const taskResults = {
  forecastSmape: {
    name: "inflow_task_forecast_smape_ratio",
    help: "sMAPE of yesterday's 24 hourly median forecasts against the actual counts (0..2)",
  },
  forecastMae: {
    name: "inflow_task_forecast_mae_messages",
    help: "Mean absolute error of yesterday's hourly median forecasts, in messages per hour",
  },
  forecastExpectedMessages: {
    name: "inflow_task_forecast_expected_messages",
    help: "Yesterday's forecast total: the sum of the hourly expected counts, in messages",
  },
  actualMessages: {
    name: "inflow_task_actual_messages",
    help: "Yesterday's actual total, in messages",
  },
  forecastHourExpectedMessages: {
    name: "inflow_task_forecast_hour_expected_messages",
    help: "Yesterday's forecast for one hour (local time of the series): the expected count, in messages",
    labelNames: ["hour"],
  },
  actualHourMessages: {
    name: "inflow_task_actual_hour_messages",
    help: "Yesterday's actual count for one hour (local time of the series), in messages",
    labelNames: ["hour"],
  },
  noveltyShare: {
    name: "inflow_task_novelty_share_ratio",
    help: "Share of the run's tickets no topic explains",
  },
  baselineNoveltyShare: {
    name: "inflow_task_novelty_baseline_share_ratio",
    help: "Share of the topic model's own training tickets no topic explains",
  },
  proposedTopics: {
    name: "inflow_task_novelty_proposed_topics",
    help: "Topics the novelty detector proposes for review",
  },
  labelledTickets: {
    name: "inflow_task_labelled_tickets",
    help: "Tickets the label step labelled",
  },
  topicAgreementMacroF1: {
    name: "inflow_task_topic_agreement_macro_f1_ratio",
    help: "The challenger's macro-F1 against the topic labels of its held-out tickets (agreement, not a truth)",
  },
  promoted: {
    name: "inflow_task_challenger_promoted",
    help: "1 when the evaluate step promoted the challenger to champion, else 0",
  },
} as const satisfies Record<string, TaskResult>;

/** One measured value of a result, with the result's labels (e.g. `{ hour: "13" }`). */
export interface TaskResultValue {
  result: TaskResult;
  value: number;
  labels?: Record<string, string>;
}
