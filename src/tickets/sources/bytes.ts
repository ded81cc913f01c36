import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../../util/errors.js";
import type { TicketInputFormat } from "./types.js";

const gzipMagic = [0x1f, 0x8b] as const;

/**
 * The file's bytes as a stream, gunzipped when the file starts with the gzip magic number (whatever
 * its name says), without a UTF-8 byte-order mark. Errors of any stage, such as a truncated gzip
 * member, surface on the returned stream; text that is not UTF-8 (UTF-16, binary) fails on the first
 * chunk with an InputError that says how to convert it.
 */
export async function openTicketBytes(path: string): Promise<Readable> {
  const gzipped = await startsWithGzipMagic(path); // also fails early, with a plain error, on a missing file
  const raw = createReadStream(path);
  return Readable.from(utf8Text(gzipped ? pipeline(raw, createGunzip(), () => {}) : raw, path));
}

const utf8Bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** Checks the first chunk's encoding (UTF-8 text never holds NUL bytes) and drops a UTF-8 BOM. */
async function* utf8Text(source: AsyncIterable<Buffer>, path: string): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of source) {
    if (first) {
      first = false;
      const head = chunk.subarray(0, 512);
      const utf16 =
        (head[0] === 0xff && head[1] === 0xfe) ||
        (head[0] === 0xfe && head[1] === 0xff) ||
        // Without a BOM: ASCII in UTF-16 has every other byte NUL (little- or big-endian).
        (head.length >= 4 && ((head[1] === 0 && head[3] === 0) || (head[0] === 0 && head[2] === 0)));
      if (utf16) {
        throw new InputError(
          `${path} is UTF-16 text; Inflow reads UTF-8: convert it (iconv -f UTF-16 -t UTF-8 ${basename(path)} > converted) and use the converted file`,
        );
      }
      if (head.includes(0)) {
        throw new InputError(
          `${path} is not a text file (it holds NUL bytes): export the tickets as JSON, JSON lines or CSV`,
        );
      }
      yield chunk.subarray(0, 3).equals(utf8Bom) ? chunk.subarray(3) : chunk;
      continue;
    }
    yield chunk;
  }
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
        `${Object.keys(formatsByExtension).join(", ")} (optionally .gz), or pass --format json, jsonl or csv` +
        (extname(withoutGz) === ".tsv" ? ' (a .tsv file: --format csv --delimiter "\\t")' : ""),
    );
  }
  return format;
}
