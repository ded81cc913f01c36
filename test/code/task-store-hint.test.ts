/**
 * A step that fails on a derived store this run had to create says the store did not exist (a
 * misspelled --store, most likely), except the steps that read raw input only: on their first run the
 * store rightly does not exist, and a missing input file or a bad department is no store's fault.
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { InputError } from "../../src/util/errors.js";
import { runTask, type SignalSource, type TaskDefinition } from "../../tasks/task.js";

let dir: string;
const saved = { ...process.env };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "inflow-store-hint-"));
  Object.assign(process.env, {
    INFLOW_RAW_STORE: `file://${dir}/raw`,
    INFLOW_RUN_STORE: `${dir}/runs`,
    INFLOW_TRACKING: "local",
    INFLOW_LOG_LEVEL: "silent",
    INFLOW_LOG_FORMAT: "json",
  });
});
after(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

async function failedSummary(readsRawInputOnly: boolean, store: string): Promise<Record<string, unknown>> {
  const task: TaskDefinition<object> = {
    pipeline: "tickets",
    step: "failing",
    describe: "fails on its input",
    writesRawStore: true,
    readsRawInputOnly,
    options: (argv) => argv,
    run: () => Promise.reject(new InputError("cannot read /missing.json")),
  };
  const lines: string[] = [];
  const write = process.stdout.write;
  // Only the step's summary line is taken: the test reporter writes to stdout too.
  process.stdout.write = ((...args: Parameters<typeof write>) =>
    String(args[0]).startsWith('{"status"')
      ? lines.push(String(args[0])) > 0
      : write.apply(process.stdout, args)) as typeof process.stdout.write;
  try {
    process.env.INFLOW_STORE = `file://${store}`;
    const code = await runTask(task, { date: "2026-01-05" }, new EventEmitter() as unknown as SignalSource);
    assert.equal(code, 2);
    return JSON.parse(lines.at(-1)!);
  } finally {
    process.stdout.write = write;
  }
}

test("a step reading raw input only is not told its new derived store did not exist", async () => {
  const summary = await failedSummary(true, join(dir, "first"));
  assert.equal(summary.error, "cannot read /missing.json");
  assert.equal(existsSync(join(dir, "first")), false, "the empty store folder is still removed");
});

test("a step reading derived data is told the store it had to create did not exist", async () => {
  const summary = await failedSummary(false, join(dir, "typo"));
  assert.match(
    String(summary.error),
    /^cannot read \/missing\.json \(the store file:\S+typo did not exist: check --store/,
  );
});
