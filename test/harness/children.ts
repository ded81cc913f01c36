import type { ChildProcess } from "node:child_process";

/**
 * Processes a test started that must not outlive it: servers (a Kafka broker, moto, MLflow) and CLI
 * members. A test file runs in its own process under `node --test`, which the runner ends with SIGTERM
 * when it is itself SIGTERMed or SIGINTed; a signal's default action skips `after()` hooks and `exit`
 * handlers, so without this a broker JVM in its own process group, or a spawned member, lives on.
 * On `exit`, SIGTERM and SIGINT each live child gets SIGKILL (its whole group when it leads one:
 * spawned `detached`), then the signal ends this process as it would have.
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

process.once("exit", stopChildren);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    stopChildren();
    process.kill(process.pid, signal);
  });
}
