import type { Readable } from "node:stream";

/** An object as published: its key, size and sha256 (every published object has one). */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
}

/**
 * The artifact store: one interface over a local folder (file://) and S3 (s3://bucket/prefix).
 * Keys are "/"-separated relative paths. Single-object writes are atomic: a reader sees the old
 * object or the new one, never a partial write.
 */
export interface ArtifactStore {
  readonly uri: string;
  put(key: string, body: Uint8Array | string): Promise<StoredObject>;
  /** Streams a local file into the store (large outputs never sit in memory). */
  putFile(key: string, path: string): Promise<StoredObject>;
  /** Throws NotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  getStream(key: string): Promise<Readable>;
  /** A local path holding the object's bytes (the file itself, or a downloaded temp copy), and its cleanup. */
  localCopy(key: string): Promise<{ path: string; release(): Promise<void> }>;
  exists(key: string): Promise<boolean>;
  /** Size and sha256 of a stored object (streamed, never loaded whole). Throws NotFoundError when absent. */
  head(key: string): Promise<StoredObject>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Deletes every key under the prefix. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * Fails with ConfigError when the store itself (its folder, its bucket) is not there or refuses
   * these credentials; an unreachable endpoint is a plain (transient) Error.
   */
  requireExists(): Promise<void>;
}

export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(readonly uri: string) {
    super(`not found: ${uri}`);
  }
}

const badKey = /(^|\/)\.\.(\/|$)|^\/|\\/;

export function checkKey(key: string): string {
  if (key.length === 0 || badKey.test(key)) throw new Error(`invalid store key "${key}"`);
  return key;
}
