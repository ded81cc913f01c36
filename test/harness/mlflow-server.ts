import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stopsWithTest } from "./children.js";
import { repoRoot } from "./cli.js";
import { freePort } from "./net.js";

/** A real MLflow tracking server (SQLite backend, proxied artifact serving) on loopback, from .venv-mlflow. */
export interface MlflowServer {
  uri: string;
  /** .venv-mlflow's python, for reading back with MLflow's own client. */
  python: string;
  /** Where the server keeps its database and artifacts. */
  dir: string;
  /** Stops gracefully and removes the server's files. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: the files stay, so restart() continues with the same data. */
  kill(): void;
  restart(): Promise<void>;
}

const venv = join(repoRoot, ".venv-mlflow");

export async function startMlflowServer(): Promise<MlflowServer> {
  const mlflow = join(venv, "bin/mlflow");
  if (!existsSync(mlflow)) throw new Error("MLflow is not installed: run `bash scripts/setup-mlflow.sh`");
  const dir = await mkdtemp(join(tmpdir(), "inflow-mlflow-"));
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = "";

  const launch = async () => {
    log = "";
    child = stopsWithTest(
      spawn(
        mlflow,
        [
          "server",
          "--backend-store-uri",
          `sqlite:///${join(dir, "mlflow.db")}`,
          "--artifacts-destination",
          join(dir, "artifacts"),
          "--serve-artifacts",
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          "--workers",
          "1",
        ],
        // Own process group: the server starts uvicorn workers that must die with it.
        {
          cwd: dir,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, MLFLOW_SERVER_ALLOWED_HOSTS: `127.0.0.1:${port},localhost:${port}` },
        },
      ),
      { group: true },
    );
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    await waitForHealth(uri, child, () => log);
  };

  const signal = (name: NodeJS.Signals) => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, name);
  };
  const exited = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    await new Promise((resolve) => current.once("exit", resolve));
  };

  await launch();
  return {
    uri,
    python: join(venv, "bin/python"),
    dir,
    async stop() {
      signal("SIGTERM");
      await exited();
      await rm(dir, { recursive: true, force: true });
    },
    kill() {
      signal("SIGKILL");
    },
    async restart() {
      signal("SIGKILL");
      await exited();
      await launch();
    },
  };
}

async function waitForHealth(uri: string, child: ChildProcess, log: () => string): Promise<void> {
  // First start migrates the SQLite schema; generous, since the machine is shared.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${uri}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`mlflow server did not become healthy at ${uri}:\n${log()}`);
}
