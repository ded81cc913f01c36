/**
 * A review console for tests: a small real pipeline run (generate → preprocess → relabel → train →
 * evaluate through the built CLI) into a temp workspace, with hostile tickets added to the raw data
 * (markup, attribute breakers, RTL, emoji), then the real console app listening on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildConsole } from "../../server/console/app.js";
import { ReviewWorkspace } from "../../src/review/workspace.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, type Workspace } from "./cli.js";

export const consoleDate = "2026-05-11";
export const consoleToken = "test-console-token-0123456789";

/** Ticket texts that must come out as text, never as markup. */
export const hostileTexts = [
  "<script>window.__pwned = 1</script> my card was charged twice by the merchant",
  '"><img src=x onerror="window.__pwned=2"> payment refund dispute on my credit card',
  "‏שלום, the bank closed my checking account without notice ‏مرحبا",
  "💳🔥 my debit card 🏦 was declined at the atm, fees charged twice 😡",
];

/** Runs the pipeline once into a fresh workspace; returns the workspace (dispose it after). */
export async function pipelineWorkspace(count = 700): Promise<Workspace> {
  const ws = await createWorkspace();
  const ok = (result: ReturnType<Workspace["run"]>) => assert.equal(result.status, 0, result.stderr);
  ok(
    ws.run(
      "tickets",
      "generate",
      "--date",
      consoleDate,
      "--count",
      String(count),
      "--days",
      "7",
      "--seed",
      "5",
    ),
  );
  const hostile = hostileTexts.map((text, i) => JSON.stringify({ id: `hostile-${i}`, text })).join("\n");
  const rawDir = join(ws.dir, "raw", "tickets", `date=2026-05-10`);
  await writeFile(join(rawDir, "hostile.jsonl"), `${hostile}\n`);
  ok(ws.run("tickets", "preprocess", "--date", consoleDate));
  ok(ws.run("tickets", "relabel", "--date", consoleDate, "--k", "6"));
  ok(ws.run("tickets", "train", "--date", consoleDate));
  ok(ws.run("tickets", "evaluate", "--date", consoleDate, "--resamples", "200"));
  return ws;
}

export interface TestConsole {
  url: string;
  app: FastifyInstance;
  workspace: ReviewWorkspace;
  /** Every log line the console wrote. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestConsole(
  ws: Workspace,
  options: { userHeader?: string } = {},
): Promise<TestConsole> {
  const [store, rawStore] = await Promise.all([openStore(ws.store), openStore(ws.rawStore)]);
  const workspace = await ReviewWorkspace.open(store, rawStore, consoleDate);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildConsole({
    config: { token: consoleToken, userHeader: options.userHeader ?? null, secureCookies: false },
    workspace,
    log: pino({ level: "info" }, sink),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, app, workspace, logs, close: () => app.close() };
}
