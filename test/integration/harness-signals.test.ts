import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { repoRoot } from "../harness/cli.js";

/** Whether a process (or, for a negative id, a process group) still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  seconds: number,
): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

/**
 * `node --test` ends a test file's process with a signal when it is itself SIGTERMed or SIGINTed (a CI
 * job cancelled, Ctrl-C); the broker JVM (its own process group) and the members the file started must
 * die with it, not run on as orphans, and the broker's temp data dir must go with them.
 */
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`a test run ended by ${signal} leaves no Kafka broker or member process, nor the broker's data dir, behind`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "inflow-harness-signals-"));
    const pidsFile = join(dir, "pids.json");
    const runner = spawn(
      process.execPath,
      ["--import", "tsx", "--test", join(repoRoot, "test/fixtures/harness/holds-broker-and-member.ts")],
      {
        cwd: repoRoot,
        // A run of its own, not a subtest of this one (node --test marks its children so).
        env: { ...process.env, NODE_TEST_CONTEXT: undefined, INFLOW_TEST_PIDS_FILE: pidsFile },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    for (const stream of [runner.stdout, runner.stderr])
      stream.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const exited = new Promise((resolve) => runner.once("exit", resolve));
    let pids: { broker: number; member: number; dir: string } | undefined;
    try {
      await until(
        async () => {
          // Not there yet, or half written.
          pids = await readFile(pidsFile, "utf8")
            .then((text) => JSON.parse(text) as { broker: number; member: number; dir: string })
            .catch(() => undefined);
          return pids !== undefined || runner.exitCode !== null;
        },
        "the broker and the member started",
        // As long as the broker harness itself allows for a start on a loaded machine.
        180,
      );
      assert.ok(pids, `the run ended before starting both:\n${output}`);
      const { broker, member, dir: brokerDir } = pids;
      assert.ok(alive(-broker) && alive(member), "both running before the signal");
      assert.ok(existsSync(brokerDir), "the broker's data dir there before the signal");
      runner.kill(signal);
      await exited;
      // Without the harness's handler both outlive the run (reparented to init).
      await until(
        () => !alive(-broker) && !alive(member),
        "the broker's process group and the member gone",
        60,
      );
      // Without the harness removing it on the signal this fails: the dir outlives the run.
      await until(() => !existsSync(brokerDir), "the broker's data dir removed", 60);
    } finally {
      runner.kill("SIGKILL");
      for (const pid of pids ? [-pids.broker, pids.member] : []) if (alive(pid)) process.kill(pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
      if (pids) await rm(pids.dir, { recursive: true, force: true });
    }
  });
}
