import { ConfigError } from "../util/errors.js";
import { FileStore } from "./file-store.js";
import type { ArtifactStore } from "./store.js";

/** Opens a store from its URI: file://path or s3://bucket/prefix. */
export async function openStore(uri: string): Promise<ArtifactStore> {
  if (uri.startsWith("file://")) return new FileStore(uri);
  if (uri.startsWith("s3://")) {
    throw new ConfigError(`s3:// stores are not available in this build yet: ${uri}`);
  }
  throw new ConfigError(`unsupported store URI "${uri}" (use file://path or s3://bucket/prefix)`);
}
