import { ConfigError } from "../src/util/errors.js";
import { chunkBatch, type LogBatch, validateBatch } from "./batch.js";
import { MlflowApiError, type MlflowConnection, MlflowHttp } from "./http.js";
import type {
  MlflowDatasetInput,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowRun,
  MlflowRunStatus,
  MlflowTag,
} from "./types.js";

const api = "/api/2.0/mlflow";

export interface SearchRunsOptions {
  experimentIds: string[];
  /** MLflow's search syntax, e.g. `tags.step = 'evaluate' and attributes.status = 'FINISHED'`. */
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
}

/**
 * A typed client for MLflow's REST API 2.0 and its proxied artifact API: experiments, runs, log-batch
 * within the request limits, artifacts, search and the model registry.
 */
export class MlflowClient {
  readonly http: MlflowHttp;

  constructor(connection: MlflowConnection) {
    this.http = new MlflowHttp(connection);
  }

  get trackingUri(): string {
    return this.http.baseUri;
  }

  async getExperimentByName(name: string): Promise<MlflowExperiment | null> {
    try {
      const { experiment } = await this.http.get<{ experiment: MlflowExperiment }>(
        `${api}/experiments/get-by-name`,
        { experiment_name: name },
      );
      return experiment;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async createExperiment(name: string): Promise<string> {
    const { experiment_id } = await this.http.post<{ experiment_id: string }>(`${api}/experiments/create`, {
      name,
    });
    return experiment_id;
  }

  /** Get or create; two steps creating the same experiment at once both end up with its id. */
  async ensureExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found) {
      if (found.lifecycle_stage === "deleted")
        throw new ConfigError(
          `MLflow experiment "${name}" is deleted: restore it or permanently delete it first`,
        );
      return found.experiment_id;
    }
    try {
      return await this.createExperiment(name);
    } catch (error) {
      if (!(error instanceof MlflowApiError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
      const raced = await this.getExperimentByName(name);
      if (!raced) throw error;
      return raced.experiment_id;
    }
  }

  async createRun(options: {
    experimentId: string;
    runName: string;
    tags: Record<string, string>;
    startTime?: number;
  }): Promise<MlflowRun> {
    const { run } = await this.http.post<{ run: MlflowRun }>(`${api}/runs/create`, {
      experiment_id: options.experimentId,
      run_name: options.runName,
      start_time: options.startTime ?? Date.now(),
      tags: toTags(options.tags),
    });
    return run;
  }

  async getRun(runId: string): Promise<MlflowRun> {
    const { run } = await this.http.get<{ run: MlflowRun }>(`${api}/runs/get`, { run_id: runId });
    return run;
  }

  /** Marks a run deleted (search no longer returns it; the garbage collector may remove it). */
  async deleteRun(runId: string): Promise<void> {
    await this.http.post(`${api}/runs/delete`, { run_id: runId });
  }

  async logInputs(runId: string, datasets: MlflowDatasetInput[]): Promise<void> {
    await this.http.post(`${api}/runs/log-inputs`, { run_id: runId, datasets });
  }

  /** MLflow 3: a logged model produced by `sourceRunId`, with its own artifact location (`artifact_uri`). */
  async createLoggedModel(options: {
    experimentId: string;
    name: string;
    sourceRunId: string;
    modelType: string;
    params: Record<string, string>;
    tags: Record<string, string>;
  }): Promise<MlflowLoggedModel> {
    const { model } = await this.http.post<{ model: MlflowLoggedModel }>(`${api}/logged-models`, {
      experiment_id: options.experimentId,
      name: options.name,
      source_run_id: options.sourceRunId,
      model_type: options.modelType,
      params: Object.entries(options.params).map(([key, value]) => ({ key, value })),
      tags: toTags(options.tags),
    });
    return model;
  }

  /** Marks a logged model's upload complete (READY) or failed. */
  async finalizeLoggedModel(modelId: string, ready: boolean): Promise<void> {
    await this.http.patch(`${api}/logged-models/${encodeURIComponent(modelId)}`, {
      model_id: modelId,
      status: ready ? "LOGGED_MODEL_READY" : "LOGGED_MODEL_UPLOAD_FAILED",
    });
  }

  /** Records a logged model as an output of the run (the run page's "Logged models"). */
  async logOutputs(runId: string, modelIds: string[], step = 0): Promise<void> {
    await this.http.post(`${api}/runs/outputs`, {
      run_id: runId,
      models: modelIds.map((model_id) => ({ model_id, step })),
    });
  }

  async updateRun(runId: string, status: MlflowRunStatus, endTime?: number): Promise<void> {
    await this.http.post(`${api}/runs/update`, { run_id: runId, status, end_time: endTime });
  }

  /** Sends the batch in as many requests as MLflow's limits need; any failed request fails the call. */
  async logBatch(runId: string, batch: LogBatch): Promise<number> {
    validateBatch(batch);
    const chunks = chunkBatch(batch);
    for (const chunk of chunks) await this.http.post(`${api}/runs/log-batch`, { run_id: runId, ...chunk });
    return chunks.length;
  }

  async searchRuns(options: SearchRunsOptions): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    const limit = options.maxResults ?? 1000;
    let pageToken: string | undefined;
    do {
      const page = await this.http.post<{ runs?: MlflowRun[]; next_page_token?: string }>(
        `${api}/runs/search`,
        {
          experiment_ids: options.experimentIds,
          filter: options.filter ?? "",
          order_by: options.orderBy ?? [],
          max_results: Math.min(1000, limit - runs.length),
          page_token: pageToken,
        },
      );
      runs.push(...(page.runs ?? []));
      pageToken = page.next_page_token || undefined;
    } while (pageToken && runs.length < limit);
    return runs;
  }

  /**
   * Uploads through the tracking server's proxied artifact API (`mlflow server --serve-artifacts`).
   * `artifactUri` is the run's `mlflow-artifacts:/<experiment>/<run>/artifacts`.
   */
  async uploadArtifact(
    artifactUri: string,
    path: string,
    body: Uint8Array,
    contentType: string,
  ): Promise<void> {
    await this.http.put(artifactUrlPath(artifactUri, path), body, contentType);
  }

  async downloadArtifact(artifactUri: string, path: string): Promise<Buffer> {
    return this.http.download(artifactUrlPath(artifactUri, path));
  }

  async getRegisteredModel(name: string): Promise<MlflowRegisteredModel | null> {
    try {
      const { registered_model } = await this.http.get<{ registered_model: MlflowRegisteredModel }>(
        `${api}/registered-models/get`,
        { name },
      );
      return registered_model;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async ensureRegisteredModel(name: string, description?: string): Promise<void> {
    if (await this.getRegisteredModel(name)) return;
    try {
      await this.http.post(`${api}/registered-models/create`, { name, description });
    } catch (error) {
      if (!(error instanceof MlflowApiError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
    }
  }

  async createModelVersion(options: {
    name: string;
    source: string;
    runId: string;
    /** MLflow 3's logged model the version is of (its source is then `models:/<model id>`). */
    modelId?: string;
    tags?: Record<string, string>;
  }): Promise<MlflowModelVersion> {
    const { model_version } = await this.http.post<{ model_version: MlflowModelVersion }>(
      `${api}/model-versions/create`,
      {
        name: options.name,
        source: options.source,
        run_id: options.runId,
        model_id: options.modelId,
        tags: toTags(options.tags ?? {}),
      },
    );
    return model_version;
  }

  async searchModelVersions(filter: string, orderBy: string[] = []): Promise<MlflowModelVersion[]> {
    const { model_versions } = await this.http.get<{ model_versions?: MlflowModelVersion[] }>(
      `${api}/model-versions/search`,
      { filter, ...(orderBy.length > 0 ? { order_by: orderBy.join(",") } : {}), max_results: 1000 },
    );
    return model_versions ?? [];
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.http.post(`${api}/registered-models/alias`, { name, alias, version });
  }

  /**
   * The version an alias points at, or null when the model or the alias does not exist. Read from the
   * registered model's alias list: MLflow answers a missing alias on `registered-models/alias` with
   * the same 400 INVALID_PARAMETER_VALUE as a malformed request.
   */
  async getVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | null> {
    const model = await this.getRegisteredModel(name);
    const version = model?.aliases?.find((a) => a.alias === alias)?.version;
    if (version === undefined) return null;
    const { model_version } = await this.http.get<{ model_version: MlflowModelVersion }>(
      `${api}/model-versions/get`,
      { name, version },
    );
    return model_version;
  }
}

/** A string literal of MLflow's search grammar. */
export function searchLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

export function toTags(tags: Record<string, string>): MlflowTag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/**
 * `mlflow-artifacts:/1/abc/artifacts` + `model/model.json` →
 * `/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/model.json`, as MLflow's own
 * MlflowArtifactsRepository resolves it against the tracking URI.
 */
export function artifactUrlPath(artifactUri: string, path: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  if (!match)
    throw new ConfigError(
      `the run's artifact location "${artifactUri}" is not served by the tracking server: start it with --serve-artifacts (and --artifacts-destination)`,
    );
  const segments = [...match[1]!.split("/"), ...path.split("/")].filter(Boolean);
  if (path.split("/").some((s) => s === ".." || s === "."))
    throw new Error(`artifact path "${path}" must not contain . or .. segments`);
  return `/api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join("/")}`;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof MlflowApiError && (error.status === 404 || error.code === "RESOURCE_DOES_NOT_EXIST")
  );
}
