import { existsSync } from "node:fs";
import { rmdir, writeFile } from "node:fs/promises";
import type { Argv, CommandModule } from "yargs";
import { defaults, type InflowConfig, readConfig } from "../src/config/env.js";
import { throwIfProblems } from "../src/config/variables.js";
import { pushTaskMetrics } from "../src/monitoring/pushgateway.js";
import type { TaskResult, TaskResultValue } from "../src/monitoring/task-results.js";
import type { ArtifactStore } from "../src/store/store.js";
import type { ModelRegistry } from "../src/tracking/registry.js";
import type { TrackerRun } from "../src/tracking/tracker.js";
import { parseLogicalDate } from "../src/util/dates.js";
import { isPermanent, NothingToDo } from "../src/util/errors.js";
import { createLogger, type Logger, logsForPeople } from "../src/util/log.js";
import { absentLocalStoreFolders, openStore } from "../stores/open.js";
import { openModelRegistry, openTracker } from "./trackers.js";

/** Options every task takes (the task CLI contract in docs/architecture.md). */
export interface CommonOptions {
  date: string;
  "run-id"?: string;
  store?: string;
  "raw-store"?: string;
  tracking?: string;
}

export interface TaskContext<S = undefined> {
  date: string;
  runId: string;
  config: InflowConfig;
  /** The pipeline's own configuration (`TaskDefinition.settings`), read and checked with `config`. */
  settings: S;
  store: ArtifactStore;
  rawStore: ArtifactStore;
  run: TrackerRun;
  /** MLflow's model registry when MLflow is among the tracking backends, else null. */
  registry: ModelRegistry | null;
  log: Logger;
  /**
   * Aborted by SIGINT or SIGTERM. Awaited work hears the signal anyway; long synchronous work checks it
   * between steps (src/util/steps.ts), or the step hears the signal only when that work ends.
   */
  signal: AbortSignal;
  /**
   * A line of the human summary, printed above the JSON summary line. `personal` lines (ticket
   * text) are printed only to a terminal, for the person running the step, never to pod logs.
   */
  tell(line: string, options?: { personal?: boolean }): void;
  /** A result for the Pushgateway (src/monitoring/task-results.ts), pushed if the run succeeds. */
  measure(result: TaskResult, value: number, labels?: Record<string, string>): void;
}

export type Summary = Record<string, unknown>;

export interface TaskDefinition<O, S = undefined> {
  pipeline: "tickets" | "activity";
  step: string;
  /** The words a person types after the pipeline, when not the step's name (`topics accept`). */
  command?: string;
  describe: string;
  /** The step writes raw input (ingest, generate): a local raw store is created rather than required. */
  writesRawStore?: boolean;
  /**
   * The step reads raw input only (generate, ingest, preprocess): on its first run the derived store
   * rightly does not exist yet, so a failure is never blamed on a misspelled --store.
   */
  readsRawInputOnly?: boolean;
  options(argv: Argv<CommonOptions>): Argv<CommonOptions & O>;
  /**
   * The pipeline's own configuration, read once by the task runner with the common one: every problem
   * of both is listed in one ConfigError before anything runs.
   */
  settings?(env: NodeJS.ProcessEnv, options: CommonOptions & O, problems: string[]): S;
  run(context: TaskContext<S>, options: CommonOptions & O): Promise<Summary>;
}

export const xcomPath = "/airflow/xcom/return.json";
/** The step had nothing to do for its date (NothingToDo): not a failure; Airflow skips the task. */
export const NOTHING_TO_DO_EXIT_CODE = 3;

/**
 * The exit codes of a step stopped by SIGINT (Ctrl-C) or SIGTERM (Airflow or Kubernetes stopping the
 * pod): the shell's convention, 128 + the signal's number.
 */
export const INTERRUPTED_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Whether a step's exit code says a signal stopped it. */
export function wasInterrupted(exitCode: number): boolean {
  return Object.values<number>(INTERRUPTED_EXIT_CODES).includes(exitCode);
}

/** SIGINT or SIGTERM during a step. */
class Interrupted extends Error {
  override readonly name = "Interrupted";
  constructor(readonly signal: keyof typeof INTERRUPTED_EXIT_CODES) {
    super(`interrupted by ${signal}`);
  }
  get exitCode(): number {
    return INTERRUPTED_EXIT_CODES[this.signal];
  }
}

/** Where a step hears SIGINT and SIGTERM: the process, or a test's emitter. */
export type SignalSource = Pick<NodeJS.Process, "once" | "off">;

const commonGroup = "Common options:";

