import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The tags MLflow's own clients set on every run (`mlflow.user`, `mlflow.source.*`), so the runs table
 * shows who ran which command from which commit. The commit comes from INFLOW_GIT_COMMIT (set when an
 * image is built, which has no .git) or else from the checkout Inflow runs from; without either it is left out.
 */
export function sourceTags(command: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const commit = env.INFLOW_GIT_COMMIT || checkoutCommit();
  return {
    "mlflow.user": user(env),
    "mlflow.source.type": "JOB",
    "mlflow.source.name": command,
    ...(commit ? { "mlflow.source.git.commit": commit } : {}),
  };
}

function user(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return env.USER || env.LOGNAME || "unknown";
  }
}

let commitOfCheckout: string | null | undefined;

function checkoutCommit(): string | null {
  if (commitOfCheckout === undefined) {
    try {
      commitOfCheckout = execFileSync("git", ["rev-parse", "HEAD"], {
        cwd: dirname(fileURLToPath(import.meta.url)),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5000,
      }).trim();
    } catch {
      commitOfCheckout = null;
    }
  }
  return commitOfCheckout || null;
}
