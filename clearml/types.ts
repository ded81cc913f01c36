/** The shapes of ClearML's REST API that Inflow uses (ClearML Server API reference, snake_case on the wire). */

/** Every response: `{meta: {result_code, result_msg, ...}, data: {...}}`. */
export interface ClearmlEnvelope<T> {
  meta: {
    id?: string;
    trx?: string;
    endpoint?: { name: string; requested_version?: string; actual_version?: string };
    result_code: number;
    result_subcode?: number;
    result_msg: string;
    error_stack?: string | null;
  };
  data: T;
}

export type ClearmlTaskType = "training" | "testing" | "inference" | "data_processing" | "custom";

/** `tasks.params_item`: hyperparameters live in sections (General, properties, ...). */
export interface ClearmlHyperParam {
  section: string;
  name: string;
  value: string;
  type?: string;
  description?: string;
}

/** `events.metrics_scalar_event`: one point of a plotted series (metric = graph, variant = line). */
export interface ClearmlScalarEvent {
  type: "training_stats_scalar";
  task: string;
  metric: string;
  variant: string;
  value: number;
  iter: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** `tasks.artifact`. */
export interface ClearmlArtifact {
  key: string;
  type: string;
  mode: "output" | "input";
  uri?: string;
  content_size?: number;
  hash?: string;
  /** Epoch seconds. */
  timestamp?: number;
  type_data?: { preview?: string; content_type?: string; data_hash?: string };
  display_data?: [string, string][];
}
