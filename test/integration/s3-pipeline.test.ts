import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openRoutingModel } from "../../src/classify/model.js";
import { type Manifest, readManifest } from "../../src/store/publish.js";
import { s3Settings } from "../../src/store/s3-config.js";
import { S3Store } from "../../stores/s3-store.js";
import {
  createWorkspace,
  repoRoot,
  runCliAsync,
  sampleCorpusOptions,
  type Workspace,
} from "../harness/cli.js";
import { type S3Server, startS3Server } from "../harness/s3-server.js";

const rawBucket = "customer-sup-tickets-raw";
const cleanBucket = "customer-sup-tickets-clean";
const stores = ["--raw-store", `s3://${rawBucket}`, "--store", `s3://${cleanBucket}`];
const date = "2026-03-09";
/** What relabel publishes, one manifest each. */
const relabelKinds = ["tickets/topic-model", "tickets/taxonomy", "tickets/labelled"];

function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A published manifest is whole: every output it lists is in the store with the sha256 it records. */
async function assertComplete(store: S3Store, manifest: Manifest): Promise<void> {
  assert.ok(manifest.outputs.length > 0, `${manifest.kind} lists its outputs`);
  for (const output of manifest.outputs) {
    assert.equal((await store.head(output.key)).sha256, output.sha256, output.key);
    assert.equal(sha256Of(await store.get(output.key)), output.sha256, `${output.key} bytes`);
  }
}

