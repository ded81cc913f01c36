import assert from "node:assert/strict";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { after, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { readTickets } from "../../src/tickets/sources/read.js";
import { Rng } from "../../src/util/random.js";

// A collectable heap makes the measurement structural: live memory, not garbage awaiting GC.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const words = ["account", "charge", "fee", "loan", "payment", "card", "dispute", "report", "bank", "credit"];

async function writeRows(
  path: string,
  rows: number,
  line: (row: number, text: string) => string,
): Promise<void> {
  const rng = new Rng(7);
  const out = createWriteStream(path);
  for (let row = 0; row < rows; row++) {
    let text = "";
    for (let w = 0; w < 30; w++) text += `${words[rng.nextUint32() % words.length]} `;
    if (!out.write(line(row, text))) await once(out, "drain");
  }
  out.end();
  await finished(out);
}

function liveBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Reads every record, sampling live memory mid-stream; returns the count and the largest growth.
 * Reading a file whole would hold at least its size (as a string or parsed records), so a quarter of
 * it is a generous bound that still tells streaming from loading; stream buffers take about 2 MB.
 */
async function readSampling(
  path: string,
  format: "jsonl" | "json",
): Promise<{ count: number; growth: number }> {
  const baseline = liveBytes();
  let growth = 0;
  let count = 0;
  for await (const record of readTickets(path, { format })) {
    if (record.kind === "ticket") count++;
    if (count % 40_000 === 20_000) growth = Math.max(growth, liveBytes() - baseline);
  }
  return { count, growth };
}

test("JSONL is streamed: live memory while reading stays far below the file size", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-stream-"));
  tempDirs.push(dir);
  const path = join(dir, "big.jsonl");
  await writeRows(path, 200_000, (row, text) => `${JSON.stringify({ id: `t-${row}`, text })}\n`);
  const { size } = await stat(path);
  const { count, growth } = await readSampling(path, "jsonl");
  assert.equal(count, 200_000);
  assert.ok(size > 40e6, `file is ${size} bytes`);
  assert.ok(growth < size / 4, `live memory grew by ${growth} bytes while reading a ${size}-byte file`);
});

test("a JSON array is streamed too", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-stream-"));
  tempDirs.push(dir);
  const path = join(dir, "big.json");
  await writeRows(
    path,
    100_000,
    (row, text) => `${row === 0 ? "[" : ","}${JSON.stringify({ id: `t-${row}`, text })}`,
  );
  const tail = createWriteStream(path, { flags: "a" });
  tail.end("]");
  await finished(tail);
  const { size } = await stat(path);
  const { count, growth } = await readSampling(path, "json");
  assert.equal(count, 100_000);
  assert.ok(growth < size / 4, `live memory grew by ${growth} bytes while reading a ${size}-byte file`);
});
