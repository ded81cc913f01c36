import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { endpointLabel, parseS3Uri, type S3Settings } from "../src/store/s3-config.js";
import { type ArtifactStore, checkKey, NotFoundError, type StoredObject } from "../src/store/store.js";
import { sha256, sha256File } from "../src/util/hash.js";
import { createS3Client } from "./s3-client.js";
import { explainS3Error, InterruptedDownload, isNotFound } from "./s3-errors.js";
import { verifyingStream } from "./s3-verify.js";

export interface S3StoreOptions {
  /** Multipart part size in bytes (S3's minimum is 5 MiB); smaller files go up in one PutObject. */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
  /** Keys per ListObjectsV2 page and per DeleteObjects batch (at most 1000, the S3 limit for both). */
  pageSize?: number;
  client?: S3Client;
}

/** ListObjectsV2 returns and DeleteObjects takes at most this many keys per request. */
const maxPageSize = 1000;
/** The object metadata entry (x-amz-meta-sha256) holding the hex sha256 of the whole object. */
const shaMeta = "sha256";

/**
 * A bucket (and optional prefix) as an artifact store. Single PutObject and CompleteMultipartUpload
 * are atomic on S3, so the publish protocol (outputs first, manifest last) holds as on a folder.
 * Every object carries its sha256 as metadata, set before its bytes go up, so `head` needs no
 * download, and every read is checked against it.
 */
export class S3Store implements ArtifactStore {
  readonly uri: string;
  readonly bucket: string;
  readonly endpoint: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly maxAttempts: number;
  private readonly pageSize: number;
  private bucketChecked: Promise<void> | null = null;

  constructor(uri: string, settings: S3Settings, options: S3StoreOptions = {}) {
    const location = parseS3Uri(uri);
    this.bucket = location.bucket;
    this.prefix = location.prefix;
    this.uri = `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ""}`;
    this.endpoint = endpointLabel(settings);
    this.client = options.client ?? createS3Client(settings);
    this.partSize = options.partSize ?? 16 * 1024 * 1024;
    this.queueSize = options.queueSize ?? 4;
    this.maxAttempts = settings.maxAttempts;
    this.pageSize = Math.min(options.pageSize ?? maxPageSize, maxPageSize);
  }

