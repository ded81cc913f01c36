/**
 * Streamed, atomic writers for generated corpora: rows go to `<path>.tmp-<pid>-<n>` with backpressure
 * and the file is renamed into place only when complete, so a killed writer leaves no half file.
 */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";

/** Chunks are batched to about this many characters before reaching the stream. */
const batchChars = 1 << 16;
let tempCounter = 0;

export class AtomicTextFile {
  private readonly tempPath: string;
  private readonly stream: WriteStream;
  private buffer = "";
  private failure: Error | null = null;

  constructor(private readonly path: string) {
    this.tempPath = `${path}.tmp-${process.pid.toString()}-${(tempCounter++).toString()}`;
    this.stream = createWriteStream(this.tempPath, { encoding: "utf8" });
    this.stream.on("error", (error) => {
      this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= batchChars) await this.flush();
  }

  /** Flushes, closes and renames the file into place. */
  async commit(): Promise<void> {
    await this.flush();
    await this.close(() => this.stream.end());
    if (this.failure !== null) throw this.failure;
    await rename(this.tempPath, this.path);
  }

  /** Drops the temporary file; the target path is left untouched. */
  async abort(): Promise<void> {
    // The file is opened asynchronously: wait for the stream to close, or the open could recreate
    // the temporary file after it was unlinked.
    await this.close(() => this.stream.destroy());
    await unlink(this.tempPath).catch(() => undefined);
  }

  /** Ends the stream with `finish` and waits for "close" (which follows errors too). */
  private async close(finish: () => void): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once("close", resolve);
      finish();
    });
  }

  private async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const chunk = this.buffer;
    this.buffer = "";
    if (chunk.length > 0 && !this.stream.write(chunk)) await waitForDrain(this.stream);
    if (this.failure !== null) throw this.failure;
  }
}

async function waitForDrain(stream: WriteStream): Promise<void> {
  // events.once rejects if the stream emits "error" while waiting, so a failed disk cannot hang us.
  await once(stream, "drain");
}

/** Writes `header`, each rendered row and `footer` to `path`; on any failure the target is untouched. */
export async function writeAtomically<T>(
  path: string,
  rows: Iterable<T> | AsyncIterable<T>,
  render: (row: T, index: number) => string,
  header = "",
  footer = "",
): Promise<void> {
  const file = new AtomicTextFile(path);
  try {
    await file.write(header);
    let index = 0;
    for await (const row of rows) await file.write(render(row, index++));
    await file.write(footer);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

export async function writeJsonl(
  path: string,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<void> {
  await writeAtomically(path, rows, (row) => `${JSON.stringify(row)}\n`);
}
