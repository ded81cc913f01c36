import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";

/** Appends JSON lines to a local file with backpressure. */
export class JsonlWriter {
  private readonly stream: WriteStream;
  /** The stream's first error (a file that cannot be opened): thrown by the next write or close, never an unhandled event. */
  private failure: Error | null = null;
  count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on("error", (error) => {
      this.failure ??= error;
    });
  }

  async write(row: unknown): Promise<void> {
    if (this.failure) throw this.failure;
    this.count++;
    if (!this.stream.write(`${JSON.stringify(row)}\n`)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, "finish");
  }
}

/** Streams the rows of a local JSON-lines file. */
export async function* readJsonl<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) if (line.length > 0) yield JSON.parse(line) as T;
}
