/**
 * Runs the real Prometheus tools for tests: Prometheus, Alertmanager and the Pushgateway as child
 * processes on 127.0.0.1 random ports with temp data dirs (killed by stop(), even after a failed test),
 * and promtool / amtool as commands. Binaries come from Debian's packages (scripts/setup-monitoring.sh).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { stopsWithTest } from "./children.js";
import { freePort } from "./net.js";

export const monitoringDir = new URL("../../monitoring/", import.meta.url).pathname;

const run = promisify(execFile);

export interface ToolResult {
  code: number;
  output: string;
}

/** Runs a tool to completion; never throws on a non-zero exit (the caller asserts on it). */
export async function tool(command: string, args: string[], cwd = monitoringDir): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 16 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

export interface RunningService {
  url: string;
  dir: string;
  /** What the process wrote so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns a service, waits until `readyPath` answers 200 (30 s at most), and knows how to stop it. */
async function startService(
  name: string,
  command: string,
  args: (port: number, dir: string) => string[],
  readyPath: string,
): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), `inflow-${name}-`));
  const port = await freePort();
  const child = stopsWithTest(
    spawn(command, args(port, dir), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }),
  );
  let log = "";
  child.stdout!.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    log += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    url,
    dir,
    output: () => log,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      if ((await fetch(`${url}${readyPath}`)).ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.stop();
  throw new Error(`${name} did not become ready on ${url}:\n${log}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export function startPrometheus(configFile: string): Promise<RunningService> {
  return startService(
    "prometheus",
    "prometheus",
    (port, dir) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}`,
    ],
    "/-/ready",
  );
}

export function startAlertmanager(configFile: string): Promise<RunningService> {
  return startService(
    "alertmanager",
    "prometheus-alertmanager",
    (port, dir) => [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: a lone test instance must not bind the cluster port.
      "--cluster.listen-address=",
    ],
    "/-/ready",
  );
}

export function startPushgateway(): Promise<RunningService> {
  return startService(
    "pushgateway",
    "prometheus-pushgateway",
    (port) => [`--web.listen-address=127.0.0.1:${port}`],
    "/-/ready",
  );
}

/** Alertmanager's version as [major, minor], from `amtool --version`. */
export async function alertmanagerVersion(): Promise<[number, number]> {
  const { output } = await tool("amtool", ["--version"]);
  const match = /version (\d+)\.(\d+)/.exec(output);
  if (!match) throw new Error(`cannot read amtool's version from: ${output}`);
  return [Number(match[1]), Number(match[2])];
}

export interface AlertmanagerOverrides {
  /** Telegram Bot API root (default: the shipped api.telegram.org). */
  apiUrl?: string;
  chatId?: number;
  botToken: string;
  /** Route timings, shortened for tests. */
  groupWait?: string;
  groupInterval?: string;
}

/**
 * The shipped alertmanager.yml, written to `dir` with test values: the bot token goes into a file
 * (bot_token_file, Alertmanager >= 0.26) or, on older Alertmanagers such as Debian bookworm's 0.25,
 * inline as bot_token; templates are pointed at monitoring/alertmanager/templates. Returns the path.
 */
export async function writeAlertmanagerConfig(
  dir: string,
  overrides: AlertmanagerOverrides,
): Promise<string> {
  const config = parse(await readFile(join(monitoringDir, "alertmanager/alertmanager.yml"), "utf8"));
  const [major, minor] = await alertmanagerVersion();
  const tokenFile = join(dir, "telegram-bot-token");
  await writeFile(tokenFile, overrides.botToken);
  for (const receiver of config.receivers) {
    for (const telegram of receiver.telegram_configs ?? []) {
      delete telegram.bot_token_file;
      if (major > 0 || minor >= 26) telegram.bot_token_file = tokenFile;
      else telegram.bot_token = overrides.botToken;
      if (overrides.apiUrl) telegram.api_url = overrides.apiUrl;
      if (overrides.chatId !== undefined) telegram.chat_id = overrides.chatId;
    }
  }
  config.templates = config.templates.map((glob: string) => join(monitoringDir, "alertmanager", glob));
  if (overrides.groupWait) config.route.group_wait = overrides.groupWait;
  if (overrides.groupInterval) config.route.group_interval = overrides.groupInterval;
  const path = join(dir, "alertmanager.yml");
  await writeFile(path, stringify(config));
  return path;
}

/** Instant query against a running Prometheus. */
export async function queryPrometheus(
  url: string,
  expr: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; data: { result: never[] }; error?: string };
  if (body.status !== "success") throw new Error(`query ${expr} failed: ${body.error}`);
  return body.data.result;
}
