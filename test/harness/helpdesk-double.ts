/**
 * A double of the two help desks' REST APIs (no real Zendesk or Jira can run here), speaking their
 * documented request and response shapes: Zendesk Update Ticket (PUT /api/v2/tickets/{id}.json →
 * 200 {"ticket": {...}}) and Jira Edit Issue (PUT /rest/api/3/issue/{key} → 204). Both check the
 * Basic credentials (401 otherwise), and a test can script failures: 429 with Retry-After (their
 * rate limiting), 5xx, or a slow answer.
 */
import { createServer, type IncomingMessage } from "node:http";

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

/** One scripted answer, used by the next call instead of the normal one. */
export type Scripted = { status: number; retryAfter?: string } | { delayMs: number };

export interface HelpDeskDouble {
  url: string;
  calls: RecordedCall[];
  /** Answers for the next calls, in order; then the normal answers resume. */
  script(...answers: Scripted[]): void;
  /** Drops the scripted answers not used yet. */
  clearScript(): void;
  close(): Promise<void>;
}

export async function startHelpDeskDouble(authorization: {
  zendesk: string;
  jira: string;
}): Promise<HelpDeskDouble> {
  const calls: RecordedCall[] = [];
  const queue: Scripted[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? (JSON.parse(text) as unknown) : null;
      calls.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
      const scripted = queue.shift();
      if (scripted && "delayMs" in scripted)
        await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (response.destroyed) return;
      if (scripted && "status" in scripted) {
        response.writeHead(scripted.status, {
          "content-type": "application/json",
          ...(scripted.retryAfter ? { "retry-after": scripted.retryAfter } : {}),
        });
        response.end(JSON.stringify({ error: "scripted failure" }));
        return;
      }
      const zendesk = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(request.url ?? "");
      const jira = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9_]*-\d+)$/.exec(request.url ?? "");
      if (request.method === "PUT" && zendesk) {
        if (request.headers.authorization !== authorization.zendesk) return deny(response);
        const update = (body as { ticket: { group_id?: number; additional_tags?: string[] } }).ticket;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            ticket: {
              id: Number(zendesk[1]),
              group_id: update.group_id ?? null,
              tags: update.additional_tags ?? [],
            },
          }),
        );
        return;
      }
      if (request.method === "PUT" && jira) {
        if (request.headers.authorization !== authorization.jira) return deny(response);
        response.writeHead(204).end();
        return;
      }
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script: (...answers) => queue.push(...answers),
    clearScript: () => queue.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function deny(response: import("node:http").ServerResponse): void {
  response
    .writeHead(401, { "content-type": "application/json" })
    .end('{"error":"Couldn\'t authenticate you"}');
}
