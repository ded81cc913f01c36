import { createHash, randomUUID } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConfigError } from "../util/errors.js";
import { makeFolders, unwritableCause } from "../util/folders.js";
import { sha256, sha256File } from "../util/hash.js";
import { type ArtifactStore, checkKey, NotFoundError, type StoredObject } from "./store.js";

/**
 * A local folder as an artifact store: writes go to a temp file in the same folder, then rename.
 * The folder must exist to be read (a misspelled store is an error, not an empty one); the first write
 * creates it. Permission and read-only errors are configuration errors (exit 2), others transient.
 */
export class FileStore implements ArtifactStore {
  readonly root: string;

  constructor(readonly uri: string) {
    const path = uri.replace(/^file:\/\//, "");
    if (!path) throw new ConfigError(`store URI "${uri}" names no folder: use file://./path or file:///path`);
    this.root = resolve(path);
  }

  /** Creates the store's folder (a store a task writes to may start empty). */
  async create(): Promise<void> {
    await makeFolders(this.root).catch((error) => {
      throw fileStoreError(error, this.uri, "create");
    });
  }

  private path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, body: Uint8Array | string): Promise<StoredObject> {
    const target = this.path(key);
    const temp = `${target}.tmp-${randomUUID()}`;
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    try {
      await makeFolders(dirname(target));
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      throw fileStoreError(error, this.describe(key), "write");
    }
    return { key, sha256: sha256(bytes), size: bytes.byteLength };
  }

  async putFile(key: string, path: string): Promise<StoredObject> {
    const target = this.path(key);
    const temp = `${target}.tmp-${randomUUID()}`;
    const hash = createHash("sha256");
    let size = 0;
    try {
      await makeFolders(dirname(target));
      await pipeline(
        createReadStream(path),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(temp),
      );
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      throw fileStoreError(error, this.describe(key), "write");
    }
    return { key, sha256: hash.digest("hex"), size };
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      throw notFound(error, this.describe(key));
    }
  }

  async getStream(key: string): Promise<Readable> {
    const path = this.path(key);
    await access(path, constants.R_OK).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return createReadStream(path);
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const path = this.path(key);
    await access(path, constants.R_OK).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return { path, release: async () => {} };
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      (error) => {
        if (isAbsent(error)) return false;
        throw fileStoreError(error, this.describe(key), "read");
      },
    );
  }

  async head(key: string): Promise<StoredObject> {
    const path = this.path(key);
    const info = await stat(path).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    const hash = await sha256File(path).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return { key, size: info.size, sha256: hash };
  }

  /** Fails with ConfigError unless the store's folder is there: a misspelled store is no empty store. */
  async requireExists(): Promise<void> {
    await stat(this.root).catch((error) => {
      if (isAbsent(error)) {
        throw new ConfigError(
          `store folder ${this.root} (${this.uri}) does not exist: fix the store URI, or ingest into it first`,
        );
      }
      throw fileStoreError(error, this.uri, "read");
    });
  }

  async list(prefix: string): Promise<string[]> {
    await this.requireExists();
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      // A folder the prefix names but nothing was written to is empty; any other failure is an error.
      const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
        if (isAbsent(error)) return [];
        throw fileStoreError(error, `${this.uri} (${dir})`, "read");
      });
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.includes(".tmp-")) keys.push(relative(this.root, full).split(sep).join("/"));
      }
    };
    // Walk only the deepest folder the prefix names, then filter by the full prefix.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    await walk(folder ? this.path(folder) : this.root);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await rm(path, { force: true }).catch((error) => {
      throw fileStoreError(error, this.describe(key), "write");
    });
    // Folders mean nothing in a key-value store: drop the ones this delete left empty.
    for (let dir = dirname(path); dir.startsWith(`${this.root}${sep}`); dir = dirname(dir)) {
      if ((await readdir(dir).catch(() => [null])).length > 0) break;
      await rmdir(dir).catch(() => {});
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) await this.delete(key);
  }

  private describe(key: string): string {
    return `${this.uri.replace(/\/$/, "")}/${key}`;
  }
}

function notFound(error: unknown, uri: string): Error {
  return (error as NodeJS.ErrnoException).code === "ENOENT"
    ? new NotFoundError(uri)
    : fileStoreError(error, uri, "read");
}

function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function fileStoreError(error: unknown, uri: string, operation: "read" | "write" | "create"): Error {
  const cause = unwritableCause(error);
  if (cause === undefined) return error as Error;
  return new ConfigError(
    `cannot ${operation} ${uri}: ${cause}; fix the folder's permissions or mount, or the store URI`,
  );
}
