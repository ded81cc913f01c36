import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";

/**
 * Processes a test started that must not outlive it: servers (a Kafka broker, moto, MLflow) and CLI
 * members. A test file runs in its own process under `node --test`, which the runner ends with SIGTERM
 * when it is itself SIGTERMed or SIGINTed; a signal's default action skips `after()` hooks and `exit`
 * handlers, so without this a broker JVM in its own process group, or a spawned member, lives on.
 * On `exit`, SIGTERM and SIGINT each live child gets SIGKILL (its whole group when it leads one:
 * spawned `detached`), the temp dirs registered with removedWithTest are removed, then the signal
 * ends this process as it would have.
 */
const live = new Map<ChildProcess, { group: boolean }>();

export function stopsWithTest<C extends ChildProcess>(child: C, { group = false } = {}): C {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  live.set(child, { group });
  child.once("exit", () => live.delete(child));
  return child;
}

/**
 * SIGKILLs every child still registered: for a suite's `after()`, so a member a failed test never stopped
 * (its client retrying forever) does not keep the test file's process alive.
 */
export function stopChildren(): void {
  for (const [child, { group }] of live) {
    if (!child.pid) continue;
    try {
      process.kill(group ? -child.pid : child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

/** Temp dirs those processes write (a broker's data): removed with them, not left in the temp dir. */
const dirs = new Set<string>();

/** Registers a temp dir to be removed on exit, SIGTERM or SIGINT (after the children are killed) unless removeNow removed it first. */
export function removedWithTest(dir: string): string {
  dirs.add(dir);
  return dir;
}

export async function removeNow(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** On the way out: the children killed first, so none writes into a dir being removed. */
function endAll(): void {
  stopChildren();
  // A killed JVM may still be flushing for a moment: retried on ENOTEMPTY.
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  dirs.clear();
}

process.once("exit", endAll);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    endAll();
    process.kill(process.pid, signal);
  });
}
