import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sha256, sha256File } from "../util/hash.js";
import { type ArtifactStore, checkKey, NotFoundError, type StoredObject } from "./store.js";

/** A local folder as an artifact store: writes go to a temp file in the same folder, then rename. */
export class FileStore implements ArtifactStore {
  readonly root: string;

  constructor(readonly uri: string) {
    this.root = resolve(uri.replace(/^file:\/\//, ""));
  }

  private path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, body: Uint8Array | string): Promise<StoredObject> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomUUID()}`;
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { key, sha256: sha256(bytes), size: bytes.byteLength };
  }

  async putFile(key: string, path: string): Promise<StoredObject> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomUUID()}`;
    const hash = createHash("sha256");
    let size = 0;
    try {
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
      await rm(temp, { force: true });
      throw error;
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
    await stat(path).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return createReadStream(path);
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const path = this.path(key);
    await stat(path).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return { path, release: async () => {} };
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  async head(key: string): Promise<StoredObject> {
    const path = this.path(key);
    const info = await stat(path).catch((error) => {
      throw notFound(error, this.describe(key));
    });
    return { key, size: info.size, sha256: await sha256File(path) };
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
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
    await rm(path, { force: true });
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
  return (error as NodeJS.ErrnoException).code === "ENOENT" ? new NotFoundError(uri) : (error as Error);
}