  async put(key: string, body: Uint8Array | string): Promise<StoredObject> {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const sha = sha256(bytes);
    await this.call("PutObject", key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: bytes,
          Metadata: { [shaMeta]: sha },
        }),
      ),
    );
    return { key, sha256: sha, size: bytes.byteLength };
  }

  /**
   * Hashes the file first (the sha256 must be in the metadata when the upload starts), then streams it
   * up, multipart above the part size; the stream is hashed again on the way, so a file that changes
   * meanwhile fails the upload instead of publishing bytes that don't match their sha256.
   */
  async putFile(key: string, path: string): Promise<StoredObject> {
    const objectKey = this.key(key);
    const [sha, info] = await Promise.all([sha256File(path), stat(path)]);
    const source = createReadStream(path);
    const checked = verifyingStream({ sha256: sha, size: info.size }, `${path} changed while uploading`);
    source.once("error", (error) => checked.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: source.pipe(checked),
        Metadata: { [shaMeta]: sha },
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await this.call("PutObject", key, () => upload.done());
    } finally {
      source.destroy();
    }
    return { key, sha256: sha, size: info.size };
  }

  async get(key: string): Promise<Buffer> {
    return this.retryingBody(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.getStream(key)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  }

  /** Streams the object; the stream fails at its end if the bytes don't match the recorded sha256 and size. */
  async getStream(key: string): Promise<Readable> {
    const response = await this.call(
      "GetObject",
      key,
      () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) })),
      true,
    );
    const body = response.Body as Readable;
    const checked = verifyingStream(
      { sha256: response.Metadata?.[shaMeta], size: response.ContentLength },
      `reading ${this.describe(key)}`,
    );
    body.once("error", (error) =>
      checked.destroy(
        new InterruptedDownload(this.explain(error, "GetObject", key).message, { cause: error }),
      ),
    );
    checked.once("close", () => body.destroy());
    return body.pipe(checked);
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), "inflow-s3-"));
    const release = () => rm(dir, { recursive: true, force: true });
    const path = join(dir, basename(key));
    try {
      await this.retryingBody(async () => pipeline(await this.getStream(key), createWriteStream(path)));
    } catch (error) {
      await release();
      throw error;
    }
    return { path, release };
  }

  async exists(key: string): Promise<boolean> {
    return this.head(key).then(
      () => true,
      (error) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      },
    );
  }

  /** From the metadata; objects put by other tools (no sha256 metadata) are hashed by streaming them. */
  async head(key: string): Promise<StoredObject> {
    const response = await this.call(
      "HeadObject",
      key,
      () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) })),
      true,
    );
    const size = response.ContentLength ?? 0;
    const recorded = response.Metadata?.[shaMeta];
    if (recorded) return { key, size, sha256: recorded };
    const hasher = createHash("sha256");
    for await (const chunk of await this.getStream(key)) hasher.update(chunk as Buffer);
    return { key, size, sha256: hasher.digest("hex") };
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("ListObjectsV2", prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            MaxKeys: this.pageSize,
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) keys.push(object.Key!.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.call("DeleteObject", key, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) })),
    );
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    for (let start = 0; start < keys.length; start += this.pageSize) {
      const batch = keys.slice(start, start + this.pageSize);
      const response = await this.call("DeleteObjects", prefix, () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((k) => ({ Key: this.key(k) })), Quiet: true },
          }),
        ),
      );
      const failed = response.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new Error(
          `could not delete ${failed.length} objects under ${this.describe(prefix)} (first: ${first.Key}: ${first.Code} ${first.Message})`,
        );
      }
    }
  }

  private key(key: string): string {
    return this.prefix + checkKey(key);
  }

  private describe(key: string): string {
    return `${this.uri}/${key}`;
  }

  private explain(error: unknown, operation: string, key: string): Error {
    return explainS3Error(error, {
      endpoint: this.endpoint,
      bucket: this.bucket,
      operation,
      target: this.describe(key),
    });
  }

  /**
   * Runs one SDK call (the SDK retries it) after a one-time bucket check, and explains failures.
   * With `missingIsNotFound`, an absent object becomes NotFoundError.
   */
  private async call<T>(
    operation: string,
    key: string,
    send: () => Promise<T>,
    missingIsNotFound = false,
  ): Promise<T> {
    await this.checkBucket();
    try {
      return await send();
    } catch (error) {
      const name = (error as Error)?.name;
      if (missingIsNotFound && isNotFound(error) && name !== "NoSuchBucket") {
        throw new NotFoundError(this.describe(key));
      }
      throw this.explain(error, operation, key);
    }
  }

  /** The bucket check every call makes first (NoSuchBucket, bad credentials: ConfigError). */
  requireExists(): Promise<void> {
    return this.checkBucket();
  }

  /**
   * A missing bucket or bad credentials would otherwise show up as a bare 404/403 on HEAD (which has no
   * body to say which): list one key first, whose error names the cause. Remembered once it succeeds.
   */
  private checkBucket(): Promise<void> {
    this.bucketChecked ??= this.client
      .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }))
      .then(
        () => undefined,
        (error) => {
          this.bucketChecked = null;
          throw this.explain(error, "ListObjectsV2", "");
        },
      );
    return this.bucketChecked;
  }

  /**
   * The SDK retries requests, not the body that streams after the response headers: a download cut
   * off midway is retried here, with the same kind of backoff.
   */
  private async retryingBody<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof InterruptedDownload) || attempt >= this.maxAttempts) throw error;
        await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000));
      }
    }
  }
}
