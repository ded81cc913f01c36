/** wrk as bench:api and bench:api-overhead drive it: 32 connections, one thread, POSTing JSON bodies round-robin. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

export const connections = 32;

/** wrk's output for `duration` seconds of load on `url` with the bodies of `script` (see writeLua). */
export function wrk(url: string, script: string, duration: number): Promise<string> {
  const child = spawn(
    "wrk",
    ["-t1", `-c${connections}`, `-d${duration}s`, "--latency", "--timeout", "5s", "-s", script, url],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed: ${err}`))));
  });
}

/** A wrk script that POSTs the bodies round-robin (Lua long strings hold the JSON verbatim). */
export function writeLua(path: string, bodies: string[]): string {
  const list = bodies.map((b) => `[==[${b}]==]`).join(",\n");
  writeFileSync(
    path,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal bodies = {${list}}\nlocal i = 0\n` +
      "request = function()\n  i = i % #bodies + 1\n  return wrk.format(nil, nil, nil, bodies[i])\nend\n",
  );
  return path;
}

/** Requests answered, and those answered with an error or not at all, in wrk's output. */
export function wrkCounts(output: string): { requests: number; errors: number } {
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requests, errors: non2xx + socketErrors };
}

export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy`);
}

export function ensureWrk(): void {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  console.error("wrk is missing: installing it with apt-get");
  const install = spawnSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq wrk"], {
    stdio: "inherit",
  });
  if (install.status !== 0) throw new Error("could not install wrk (apt-get install wrk)");
}
