import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTickets, type SourceRecord, type TicketSourceOptions } from "../../src/tickets/sources/read.js";

/** Folder of the small ticket export fixtures (CFPB JSON, JSONL, CSV, text). */
export const ticketFixtures = new URL("../fixtures/tickets/", import.meta.url).pathname;

/** Every record readTickets yields for a file, tickets and rejects in order. */
export async function collectTickets(
  path: string,
  options: Partial<TicketSourceOptions> = {},
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of readTickets(path, options)) records.push(record);
  return records;
}

/** Files a test writes, each in its own temp folder; dispose() (in an `after` hook) removes them all. */
export class TempFiles {
  private readonly dirs: string[] = [];

  async write(name: string, content: string | Buffer): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "inflow-sources-"));
    this.dirs.push(dir);
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