export function commonOptions(argv: Argv): Argv<CommonOptions> {
  return argv
    .group(["date", "run-id", "store", "raw-store", "tracking", "help", "version"], commonGroup)
    .option("date", {
      type: "string",
      demandOption: true,
      describe: "Logical date YYYY-MM-DD; the run reads only data before it",
    })
    .option("run-id", { type: "string", describe: "Run id (Airflow's run_id); default manual__<date>" })
    .option("store", {
      type: "string",
      describe: `Artifact store URI for derived data (env INFLOW_STORE, default ${defaults.store})`,
    })
    .option("raw-store", {
      type: "string",
      describe: `Artifact store URI for raw input (env INFLOW_RAW_STORE, default ${defaults.rawStore})`,
    })
    .option("tracking", {
      type: "string",
      describe: `Tracking backends, comma-separated: local, mlflow, clearml (env INFLOW_TRACKING, default ${defaults.tracking})`,
    });
}

/**
 * Wraps a step in the task contract: validated date and configuration, a tracked run, exit codes
 * (0 ok, 2 bad input or configuration, 1 retryable, 3 nothing to do for the date, 130 / 143
 * interrupted by SIGINT / SIGTERM), and a JSON
 * summary as the last stdout line (also written for KubernetesPodOperator's XCom when
 * /airflow/xcom exists).
 */
export function taskCommand<O, S>(task: TaskDefinition<O, S>): CommandModule {
  return {
    command: task.step,
    describe: task.describe,
    // Whatever is not common is the step's own: `--help` lists the two apart.
    builder: (argv) => task.options(commonOptions(argv)).updateStrings({ "Options:": "Step options:" }),
    handler: async (options) => {
      const exitCode = await runTask(task, options as unknown as CommonOptions & O);
      process.exitCode = exitCode;
      // The interrupted step's own work (worker threads, open requests) would keep the process alive.
      if (wasInterrupted(exitCode)) process.exit();
    },
  };
}

/** Removes `folders` (deepest first) while each is empty; whether the first, the store's own, went. */
async function removeEmptyFolders(folders: readonly string[]): Promise<boolean> {
  for (const [i, folder] of folders.entries()) {
    const removed = await rmdir(folder).then(
      () => true,
      () => false,
    );
    if (!removed) return i > 0;
  }
  return true;
}

type Typed = Pick<TaskDefinition<unknown>, "pipeline" | "step" | "command">;

/** The command as a person types it, for the lines written to them. */
function typedCommand(task: Typed): string {
  return `inflow ${task.pipeline} ${task.command ?? task.step}`;
}

/** The failure line's advice: exit 2 needs a change by the person, exit 1 may pass on a rerun. */
function whatToDo(task: Typed, exitCode: number): string {
  const command = typedCommand(task);
  if (wasInterrupted(exitCode))
    return "rerun the step when you want it: outputs are published whole or not at all.";
  return exitCode === 2
    ? `fix the input or configuration and rerun (\`${command} --help\` lists the options).`
    : "this may be transient: rerun the step; INFLOW_LOG_LEVEL=debug shows the stack trace.";
}

