/**
 * TEST DOUBLE of an OpenAI-compatible chat-completions endpoint — not a language model. A loopback
 * HTTP server answering POST /v1/chat/completions in the published response shape
 * (`{id, object: "chat.completion", model, choices: [{index, message: {role, content}, finish_reason}]}`)
 * with scripted replies: a message content, an HTTP error status, a body that is not JSON, or a reply
 * held back for some milliseconds. Records every request body and its Authorization header.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedReply = { content: string; delayMs?: number } | { status: number } | { rawBody: string };

export interface ReceivedRequest {
  body: { model?: string; messages?: { role: string; content: string }[] };
  authorization: string | undefined;
}

export class ChatCompletionsDouble {
  readonly requests: ReceivedRequest[] = [];
  private readonly replies: ScriptedReply[] = [];
  private readonly server: Server;
  url = "";

  private constructor() {
    this.server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => {
        text += chunk;
      });
      req.on("end", () => {
        if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
          res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
          return;
        }
        this.requests.push({ body: JSON.parse(text), authorization: req.headers.authorization });
        const reply = this.replies.shift() ?? { status: 503 };
        if ("status" in reply) {
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "scripted failure", type: "server_error" } }));
          return;
        }
        if ("rawBody" in reply) {
          res.writeHead(200, { "content-type": "application/json" }).end(reply.rawBody);
          return;
        }
        const timer = setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              id: `chatcmpl-${this.requests.length}`,
              object: "chat.completion",
              created: 0,
              model: this.requests.at(-1)!.body.model,
              choices: [
                { index: 0, message: { role: "assistant", content: reply.content }, finish_reason: "stop" },
              ],
            }),
          );
        }, reply.delayMs ?? 0);
        res.on("close", () => clearTimeout(timer));
      });
    });
  }

  static async start(): Promise<ChatCompletionsDouble> {
    const double = new ChatCompletionsDouble();
    await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
    double.url = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}/v1`;
    return double;
  }

  /** The next replies, in order; once they run out the double answers 503. */
  script(...replies: ScriptedReply[]): void {
    this.replies.push(...replies);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
