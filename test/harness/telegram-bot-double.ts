/**
 * TEST DOUBLE of the Telegram Bot API — not Telegram. A loopback HTTP server on a random port that
 * speaks the published request/response shape for getMe, sendMessage, sendPhoto and
 * sendMediaGroup (JSON or multipart/form-data bodies; `{ok, result}` and
 * `{ok:false, error_code, description, parameters:{retry_after}}` answers), records every call
 * (files reduced to name and size) and can be scripted to fail the next calls with 429, 5xx or 400.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { status: 400 | 403; description?: string };

export interface ReceivedFile {
  field: string;
  filename: string;
  size: number;
}

export interface ReceivedCall {
  method: string;
  token: string;
  params: Record<string, string>;
  files: ReceivedFile[];
  /** ms since the double started. */
  at: number;
  /** HTTP status answered (200 for success). */
  status: number;
}

export class TelegramBotApiDouble {
  readonly calls: ReceivedCall[] = [];
  private readonly failures: ScriptedFailure[] = [];
  private readonly server: Server;
  private readonly started = Date.now();
  private nextMessageId = 100;
  apiRoot = "";

  private constructor() {
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, body }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        })
        .catch((error: Error) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: `double: ${error.message}` }));
        });
    });
  }

  static async start(): Promise<TelegramBotApiDouble> {
    const double = new TelegramBotApiDouble();
    await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
    double.apiRoot = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
    return double;
  }

  /** The next calls (one failure each, in order) fail as scripted. */
  failNext(...failures: ScriptedFailure[]): void {
    this.failures.push(...failures);
  }

  /** Successful sends (what would be visible in the chat). */
  posts(): ReceivedCall[] {
    return this.calls.filter((c) => c.status === 200 && c.method.startsWith("send"));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const raw = await readBody(req);
    if (!match) return { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } };
    const [, token, method] = match as unknown as [string, string, string];
    const { params, files } = parseBody(req.headers["content-type"] ?? "", raw);
    const call: ReceivedCall = { method, token, params, files, at: Date.now() - this.started, status: 200 };
    this.calls.push(call);
    const failure = this.failures.shift();
    if (failure) {
      call.status = failure.status;
      return { status: failure.status, body: failureBody(failure) };
    }
    const result = this.answer(method, params, files);
    if (result === undefined) {
      call.status = 404;
      return {
        status: 404,
        body: { ok: false, error_code: 404, description: "Not Found: method not found" },
      };
    }
    return { status: 200, body: { ok: true, result } };
  }

  private answer(method: string, params: Record<string, string>, files: ReceivedFile[]): unknown {
    const chat = { id: Number(params.chat_id) || -1001, type: "channel", title: "double" };
    const date = Math.floor(Date.now() / 1000);
    const photo = (size: number) => [
      {
        file_id: `f${this.nextMessageId}`,
        file_unique_id: `u${this.nextMessageId}`,
        width: 1200,
        height: 600,
        file_size: size,
      },
    ];
    switch (method) {
      case "getMe":
        return { id: 1, is_bot: true, first_name: "Inflow test double", username: "inflow_double_bot" };
      case "sendMessage":
        return { message_id: this.nextMessageId++, date, chat, text: params.text ?? "" };
      case "sendPhoto":
        return {
          message_id: this.nextMessageId++,
          date,
          chat,
          photo: photo(files[0]?.size ?? 0),
          caption: params.caption,
        };
      case "sendMediaGroup": {
        const media = JSON.parse(params.media ?? "[]") as { caption?: string }[];
        return media.map((m, i) => ({
          message_id: this.nextMessageId++,
          date,
          chat,
          media_group_id: "g1",
          photo: photo(files[i]?.size ?? 0),
          ...(m.caption ? { caption: m.caption } : {}),
        }));
      }
      default:
        return undefined;
    }
  }
}

function failureBody(failure: ScriptedFailure): unknown {
  if (failure.status === 429) {
    return {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${failure.retryAfter}`,
      parameters: { retry_after: failure.retryAfter },
    };
  }
  if (failure.status === 400 || failure.status === 403) {
    return {
      ok: false,
      error_code: failure.status,
      description: failure.description ?? "Bad Request: chat not found",
    };
  }
  return { ok: false, error_code: failure.status, description: "Internal Server Error" };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON or multipart/form-data, parsed enough to see fields and file sizes. */
function parseBody(
  contentType: string,
  raw: Buffer,
): { params: Record<string, string>; files: ReceivedFile[] } {
  const params: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  if (contentType.startsWith("application/json") && raw.length > 0) {
    for (const [k, v] of Object.entries(JSON.parse(raw.toString("utf8")) as Record<string, unknown>)) {
      params[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (contentType.startsWith("multipart/form-data") && boundary) {
    const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
    let pos = raw.indexOf(delimiter);
    while (pos >= 0) {
      const start = pos + delimiter.length;
      if (raw.subarray(start, start + 2).toString() === "--") break;
      const next = raw.indexOf(delimiter, start);
      if (next < 0) break;
      const part = raw.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
      const headerEnd = part.indexOf("\r\n\r\n");
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const body = part.subarray(headerEnd + 4);
      const name = /[;\s]name="?([^";\r\n]*)"?/i.exec(headers)?.[1] ?? "";
      // grammY writes filename unquoted; browsers quote it.
      const file = /filename=(?:"([^"]*)"|([^;\r\n]+))/i.exec(headers);
      const filename = file ? (file[1] ?? file[2]) : undefined;
      if (filename !== undefined) files.push({ field: name, filename, size: body.length });
      else params[name] = body.toString("utf8");
      pos = next;
    }
  }
  return { params, files };
}
