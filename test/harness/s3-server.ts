/**
 * A real S3-compatible server for tests: moto's standalone server (PyPI, venv made by
 * scripts/setup-s3.sh) as a child process on 127.0.0.1 and a random port. Not an in-process mock:
 * clients speak HTTP to it like to MinIO or Yandex Object Storage.
 *
 * moto keeps objects in memory, so by default the harness has moto record every request and, on
 * restart(), replays the recording into the new process (s3-recording.ts): kill() is a real SIGKILL
 * of the server, and restart() brings back what it had accepted, as a disk-backed server would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { stopsWithTest } from "./children.js";
import { repoRoot } from "./cli.js";
import { replayRecording, trimRecording, watchRecording } from "./s3-recording.js";

export interface S3ServerOptions {
  /** Keep objects across kill()/restart() (request recording and replay). Default true. */
  persist?: boolean;
  /**
   * Enforce IAM authentication: only the key pair in `env` is accepted, so bad credentials get the
   * errors real S3 gives. Default false; not together with persist (replayed signatures go stale).
   */
  auth?: boolean;
}

export interface S3Server {
  endpoint: string;
  /** AWS_* variables (and INFLOW_S3_FORCE_PATH_STYLE) for a CLI or client talking to this server. */
  env: Record<string, string>;
  createBucket(name: string): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after 5 s); removes the server's files. */
  stop(): Promise<void>;
  /** SIGKILL now, for fault tests. */
  kill(): void;
  /** A new server process on the same port with the state the killed one had accepted (when persisting). */
  restart(): Promise<void>;
  /**
   * Arms a SIGKILL that fires as soon as the server has received a request matching `match` (whole
   * request received, maybe not yet handled): a crash in the middle of a client's work. Needs persist.
   */
  killOnRequest(match: (method: string, url: string) => boolean): Promise<{ fired: Promise<void> }>;
}

export const motoPython = join(repoRoot, ".tools/moto-venv/bin/python");

/**
 * moto's server is threaded and its recorder appends each request with two writes; a lock keeps
 * concurrent requests from interleaving their lines. Then it is moto's own command line.
 */
const launcher = `
import sys, threading
from moto.moto_api._internal.recorder.models import Recorder
record, lock = Recorder._record_request, threading.Lock()
def locked(self, *args, **kwargs):
    with lock:
        record(self, *args, **kwargs)
Recorder._record_request = locked
from moto.server import main
main(sys.argv[1:])
`;

import { freePort } from "./net.js";

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const persist = options.persist ?? !options.auth;
  if (persist && options.auth) throw new Error("startS3Server: auth and persist don't mix");
  if (!existsSync(motoPython)) throw new Error(`${motoPython} is missing: run bash scripts/setup-s3.sh`);
  const dir = await mkdtemp(join(tmpdir(), "inflow-s3-server-"));
  const recording = join(dir, "recording.jsonl");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = "";
  const watchers = new Set<() => void>();

  const launch = async (recordFromStart: boolean): Promise<void> => {
    const env: NodeJS.ProcessEnv = { ...process.env, MOTO_RECORDER_FILEPATH: recording };
    if (recordFromStart) env.MOTO_ENABLE_RECORDING = "true";
    // The first three requests (the IAM user set-up below) pass unauthenticated; all later ones are checked.
    if (options.auth) env.INITIAL_NO_AUTH_ACTION_COUNT = "3";
    const started = spawn(motoPython, ["-c", launcher, "-H", "127.0.0.1", "-p", String(port)], {
      cwd: dir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = stopsWithTest(started);
    // werkzeug logs every request: keep only the end, for failure messages.
    started.stderr!.on("data", (chunk) => {
      log = (log + chunk).slice(-8192);
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) break;
      const answered = await fetch(`${endpoint}/moto-api/`).then(
        () => true,
        () => false,
      );
      if (answered) return;
      await sleep(100);
    }
    started.kill("SIGKILL");
    throw new Error(`moto did not start on ${endpoint}:\n${log}`);
  };

  const exited = async (proc: ChildProcess | undefined): Promise<void> => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise((resolve) => proc.once("exit", resolve));
  };

  await launch(persist);
  const credentials = options.auth
    ? await createIamUser(endpoint)
    : { accessKeyId: "inflow-test", secretAccessKey: "inflow-test-secret" };
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    // Never let the SDK look for an EC2 instance role off this machine.
    AWS_EC2_METADATA_DISABLED: "true",
    INFLOW_S3_FORCE_PATH_STYLE: "true",
    // The SDK's notice that its 2027 releases need Node 22: noise in test output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });

  return {
    endpoint,
    env,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name })).catch((error: Error) => {
        if (error.name !== "BucketAlreadyOwnedByYou") throw error;
      });
    },
    async stop() {
      for (const stopWatching of watchers) stopWatching();
      const running = child;
      if (running && running.exitCode === null && running.signalCode === null) {
        running.kill("SIGTERM");
        const forced = setTimeout(() => running.kill("SIGKILL"), 5_000);
        await exited(running);
        clearTimeout(forced);
      }
      client.destroy();
      await rm(dir, { recursive: true, force: true });
    },
    kill() {
      child?.kill("SIGKILL");
    },
    async restart() {
      child?.kill("SIGKILL");
      await exited(child);
      if (!persist) {
        await launch(false);
        return;
      }
      const requests = await trimRecording(recording);
      await launch(false);
      await replayRecording(requests, endpoint);
      const resumed = await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: "POST" });
      if (!resumed.ok) throw new Error(`moto did not resume recording: HTTP ${resumed.status}`);
    },
    async killOnRequest(match) {
      if (!persist) throw new Error("killOnRequest needs a persisting server (it watches the recording)");
      let resolveFired = () => {};
      const fired = new Promise<void>((resolve) => {
        resolveFired = resolve;
      });
      const stopWatching = await watchRecording(recording, (method, url) => {
        if (!match(method, url)) return;
        child?.kill("SIGKILL");
        stopWatching();
        watchers.delete(stopWatching);
        resolveFired();
      });
      watchers.add(stopWatching);
      return { fired };
    },
  };
}

/** The three unauthenticated requests: an IAM user allowed everything on S3, and its access key. */
async function createIamUser(endpoint: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = async (params: Record<string, string>): Promise<string> => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        // moto routes by the credential scope's service name; the signature isn't checked yet.
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: new URLSearchParams({ ...params, Version: "2010-05-08" }).toString(),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto IAM ${params.Action}: HTTP ${response.status} ${text}`);
    return text;
  };
  await iam({ Action: "CreateUser", UserName: "inflow" });
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
  await iam({
    Action: "PutUserPolicy",
    UserName: "inflow",
    PolicyName: "s3",
    PolicyDocument: JSON.stringify(policy),
  });
  const key = await iam({ Action: "CreateAccessKey", UserName: "inflow" });
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(key)?.[1] ?? "";
  return { accessKeyId: field("AccessKeyId"), secretAccessKey: field("SecretAccessKey") };
}
