import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A TEST DOUBLE of the ClearML API server (not ClearML): a small HTTP server that answers the calls
 * Inflow's ClearML client makes, with the request and response shapes of ClearML's published REST API
 * (`POST /<service>.<action>`, `{meta: {result_code, result_msg, ...}, data}`), and keeps what it was
 * sent so tests can check it. ClearML's real server needs Docker, Elasticsearch and MongoDB.
 * Failures are scriptable: `failNext(endpoint, 503)` or `expireTokens()`. Every request and every
 * answer's `data` is kept (`exchanges`): test/code/clearml-contract.test.ts validates both against
 * the schemas of the API version the request names, as ClearML's SDK ships them.
 */
export interface DoubleTask {
  id: string;
  name: string;
  project: string;
  type: string;
  tags: string[];
  status: "created" | "in_progress" | "completed" | "failed" | "stopped";
  statusReason?: string;
  hyperparams: Record<
    string,
    Record<string, { section: string; name: string; value: string; type?: string }>
  >;
  artifacts: Record<string, unknown>[];
}

export interface ScalarEvent {
  task: string;
  type: string;
  metric: string;
  variant: string;
  value: number;
  iter: number;
  timestamp: number;
}

/** One API call as the double saw it: the body (json-lines: one value per line) and the answer's data. */
export interface ClearmlExchange {
  endpoint: string;
  /** The version in the URL (`/v2.23/tasks.create`), or null when the URL names none. */
  version: string | null;
  body: unknown;
  status: number;
  data: unknown;
}

export interface ClearmlApiDouble {
  apiHost: string;
  filesHost: string;
  accessKey: string;
  secretKey: string;
  projects: Map<string, string>;
  tasks: Map<string, DoubleTask>;
  events: ScalarEvent[];
  /** Each add_batch request's event count, in order. */
  batches: number[];
  files: Map<string, Buffer>;
  /** Every call's endpoint, in order. */
  calls: string[];
  exchanges: ClearmlExchange[];
  logins: number;
  failNext(endpoint: string, status: number, times?: number): void;
  expireTokens(): void;
  close(): Promise<void>;
}