describe("tickets pipeline on S3 buckets (moto server)", () => {
  let server: S3Server;
  let ws: Workspace;
  let clean: S3Store;
  let raw: S3Store;
  const truth = () => join(ws.dir, "truth.jsonl");
  const run = (...args: string[]) => ws.run("tickets", ...args, ...stores);

  before(async () => {
    server = await startS3Server();
    await server.createBucket(rawBucket);
    await server.createBucket(cleanBucket);
    ws = await createWorkspace(server.env);
    clean = new S3Store(`s3://${cleanBucket}`, s3Settings(server.env));
    raw = new S3Store(`s3://${rawBucket}`, s3Settings(server.env));
  });
  after(async () => {
    await server?.stop();
    await ws?.dispose();
  });

  test("generate → preprocess → relabel → train → evaluate with both stores on S3", {
    timeout: 300_000,
  }, async () => {
    const generate = run("generate", ...sampleCorpusOptions(date, truth()));
    assert.equal(generate.status, 0, generate.stderr);
    assert.equal((await raw.list("tickets/")).length, 7, "one raw file per day");
    for (const step of [["preprocess", "--carry", "product"], ["relabel", "--k", "5"], ["train"]]) {
      const result = run(step[0]!, "--date", date, ...step.slice(1));
      assert.equal(result.status, 0, `${step[0]}: ${result.stderr}`);
    }
    const evaluate = run("evaluate", "--date", date, "--truth", truth(), "--resamples", "1000");
    assert.equal(evaluate.status, 0, evaluate.stderr);
    assert.equal(evaluate.summary.promote, true);
    assert.equal(await clean.exists("tickets/champion.json"), true, "the champion pointer");
  });

  test("what the pipeline published is whole and readable from the buckets", {
    timeout: 300_000,
  }, async () => {
    for (const kind of ["tickets/classifier", ...relabelKinds]) {
      const manifest = await readManifest(clean, kind, date);
      assert.ok(manifest, kind);
      await assertComplete(clean, manifest);
    }
    const labelled = (await readManifest(clean, "tickets/labelled", date))!;
    for (const input of labelled.inputs.filter((i) => i.uri.startsWith(`s3://${rawBucket}/`))) {
      const key = input.uri.slice(`s3://${rawBucket}/`.length);
      assert.equal((await raw.head(key)).sha256, input.sha256, "lineage points at the raw bytes");
    }
    const parquet = labelled.outputs.find((o) => o.key.endsWith("/tickets.parquet"))!;
    const copy = await clean.localCopy(parquet.key);
    try {
      const rows = execFileSync(
        join(repoRoot, ".venv/bin/python"),
        ["-c", "import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1]).num_rows)", copy.path],
        { encoding: "utf8" },
      );
      assert.equal(Number(rows), labelled.stats.tickets);
    } finally {
      await copy.release();
    }
    const classifier = (await readManifest(clean, "tickets/classifier", date))!;
    const modelKey = classifier.outputs.find((o) => o.key.endsWith("/model.json"))!.key;
    const model = openRoutingModel(
      (await clean.get(modelKey)).toString("utf8"),
      `s3://${cleanBucket}/${modelKey}`,
      null,
    );
    assert.ok(model.tfidf.vocabulary.length > 0);
  });

  test("the raw bucket is never modified: same bytes are a no-op, different bytes are refused", {
    timeout: 300_000,
  }, async () => {
    const before = await raw.list("tickets/");
    const heads = await Promise.all(before.map((key) => raw.head(key)));
    const again = run("generate", "--date", date, "--count", "1500", "--days", "7", "--seed", "3");
    assert.equal(again.status, 0, again.stderr);
    const different = run("generate", "--date", date, "--count", "1500", "--days", "7", "--seed", "4");
    assert.equal(different.status, 2, JSON.stringify(different.summary));
    assert.match(
      String(different.summary.error),
      /already holds different content; raw input is never overwritten/,
    );
    assert.deepEqual(await Promise.all(before.map((key) => raw.head(key))), heads);
  });

  test("S3 killed in the middle of relabel: exit 1 with the endpoint named, nothing half-published, rerun completes", {
    timeout: 300_000,
  }, async () => {
    const previous = new Map<string, string>();
    for (const kind of relabelKinds) previous.set(kind, (await readManifest(clean, kind, date))!.runId);

    // The crash lands as relabel starts writing its outputs (its first PUT under its own version folder).
    const { fired } = await server.killOnRequest(
      (method, url) =>
        method === "PUT" && /\/tickets\/topic-model\/date(=|%3D)[\d-]+\/v(=|%3D)killed\//.test(url),
    );
    const killed = await runCliAsync(
      ["tickets", "relabel", "--date", date, "--k", "5", "--run-id", "killed", ...stores],
      ws.env,
      ws.dir,
    );
    assert.equal(killed.status, 1, `retryable failure; stderr: ${killed.stderr.slice(-2000)}`);
    await fired;
    assert.equal(killed.summary.status, "error");
    assert.match(
      String(killed.summary.error),
      new RegExp(`S3 endpoint ${server.endpoint.replaceAll(".", "\\.")} unreachable \\(ECONNREFUSED\\)`),
    );

    await server.restart();
    for (const kind of relabelKinds) {
      const manifest = await readManifest(clean, kind, date);
      assert.ok(manifest, `${kind}: the earlier publication is still there`);
      assert.ok([previous.get(kind), "killed"].includes(manifest.runId), `${kind}: ${manifest.runId}`);
      await assertComplete(clean, manifest);
    }
    assert.equal(
      (await readManifest(clean, "tickets/labelled", date))!.runId,
      previous.get("tickets/labelled"),
      "the labelled tickets, written last, were not replaced by the killed run",
    );

    const rerun = run("relabel", "--date", date, "--k", "5", "--run-id", "rerun");
    assert.equal(rerun.status, 0, rerun.stderr);
    for (const kind of relabelKinds) {
      const manifest = (await readManifest(clean, kind, date))!;
      // A rerun whose outputs are byte for byte the published ones (the taxonomy) publishes nothing.
      assert.ok(["rerun", previous.get(kind)].includes(manifest.runId), `${kind}: ${manifest.runId}`);
      await assertComplete(clean, manifest);
      const versions = new Set(
        (await clean.list(`${kind}/date=${date}/`))
          .map((key) => /\/(v=[^/]+)\//.exec(key)?.[1])
          .filter(Boolean),
      );
      assert.ok(versions.has(`v=${manifest.version}`), kind);
      // Published versions are kept (pointers may refer to them); the killed run's partial folder is gone.
      for (const version of versions) {
        assert.ok(
          await clean.exists(`${kind}/date=${date}/${version}/published.json`),
          `${kind}: ${version} is a published version, not a partial one`,
        );
      }
    }
    const train = run("train", "--date", date);
    assert.equal(train.status, 0, train.stderr);
  });
});
