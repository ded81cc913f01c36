/**
 * Slow-loris over a real socket: a client that sends one header line (or one body byte) at a time
 * and never finishes. The server must cut it off at its header or request deadline, and a SIGTERM
 * drain must close such connections after its grace period instead of waiting for them.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { pino } from "pino";
import { loadServerConfig } from "../../server/config.js";
import { startServer } from "../../server/serve.js";
import { startTestApi, tempModelFile } from "../harness/api-server.js";

/** Opens a connection and dribbles `lines` until the server closes it; resolves with what the server sent. */
async function dribble(url: string, lines: string[]): Promise<{ received: string; linesSent: number }> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, "connect");
  let received = "";
  let closed = false;
  socket.on("data", (chunk) => {
    received += chunk;
  });
  // A server that resets the connection (ECONNRESET) has closed it too: `once(socket, "close")` would
  // reject on that error, so wait for "close" alone.
  socket.on("error", () => {});
  const closing = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true;
      resolve();
    }),
  );
  let linesSent = 0;
  for (const line of lines) {
    if (closed) break;
    socket.write(line);
    linesSent++;
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 300))]);
  }
  await closing;
  return { received, linesSent };
}

const endless = (first: string[], filler: string) => [
  ...first,
  ...Array.from({ length: 10_000 }, () => filler),
];

test("a client dribbling header lines is cut off at the header deadline", async () => {
  const api = await startTestApi({ headersTimeoutSeconds: 1, requestTimeoutSeconds: 2 });
  try {
    const { received, linesSent } = await dribble(
      api.url,
      endless(["POST /api/predict HTTP/1.1\r\n", "Host: x\r\n"], "X-Slow: 1\r\n"),
    );
    assert.match(received, /^HTTP\/1.1 408/);
    assert.ok(linesSent < 10_000);
  } finally {
    await api.close();
  }
});

test("a client dribbling its body is cut off at the request deadline", async () => {
  const api = await startTestApi({ headersTimeoutSeconds: 1, requestTimeoutSeconds: 2 });
  try {
    const head =
      "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
    const { received, linesSent } = await dribble(api.url, endless([head, "["], " "));
    assert.match(received, /^HTTP\/1.1 408/);
    assert.ok(linesSent < 10_000);
  } finally {
    await api.close();
  }
});

test("shutdown closes a slow client after the drain period and completes", async () => {
  const { dir, modelPath } = await tempModelFile("v1");
  const config = loadServerConfig({
    INFLOW_MODEL: modelPath,
    INFLOW_STORE: `file://${dir}/store`,
    INFLOW_API_HOST: "127.0.0.1",
    INFLOW_API_PORT: "0",
    INFLOW_API_DRAIN_SECONDS: "1",
    // Deadlines far beyond the drain period: only the drain can end this client.
    INFLOW_API_HEADERS_TIMEOUT_SECONDS: "600",
    INFLOW_API_REQUEST_TIMEOUT_SECONDS: "600",
  });
  const server = await startServer(config, pino({ level: "silent" }));
  try {
    const slow = dribble(server.url, endless(["POST /api/predict HTTP/1.1\r\n"], "X-Slow: 1\r\n"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await server.shutdown(), "closed slow connections");
    await slow;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
