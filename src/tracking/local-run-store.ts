import { randomUUID } from "node:crypto";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError } from "../util/errors.js";
import { makeFolders, unwritableCause } from "../util/folders.js";
import { sha256 } from "../util/hash.js";
import {
  artifactBytes,
  type ParamValue,
  type RunStatus,
  type StartRunOptions,
  type TrackedArtifact,
  type TrackedDataset,
  type Tracker,
  type TrackerRun,
} from "./tracker.js";

/** One run as the local run store keeps it: `<root>/<experiment>/<run id>/run.json` plus `artifacts/`. */
export interface LocalRunRecord {
  id: string;
  experiment: string;
  name: string;
  status: RunStatus | "RUNNING";
  startTime: string;
  endTime?: string;
  params: Record<string, ParamValue>;
  metrics: { key: string; value: number; step: number; timestamp: string }[];
  tags: Record<string, string>;
  artifacts: { name: string; sha256: string; size: number; storeUri?: string }[];
  inputs: TrackedDataset[];
  /** The pipeline execution the run is a step of. */
  execution?: string;
}

/** The default tracker: no server, runs written as JSON files a person (or a test) can read. */
export class LocalRunStore implements Tracker {
  readonly backend = "local";
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async startRun(options: StartRunOptions): Promise<TrackerRun> {
    const id = randomUUID().replaceAll("-", "");
    const dir = join(this.root, safe(options.experiment), id);
    await makeFolders(join(dir, "artifacts")).catch((error) => {
      const cause = unwritableCause(error);
      if (cause === undefined) throw error;
      throw new ConfigError(`cannot write the local run store ${this.root}: ${cause}; set INFLOW_RUN_STORE`);
    });
    const record: LocalRunRecord = {
      id,
      experiment: options.experiment,
      name: options.name,
      status: "RUNNING",
      startTime: new Date().toISOString(),
      params: {},
      metrics: [],
      tags: { ...options.tags },
      artifacts: [],
      inputs: [],
      execution: options.execution?.key,
    };
    const save = async () => {
      const temp = join(dir, `run.json.tmp-${randomUUID()}`);
      await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
      await rename(temp, join(dir, "run.json"));
    };
    await save();
    return {
      id,
      link: join(dir, "run.json"),
      async logParams(params) {
        Object.assign(record.params, params);
        await save();
      },
      async logMetrics(metrics, step = 0) {
        const timestamp = new Date().toISOString();
        for (const [key, value] of Object.entries(metrics))
          record.metrics.push({ key, value, step, timestamp });
        await save();
      },
      async logSeries(key, values, firstStep = 1) {
        const timestamp = new Date().toISOString();
        for (const [i, value] of values.entries())
          record.metrics.push({ key, value, step: firstStep + i, timestamp });
        await save();
      },
      async setTags(tags) {
        Object.assign(record.tags, tags);
        await save();
      },
      async logArtifact(artifact: TrackedArtifact) {
        const bytes = artifactBytes(artifact);
        await writeFile(join(dir, "artifacts", safe(artifact.name)), bytes);
        record.artifacts.push({
          name: artifact.name,
          sha256: sha256(bytes),
          size: bytes.byteLength,
          storeUri: artifact.storeUri,
        });
        await save();
      },
      async logInputs(datasets) {
        record.inputs.push(...datasets);
        await save();
      },
      async end(status) {
        record.status = status;
        record.endTime = new Date().toISOString();
        await save();
      },
    };
  }

  /** Runs of an experiment, oldest first (used by tests and by comparisons with previous runs). */
  async listRuns(experiment: string): Promise<LocalRunRecord[]> {
    const dir = join(this.root, safe(experiment));
    const ids = await readdir(dir).catch(() => [] as string[]);
    const runs = await Promise.all(
      ids.map(async (id) => JSON.parse(await readFile(join(dir, id, "run.json"), "utf8")) as LocalRunRecord),
    );
    return runs.sort((a, b) => a.startTime.localeCompare(b.startTime));
  }
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}
