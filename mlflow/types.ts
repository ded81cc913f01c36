/** The shapes of MLflow's REST API 2.0 that Inflow uses (snake_case as on the wire). */

export interface MlflowMetric {
  key: string;
  /** Protobuf JSON: a number, or "NaN" / "Infinity" / "-Infinity". */
  value: number | string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  step: number;
}

export interface MlflowParam {
  key: string;
  value: string;
}

export interface MlflowTag {
  key: string;
  value: string;
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
}

export type MlflowRunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export interface MlflowRunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  status: MlflowRunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage?: string;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data: {
    metrics?: MlflowMetric[];
    params?: MlflowParam[];
    tags?: MlflowTag[];
  };
}

/** `log-inputs`: a dataset the run read (`source` and `profile` are JSON strings, `digest` ≤ 36 chars). */
export interface MlflowDatasetInput {
  tags: MlflowTag[];
  dataset: {
    name: string;
    digest: string;
    source_type: string;
    source: string;
    profile?: string;
  };
}

/** MLflow 3's logged model: a model with its own artifact location, produced by a run. */
export interface MlflowLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    artifact_uri: string;
    source_run_id?: string;
    status?: string;
  };
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  source: string;
  run_id?: string;
  model_id?: string;
  status?: string;
  creation_timestamp?: number;
  tags?: MlflowTag[];
  aliases?: string[];
}

export interface MlflowRegisteredModel {
  name: string;
  aliases?: { alias: string; version: string }[];
  latest_versions?: MlflowModelVersion[];
  tags?: MlflowTag[];
}

/** MLflow's error body: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`. */
export interface MlflowErrorBody {
  error_code?: string;
  message?: string;
}