export async function startClearmlApiDouble(): Promise<ClearmlApiDouble> {
  const accessKey = "TESTACCESSKEY";
  const secretKey = "test-secret-key";
  const tokens = new Set<string>();
  // What ClearML's server answers a URL without a version with: its own (here the client's).
  const defaultVersion = "2.23";
  const failures = new Map<string, { status: number; times: number }>();
  const state = {
    projects: new Map<string, string>(),
    tasks: new Map<string, DoubleTask>(),
    events: [] as ScalarEvent[],
    batches: [] as number[],
    files: new Map<string, Buffer>(),
    calls: [] as string[],
    exchanges: [] as ClearmlExchange[],
    logins: 0,
  };

  const reply = (
    res: ServerResponse,
    call: Omit<ClearmlExchange, "status" | "data">,
    code: number,
    msg: string,
    data: unknown,
    subcode = 0,
  ) => {
    const { endpoint } = call;
    const version = call.version ?? defaultVersion;
    state.exchanges.push({ ...call, status: code, data });
    res.writeHead(code, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify({
        meta: {
          id: randomUUID().replaceAll("-", ""),
          trx: randomUUID().replaceAll("-", ""),
          endpoint: { name: endpoint, requested_version: version, actual_version: version },
          result_code: code,
          result_subcode: subcode,
          result_msg: msg,
          error_stack: null,
        },
        data,
      }),
    );
  };

  const handlers: Record<string, (body: Record<string, unknown>, raw: string) => [number, string, unknown]> =
    {
      "projects.get_all": (body) => {
        const pattern = new RegExp(String(body.name ?? ".*"));
        const projects = [...state.projects]
          .filter(([name]) => pattern.test(name))
          .map(([name, id]) => ({ id, name }));
        return [200, "OK", { projects }];
      },
      "projects.create": (body) => {
        const name = String(body.name);
        if (state.projects.has(name)) return [400, "Project with the same name already exists", {}];
        const id = randomUUID().replaceAll("-", "");
        state.projects.set(name, id);
        return [200, "OK", { id }];
      },
      "tasks.create": (body) => {
        if (!body.name || !body.type) return [400, "Validation error (missing name or type)", {}];
        const id = randomUUID().replaceAll("-", "");
        state.tasks.set(id, {
          id,
          name: String(body.name),
          project: String(body.project),
          type: String(body.type),
          tags: (body.tags as string[]) ?? [],
          status: "created",
          hyperparams: {},
          artifacts: [],
        });
        return [200, "OK", { id }];
      },
      "tasks.started": (body) => transition(body, ["created"], "in_progress"),
      "tasks.completed": (body) => transition(body, ["in_progress", "stopped"], "completed"),
      "tasks.failed": (body) => transition(body, ["created", "in_progress", "stopped"], "failed"),
      "tasks.stopped": (body) => transition(body, ["in_progress"], "stopped"),
      "tasks.edit_hyper_params": (body) => {
        const task = state.tasks.get(String(body.task));
        if (!task) return [400, "Invalid task id", {}];
        // The real server only edits tasks in `created` status unless forced.
        if (task.status !== "created" && body.force !== true)
          return [400, "Invalid task status (expected created)", {}];
        for (const item of body.hyperparams as DoubleTask["hyperparams"][string][string][]) {
          task.hyperparams[item.section] ??= {};
          task.hyperparams[item.section]![item.name] = item;
        }
        return [200, "OK", { updated: 1 }];
      },
      "tasks.add_or_update_artifacts": (body) => {
        const task = state.tasks.get(String(body.task));
        if (!task) return [400, "Invalid task id", {}];
        if (task.status !== "created" && body.force !== true)
          return [400, "Invalid task status (expected created)", {}];
        for (const artifact of body.artifacts as Record<string, unknown>[]) {
          if (!artifact.key || !artifact.type) return [400, "Validation error (artifact key and type)", {}];
          task.artifacts = task.artifacts.filter((a) => a.key !== artifact.key);
          task.artifacts.push(artifact);
        }
        return [200, "OK", { updated: 1 }];
      },
      "events.add_batch": (_body, raw) => {
        const events = raw
          .split("\n")
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as ScalarEvent);
        let added = 0;
        for (const event of events) {
          if (!state.tasks.has(event.task) || event.type !== "training_stats_scalar") continue;
          state.events.push(event);
          added++;
        }
        state.batches.push(events.length);
        return [200, "OK", { added, errors: events.length - added, errors_info: {} }];
      },
    };

  function transition(body: Record<string, unknown>, from: DoubleTask["status"][], to: DoubleTask["status"]) {
    const task = state.tasks.get(String(body.task));
    if (!task) return [400, "Invalid task id", {}] as [number, string, unknown];
    if (!from.includes(task.status) && body.force !== true)
      return [400, `Invalid task status (${task.status} → ${to})`, {}] as [number, string, unknown];
    task.status = to;
    task.statusReason = body.status_reason as string | undefined;
    return [200, "OK", { updated: 1, fields: { status: to } }] as [number, string, unknown];
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const [, version = null, endpoint = ""] = /^\/(?:v([\d.]+)\/)?(.*)$/.exec(req.url ?? "/") ?? [];
    state.calls.push(endpoint);
    const text = raw.toString("utf8");
    const call = { endpoint, version, body: parseBody(endpoint, text) };
    const failure = failures.get(endpoint);
    if (failure && failure.times > 0) {
      failure.times--;
      return reply(res, call, failure.status, "Scripted failure of the test double", {});
    }
    if (endpoint === "auth.login") {
      const expected = `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString("base64")}`;
      if (req.headers.authorization !== expected) return reply(res, call, 401, "Invalid credentials", {}, 20);
      state.logins++;
      const token = randomUUID();
      tokens.add(token);
      return reply(res, call, 200, "OK", { token });
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!tokens.has(token)) return reply(res, call, 401, "Token expired", {}, 21);
    if (endpoint.startsWith("files/")) {
      // The file server part: a multipart POST whose field name is the file's relative path.
      const form = await new Request("http://files/", {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]) },
        body: raw,
      }).formData();
      for (const [name, value] of form) {
        if (typeof value !== "string") state.files.set(name, Buffer.from(await value.arrayBuffer()));
      }
      res.writeHead(200).end();
      return;
    }
    const handler = handlers[endpoint];
    if (!handler) return reply(res, call, 400, `Invalid endpoint ${endpoint} (not in this test double)`, {});
    const body = endpoint === "events.add_batch" ? {} : (JSON.parse(text || "{}") as Record<string, unknown>);
    const [code, msg, data] = handler(body, text);
    reply(res, call, code, msg, data);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const apiHost = `http://127.0.0.1:${port}`;
  return {
    apiHost,
    filesHost: `${apiHost}/files`,
    accessKey,
    secretKey,
    ...state,
    get logins() {
      return state.logins;
    },
    failNext(endpoint, status, times = 1) {
      failures.set(endpoint, { status, times });
    },
    expireTokens() {
      tokens.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request body as sent: JSON, json-lines (events.add_batch) as one value per line, or the raw text. */
function parseBody(endpoint: string, text: string): unknown {
  if (endpoint.startsWith("files/")) return null;
  try {
    if (endpoint === "events.add_batch")
      return text
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
    return JSON.parse(text || "{}");
  } catch {
    return text;
  }
}
