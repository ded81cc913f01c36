import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../util/errors.js";
import type { TicketInputFormat } from "./source-types.js";

const gzipMagic = [0x1f, 0x8b] as const;

/**
 * The file's bytes as a stream, gunzipped when the file starts with the gzip magic number (whatever
 * its name says). Errors of any stage, such as a truncated gzip member, surface on the returned stream.
 */
export async function openTicketBytes(path: string): Promise<Readable> {
  const gzipped = await startsWithGzipMagic(path); // also fails early, with a plain error, on a missing file
  const raw = createReadStream(path);
  return gzipped ? pipeline(raw, createGunzip(), () => {}) : raw;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === gzipMagic[0] && head[1] === gzipMagic[1];
  } finally {
    await file.close();
  }
}

const formatsByExtension: Record<string, Exclude<TicketInputFormat, "auto">> = {
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
};

/** The format named by the file's extension, looking past a trailing `.gz`. */
export function formatFromPath(path: string): Exclude<TicketInputFormat, "auto"> {
  const name = basename(path).toLowerCase();
  const withoutGz = name.endsWith(".gz") ? name.slice(0, -3) : name;
  const format = formatsByExtension[extname(withoutGz)];
  if (format === undefined) {
    throw new InputError(
      `cannot tell the ticket format of ${path} from its extension; expected one of ` +
        `${Object.keys(formatsByExtension).join(", ")} (optionally .gz), or pass the format explicitly`,
    );
  }
  return format;
}
