import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Publication, readManifest } from "../../src/store/publish.js";
import { s3Settings } from "../../src/store/s3-config.js";
import { NotFoundError } from "../../src/store/store.js";
import { ConfigError, isPermanent } from "../../src/util/errors.js";
import { sha256File } from "../../src/util/hash.js";
import { Rng } from "../../src/util/random.js";
import { S3Store } from "../../stores/s3-store.js";
import { type S3Server, startS3Server } from "../harness/s3-server.js";

const bucket = "inflow-store-test";
const mib = 1024 * 1024;
const hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

function sha256Of(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Deterministic incompressible bytes. */
function randomBytes(size: number, seed: number): Buffer {
  const rng = new Rng(seed);
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = rng.nextUint32();
  return Buffer.from(words.buffer, 0, size);
}

describe("S3 store against a real S3-compatible server (moto)", { timeout: 180_000 }, () => {
  let server: S3Server;
  let raw: S3Client;
  let dir: string;
  const store = (uri = `s3://${bucket}`, options = {}) => new S3Store(uri, s3Settings(server.env), options);

  before(async () => {
    server = await startS3Server();
    await server.createBucket(bucket);
    raw = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: server.env.AWS_ACCESS_KEY_ID!, secretAccessKey: "x" },
    });
    dir = await mkdtemp(join(tmpdir(), "inflow-s3-test-"));
  });
  after(async () => {
    raw?.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("put/get/head/list round-trip with sha256; missing objects are NotFoundError; keys are checked", async () => {
    const s3 = store();
    const object = await s3.put("a/b/c.txt", "hello");
    assert.deepEqual(object, { key: "a/b/c.txt", sha256: hello, size: 5 });
    assert.deepEqual(await s3.head("a/b/c.txt"), object);
    assert.equal((await s3.get("a/b/c.txt")).toString(), "hello");
    assert.equal(await s3.exists("a/b/c.txt"), true);
    assert.equal(await s3.exists("a/b/none.txt"), false);
    assert.deepEqual(await s3.list("a/"), ["a/b/c.txt"]);
    for (const read of [
      () => s3.get("a/missing"),
      () => s3.head("a/missing"),
      () => s3.getStream("a/missing"),
      () => s3.localCopy("a/missing"),
    ]) {
      await assert.rejects(
        read(),
        (e: Error) => e instanceof NotFoundError && /s3:\/\/.*\/a\/missing/.test(e.message),
      );
    }
    await assert.rejects(s3.put("../escape", "x"), /invalid store key/);
    await assert.rejects(s3.put("/abs", "x"), /invalid store key/);
    await s3.delete("a/b/c.txt");
    await s3.delete("a/b/c.txt");
    assert.deepEqual(await s3.list("a/"), []);
  });

  test("a prefix store sees only its own keys, under a normalised URI", async () => {
    const outer = store();
    const inner = store(`s3://${bucket}/team/inflow/`);
    assert.equal(inner.uri, `s3://${bucket}/team/inflow`);
    await inner.put("x.json", "{}");
    await outer.put("x.json", "[]");
    assert.deepEqual(await inner.list(""), ["x.json"]);
    assert.equal((await outer.get("team/inflow/x.json")).toString(), "{}");
    await inner.deletePrefix("");
    await outer.delete("x.json");
    assert.deepEqual(await outer.list(""), []);
  });

  test("list follows continuation pages and deletePrefix deletes in batches", async () => {
    // S3 pages hold at most 1000 keys; a page size of 10 walks the same continuation path with 45 keys.
    const paged = store(`s3://${bucket}`, { pageSize: 10 });
    const keys = Array.from({ length: 45 }, (_, i) => `many/k${String(i).padStart(3, "0")}.txt`);
    await Promise.all(keys.map((key) => paged.put(key, key)));
    await paged.put("other/keep.txt", "keep");
    assert.deepEqual(await paged.list("many/"), keys);
    assert.deepEqual(await paged.list("many/k04"), keys.slice(40));
    await paged.deletePrefix("many/");
    assert.deepEqual(await paged.list("many/"), []);
    assert.deepEqual(await paged.list(""), ["other/keep.txt"]);
    await paged.delete("other/keep.txt");
  });

  test("putFile streams a large file as a multipart upload; reads verify its sha256", async () => {
    const s3 = store(`s3://${bucket}`, { partSize: 5 * mib });
    const path = join(dir, "large.bin");
    const bytes = randomBytes(11 * mib + 123, 7);
    await writeFile(path, bytes);
    const object = await s3.putFile("big/large.bin", path);
    assert.deepEqual(object, { key: "big/large.bin", sha256: sha256Of(bytes), size: bytes.length });
    const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: "big/large.bin" }));
    assert.match(head.ETag ?? "", /-3"$/, "three parts: 5 + 5 + 1 MiB");
    assert.equal(head.Metadata?.sha256, sha256Of(bytes), "x-amz-meta-sha256");
    assert.deepEqual(await s3.head("big/large.bin"), object);

    const copy = await s3.localCopy("big/large.bin");
    assert.equal(await sha256File(copy.path), object.sha256);
    await copy.release();
    await assert.rejects(readFile(copy.path), { code: "ENOENT" });
    const hash = createHash("sha256");
    for await (const chunk of await s3.getStream("big/large.bin")) hash.update(chunk as Buffer);
    assert.equal(hash.digest("hex"), object.sha256);

    const small = join(dir, "small.txt");
    await writeFile(small, "hello");
    assert.deepEqual(await s3.putFile("big/small.txt", small), {
      key: "big/small.txt",
      sha256: hello,
      size: 5,
    });
    await s3.deletePrefix("big/");
  });

  test("objects put by other tools: head hashes them; a sha256 mismatch fails the read", async () => {
    const s3 = store();
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: "foreign.txt", Body: "hello" }));
    assert.deepEqual(await s3.head("foreign.txt"), { key: "foreign.txt", sha256: hello, size: 5 });
    await raw.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "tampered.txt",
        Body: "hellO",
        Metadata: { sha256: hello },
      }),
    );
    await assert.rejects(s3.get("tampered.txt"), /sha256 .* differs from the recorded/);
    await s3.deletePrefix("");
  });

  test("versioned publication works on S3: manifest last, earlier published versions kept", async () => {
    const s3 = store();
    for (const runId of ["run-1", "run-2"]) {
      const publication = new Publication(s3, "kind", "2026-01-05", runId);
      await publication.put("data.jsonl", `${runId}\n`);
      assert.equal(
        (await readManifest(s3, "kind", "2026-01-05"))?.runId ?? null,
        runId === "run-1" ? null : "run-1",
      );
      await publication.publish({ inputs: [], params: {} }, {});
    }
    const manifest = await readManifest(s3, "kind", "2026-01-05");
    assert.equal(manifest?.runId, "run-2");
    assert.deepEqual(await s3.list("kind/"), [
      "kind/date=2026-01-05/manifest.json",
      "kind/date=2026-01-05/v=run-1/data.jsonl",
      "kind/date=2026-01-05/v=run-1/published.json",
      "kind/date=2026-01-05/v=run-2/data.jsonl",
      "kind/date=2026-01-05/v=run-2/published.json",
    ]);
    assert.equal((await s3.head(manifest!.outputs[0]!.key)).sha256, manifest!.outputs[0]!.sha256);
    await s3.deletePrefix("");
  });

  test("a missing bucket is a configuration error that names the bucket and the endpoint", async () => {
    const missing = store("s3://no-such-bucket-here");
    for (const operation of [
      () => missing.exists("x"),
      () => missing.put("x", "y"),
      () => missing.list(""),
    ]) {
      await assert.rejects(operation(), (e: Error) => {
        assert.ok(e instanceof ConfigError, e.message);
        assert.equal(
          e.message,
          `bucket "no-such-bucket-here" does not exist at ${server.endpoint}: create it, or fix INFLOW_STORE / INFLOW_RAW_STORE`,
        );
        return true;
      });
    }
  });

  test("an unreachable endpoint is a retryable error naming the endpoint", async () => {
    const closed = "http://127.0.0.1:9";
    const s3 = new S3Store(
      `s3://${bucket}`,
      s3Settings({ ...server.env, AWS_ENDPOINT_URL_S3: closed, AWS_MAX_ATTEMPTS: "2" }),
    );
    await assert.rejects(s3.get("x"), (e: Error) => {
      assert.equal(isPermanent(e), false, "exit 1: Airflow retries the step");
      assert.match(
        e.message,
        /^S3 endpoint http:\/\/127\.0\.0\.1:9 unreachable \(ECONNREFUSED\) after 2 attempts/,
      );
      return true;
    });
  });

  test("a killed server restarted by the harness still holds every object", async () => {
    const s3 = store(`s3://${bucket}`, { partSize: 5 * mib });
    const path = join(dir, "persisted.bin");
    await writeFile(path, randomBytes(6 * mib, 11));
    const large = await s3.putFile("keep/large.bin", path);
    const small = await s3.put("keep/small.txt", "hello");
    await s3.put("keep/gone.txt", "deleted before the crash");
    await s3.delete("keep/gone.txt");
    server.kill();
    const once = new S3Store(`s3://${bucket}`, s3Settings({ ...server.env, AWS_MAX_ATTEMPTS: "1" }));
    await assert.rejects(once.get("keep/small.txt"), /unreachable/);
    await server.restart();
    assert.deepEqual(await s3.list("keep/"), ["keep/large.bin", "keep/small.txt"]);
    assert.deepEqual(await s3.head("keep/large.bin"), large);
    assert.equal(sha256Of(await s3.get("keep/large.bin")), large.sha256);
    assert.deepEqual(await s3.head("keep/small.txt"), small);
    await s3.deletePrefix("keep/");
  });
});

