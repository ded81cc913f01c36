import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  INTERRUPTED_EXIT_CODES,
  NOTHING_TO_DO_EXIT_CODE,
  runTask,
  type SignalSource,
  type TaskDefinition,
  wasInterrupted,
} from "../../tasks/task.js";

/**
 * Ctrl-C on a terminal, SIGTERM from Airflow or Kubernetes: the step stops, its tracked run is marked
 * KILLED (it stayed RUNNING for ever before) and the summary says it was interrupted.
 */
let dir: string;
const saved = { ...process.env };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "inflow-interrupt-"));
  Object.assign(process.env, {
    INFLOW_STORE: `file://${dir}/clean`,
    INFLOW_RAW_STORE: `file://${dir}/raw`,
    INFLOW_RUN_STORE: `${dir}/runs`,
    INFLOW_TRACKING: "local",
    INFLOW_LOG_LEVEL: "silent",
  });
});
after(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

/** A step that never finishes on its own; `started` resolves once it runs (its tracked run is open). */
function stuckStep(): { task: TaskDefinition<object>; started: Promise<void> } {
  let started!: () => void;
  const ready = new Promise<void>((done) => {
    started = done;
  });
  const task: TaskDefinition<object> = {
    pipeline: "tickets",
    step: "stuck",
    describe: "never ends",
    writesRawStore: true,
    options: (argv) => argv,
    run: () => {
      started();
      return new Promise(() => {});
    },
  };
  return { task, started: ready };
}

async function interrupted(signal: "SIGINT" | "SIGTERM", date: string) {
  const { task, started } = stuckStep();
  const signals = new EventEmitter() as unknown as SignalSource & EventEmitter;
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stdout.write;
  try {
    const exit = runTask(task, { date } as never, signals);
    await started;
    signals.emit(signal);
    return { code: await exit, summary: JSON.parse(lines.at(-1)!), listeners: signals.listenerCount(signal) };
  } finally {
    process.stdout.write = write;
  }
}

async function runRecords(): Promise<{ status: string; tags: Record<string, string> }[]> {
  const experiment = join(dir, "runs", "inflow-tickets");
  return Promise.all(
    (await readdir(experiment)).map(async (id) =>
      JSON.parse(await readFile(join(experiment, id, "run.json"), "utf8")),
    ),
  );
}

test("SIGINT: exit 130, the tracked run KILLED, an error summary; SIGTERM: exit 143", {
  timeout: 60_000,
}, async () => {
  const sigint = await interrupted("SIGINT", "2026-11-23");
  assert.equal(sigint.code, 130);
  assert.deepEqual(
    [sigint.summary.status, sigint.summary.exitCode, sigint.summary.error],
    ["error", 130, "interrupted by SIGINT"],
  );
  assert.equal(sigint.listeners, 0, "the step's signal listeners are removed once it ends");
  const sigterm = await interrupted("SIGTERM", "2026-11-24");
  assert.equal(sigterm.code, 143);
  const runs = await runRecords();
  assert.deepEqual(runs.map((r) => [r.tags.logical_date, r.status]).sort(), [
    ["2026-11-23", "KILLED"],
    ["2026-11-24", "KILLED"],
  ]);
});

test("the interrupted exit codes are the shell's 128 + signal number, and no other code counts as one", () => {
  assert.deepEqual(INTERRUPTED_EXIT_CODES, {
    SIGINT: 128 + constants.signals.SIGINT,
    SIGTERM: 128 + constants.signals.SIGTERM,
  });
  assert.deepEqual([0, 1, 2, NOTHING_TO_DO_EXIT_CODE, 129, 130, 137, 143].filter(wasInterrupted), [130, 143]);
});
