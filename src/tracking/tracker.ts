/**
 * The tracking interface every backend implements (local run store, MLflow, ClearML).
 * A step records one run: params, metrics (optionally per step), tags, artifacts and an end status.
 */
export type ParamValue = string | number | boolean;
export type RunStatus = "FINISHED" | "FAILED" | "KILLED";

export interface StartRunOptions {
  experiment: string;
  name: string;
  tags?: Record<string, string>;
  /** The pipeline execution (one DAG run, or one CLI date and run id) this run is a step of. */
  execution?: PipelineExecution;
  /** The command that runs the step, e.g. `inflow tickets train` (MLflow's `mlflow.source.name`). */
  command?: string;
}

/**
 * One execution of a pipeline: backends that nest runs (MLflow) keep its steps under one parent run,
 * found again by `key` when the next step (another process, another pod) starts.
 */
export interface PipelineExecution {
  key: string;
  name: string;
  tags: Record<string, string>;
}

/** A dataset a step read, as MLflow's `log-inputs` records it. */
export interface TrackedDataset {
  /** What it is and for which date, e.g. `tickets/labelled date=2026-03-09`. */
  name: string;
  /** Where it was read from (a store URI). */
  uri: string;
  sha256: string;
  /** How the step used it: MLflow's `mlflow.data.context` ("training", "evaluation", "input"). */
  context: "training" | "evaluation" | "input";
  rows?: number;
}

export interface TrackedArtifact {
  /** Name inside the run, e.g. "confusion-matrix.png". */
  name: string;
  body: Uint8Array | string;
  contentType?: string;
  /** The artifact store URI it was published to first, when it was. */
  storeUri?: string;
}

/** Tags recording datasets for backends without a dataset concept: `input.<name>.sha256` and `.uri`. */
export function datasetTags(datasets: TrackedDataset[]): Record<string, string> {
  return Object.fromEntries(
    datasets.flatMap((d) => [
      [`input.${d.name}.sha256`, d.sha256],
      [`input.${d.name}.uri`, d.uri],
    ]),
  );
}

/** The artifact's body as bytes (a string body as UTF-8), as every backend sends or stores it. */
export function artifactBytes(artifact: TrackedArtifact): Uint8Array {
  return typeof artifact.body === "string" ? Buffer.from(artifact.body) : artifact.body;
}

export interface TrackerRun {
  /** The backend's id for the run. */
  readonly id: string;
  /** A link or path a person can open to see the run. */
  readonly link: string;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  /** One metric's values at steps firstStep, firstStep + 1, … (an optimizer's objective per iteration). */
  logSeries(key: string, values: number[], firstStep?: number): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  logArtifact(artifact: TrackedArtifact): Promise<void>;
  /** Records the datasets the step read (name, digest, source); backends without datasets keep them as tags. */
  logInputs(datasets: TrackedDataset[]): Promise<void>;
  end(status: RunStatus): Promise<void>;
}

export interface Tracker {
  readonly backend: string;
  startRun(options: StartRunOptions): Promise<TrackerRun>;
}

/** Fans one step's records out to several backends; the first backend's id and link identify the run. */
export class FanOutTracker implements Tracker {
  readonly backend: string;

  constructor(private readonly trackers: Tracker[]) {
    if (trackers.length === 0) throw new Error("FanOutTracker needs at least one tracker");
    this.backend = trackers.map((t) => t.backend).join("+");
  }

  async startRun(options: StartRunOptions): Promise<TrackerRun> {
    const started = await Promise.allSettled(this.trackers.map((t) => t.startRun(options)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    const runs = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    if (failed) {
      // A run that could not start everywhere did not start: close the parts that did, so none stays RUNNING.
      await Promise.allSettled(runs.map((r) => r.end("FAILED")));
      throw failed.reason;
    }
    const all = async (call: (run: TrackerRun) => Promise<void>) => {
      await Promise.all(runs.map(call));
    };
    const run: CompositeRun = {
      parts: runs,
      id: runs[0]!.id,
      link: runs.map((r) => r.link).join(" "),
      logParams: (params) => all((r) => r.logParams(params)),
      logMetrics: (metrics, step) => all((r) => r.logMetrics(metrics, step)),
      logSeries: (key, values, firstStep) => all((r) => r.logSeries(key, values, firstStep)),
      setTags: (tags) => all((r) => r.setTags(tags)),
      logArtifact: (artifact) => all((r) => r.logArtifact(artifact)),
      logInputs: (datasets) => all((r) => r.logInputs(datasets)),
      end: (status) => all((r) => r.end(status)),
    };
    return run;
  }
}

/** A fan-out run exposes its backends' runs, so a backend feature (a model registry) can find its own. */
export interface CompositeRun extends TrackerRun {
  readonly parts: readonly TrackerRun[];
}

/** The run itself, or the part of a fan-out run, that `is` recognises. */
export function findRun<T extends TrackerRun>(run: TrackerRun, is: (r: TrackerRun) => r is T): T | undefined {
  if (is(run)) return run;
  const parts = (run as Partial<CompositeRun>).parts ?? [];
  return parts.find(is);
}