export async function runTask<O, S>(
  task: TaskDefinition<O, S>,
  options: CommonOptions & O,
  signals: SignalSource = process,
): Promise<number> {
  const log = createLogger(`${task.pipeline}.${task.step}`);
  // A signal ends the step where it is: its run is marked KILLED and the summary says so. Outputs are
  // published whole or not at all (src/store/publish.ts), so a rerun starts clean.
  let interrupt: (signal: keyof typeof INTERRUPTED_EXIT_CODES) => void = () => {};
  const aborting = new AbortController();
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = (signal) => {
      const reason = new Interrupted(signal);
      aborting.abort(reason);
      reject(reason);
    };
  });
  const onSigint = () => interrupt("SIGINT");
  const onSigterm = () => interrupt("SIGTERM");
  signals.once("SIGINT", onSigint);
  signals.once("SIGTERM", onSigterm);
  const started = Date.now();
  let run: TrackerRun | undefined;
  let summary!: Summary;
  let exitCode = 0;
  const told: string[] = [];
  const tell = (line: string, options?: { personal?: boolean }): void => {
    if (!options?.personal || process.stdout.isTTY) told.push(line);
  };
  const results: TaskResultValue[] = [];
  let config: InflowConfig | undefined;
  let storeFoldersMadeNow: string[] = [];
  const measure = (result: TaskResult, value: number, labels?: Record<string, string>): void => {
    results.push({ result, value, ...(labels ? { labels } : {}) });
  };
  const step = async (): Promise<void> => {
    const date = parseLogicalDate(options.date);
    const runId = options["run-id"] ?? `manual__${date}`;
    const problems: string[] = [];
    const overrides = { store: options.store, rawStore: options["raw-store"], tracking: options.tracking };
    config = readConfig(process.env, overrides, problems);
    // S is undefined exactly for the tasks that have no settings of their own.
    const settings = task.settings?.(process.env, options, problems) as S;
    throwIfProblems(problems);
    storeFoldersMadeNow = absentLocalStoreFolders(config.store);
    // Derived outputs may start an empty store; raw input must already be where the URI says.
    const [store, rawStore] = await Promise.all([
      openStore(config.store, process.env, { create: true }),
      openStore(config.rawStore, process.env, { create: task.writesRawStore }),
    ]);
    // Run ids of Airflow and of the CLI's default carry the date; another id is named next to it.
    const execution = runId.includes(date) ? runId : `${date} ${runId}`;
    run = await openTracker(config).startRun({
      experiment: `inflow-${task.pipeline}`,
      name: `${task.step} ${execution}`,
      tags: { pipeline: task.pipeline, step: task.step, logical_date: date, task_run_id: runId },
      execution: {
        key: `${task.pipeline}/${date}/${runId}`,
        name: `${task.pipeline} ${execution}`,
        tags: { pipeline: task.pipeline, logical_date: date, pipeline_run_id: runId },
      },
      command: `inflow ${task.pipeline} ${task.step}`,
    });
    log.info({ date, runId, store: config.store, trackerRun: run.id }, "task started");
    const result = await task.run(
      {
        date,
        runId,
        config,
        settings,
        store,
        rawStore,
        run,
        registry: openModelRegistry(config),
        log,
        signal: aborting.signal,
        tell,
        measure,
      },
      options,
    );
    await run.end("FINISHED");
    summary = {
      status: "ok",
      pipeline: task.pipeline,
      step: task.step,
      date,
      runId,
      trackerRun: run.link,
      ...result,
    };
  };
  try {
    await Promise.race([step(), interrupted]);
  } catch (error) {
    if (error instanceof NothingToDo) {
      // Not a failure: the tracked run finishes with the reason, and Airflow skips the task (exit 3).
      exitCode = NOTHING_TO_DO_EXIT_CODE;
      if (logsForPeople()) process.stderr.write(`${typedCommand(task)}: nothing to do, ${error.message}\n`);
      else log.info({ reason: error.message }, "nothing to do");
      await run
        ?.setTags({ skipped: error.message })
        .then(() => run?.end("FINISHED"))
        .catch((endError) => log.warn({ err: endError }, "could not mark the tracked run finished"));
      summary = { status: "skipped", pipeline: task.pipeline, step: task.step, reason: error.message };
    } else {
      exitCode = error instanceof Interrupted ? error.exitCode : isPermanent(error) ? 2 : 1;
      let message = error instanceof Error ? error.message : String(error);
      // Store folders this run made and left empty are most likely a misspelled --store: say so, and
      // leave the disk as it was (rmdir removes only an empty folder).
      if (storeFoldersMadeNow.length > 0 && (await removeEmptyFolders(storeFoldersMadeNow)))
        if (!(error instanceof Interrupted) && !task.readsRawInputOnly)
          message += ` (the store ${config?.store} did not exist: check --store or INFLOW_STORE)`;
      if (logsForPeople()) {
        log.debug({ err: error }, "task failed");
        process.stderr.write(`${typedCommand(task)} failed: ${message} — ${whatToDo(task, exitCode)}\n`);
      } else log.error({ err: error, exitCode }, "task failed");
      await run
        ?.end(error instanceof Interrupted ? "KILLED" : "FAILED")
        .catch((endError) => log.warn({ err: endError }, "could not mark the tracked run failed"));
      summary = { status: "error", pipeline: task.pipeline, step: task.step, exitCode, error: message };
    }
  }
  signals.off("SIGINT", onSigint);
  signals.off("SIGTERM", onSigterm);
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  // Short-lived pods can't be scraped: freshness and results go to the Pushgateway (a no-op without one).
  await pushTaskMetrics(
    {
      pipeline: task.pipeline,
      step: task.step,
      date: options.date,
      status: exitCode === 0 ? "ok" : exitCode === NOTHING_TO_DO_EXIT_CODE ? "skipped" : "error",
      durationSeconds: (Date.now() - started) / 1000,
      results,
    },
    config?.pushgatewayUrl ?? null,
    log,
  );
  const line = JSON.stringify(summary);
  if (exitCode === 0 && told.length > 0) process.stdout.write(`${told.join("\n")}\n`);
  process.stdout.write(`${line}\n`);
  if (existsSync("/airflow/xcom")) await writeFile(xcomPath, line);
  return exitCode;
}
