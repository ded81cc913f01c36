import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { FileStore } from "../src/store/file-store.js";
import { s3Settings } from "../src/store/s3-config.js";
import type { ArtifactStore } from "../src/store/store.js";
import { ConfigError } from "../src/util/errors.js";
import { S3Store } from "./s3-store.js";

/**
 * Opens a store from its URI: file://path or s3://bucket/prefix (S3 settings from the AWS_* variables).
 * `create` makes a local store's folder for a task that writes there (an S3 bucket must exist).
 */
export async function openStore(
  uri: string,
  env: NodeJS.ProcessEnv = process.env,
  { create = false }: { create?: boolean } = {},
): Promise<ArtifactStore> {
  if (uri.startsWith("file://")) {
    const store = new FileStore(uri);
    if (create) await store.create();
    return store;
  }
  if (uri.startsWith("s3://")) return new S3Store(uri, s3Settings(env));
  throw new ConfigError(`unsupported store URI "${uri}" (use file://path or s3://bucket/prefix)`);
}

/**
 * The folders that opening a local store with `create` would make, deepest first (the store's own,
 * then each missing parent); empty for an existing folder or an S3 store.
 */
export function absentLocalStoreFolders(uri: string): string[] {
  if (!uri.startsWith("file://")) return [];
  const missing: string[] = [];
  for (let dir = new FileStore(uri).root; !existsSync(dir); dir = dirname(dir)) missing.push(dir);
  return missing;
}
