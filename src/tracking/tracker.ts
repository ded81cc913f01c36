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
}

export interface TrackedArtifact {
  /** Name inside the run, e.g. "confusion-matrix.png". */
  name: string;
  body: Uint8Array | string;
  contentType?: string;
  /** The artifact store URI it was published to first, when it was. */
  storeUri?: string;
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
  setTags(tags: Record<string, string>): Promise<void>;
  logArtifact(artifact: TrackedArtifact): Promise<void>;
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
      setTags: (tags) => all((r) => r.setTags(tags)),
      logArtifact: (artifact) => all((r) => r.logArtifact(artifact)),
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