describe("S3 credentials against a server that checks them (moto IAM)", { timeout: 60_000 }, () => {
  let server: S3Server;
  before(async () => {
    server = await startS3Server({ auth: true });
    await server.createBucket(bucket);
  });
  after(() => server?.stop());

  test("the right keys work; a wrong key id or secret is a configuration error naming the variable", async () => {
    const good = new S3Store(`s3://${bucket}`, s3Settings(server.env));
    assert.equal((await good.put("x.txt", "hello")).sha256, hello);
    const unknownKey = new S3Store(
      `s3://${bucket}`,
      s3Settings({ ...server.env, AWS_ACCESS_KEY_ID: "AKIAINFLOWUNKNOWN000" }),
    );
    await assert.rejects(
      unknownKey.get("x.txt"),
      (e: Error) =>
        e instanceof ConfigError && /does not know the access key: check AWS_ACCESS_KEY_ID/.test(e.message),
    );
    const wrongSecret = new S3Store(
      `s3://${bucket}`,
      s3Settings({ ...server.env, AWS_SECRET_ACCESS_KEY: "wrong" }),
    );
    await assert.rejects(
      wrongSecret.exists("x.txt"),
      (e: Error) =>
        e instanceof ConfigError &&
        /rejected the request signature: check AWS_SECRET_ACCESS_KEY/.test(e.message),
    );
  });
});
