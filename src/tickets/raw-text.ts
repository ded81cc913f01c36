import type { ArtifactStore } from "../store/store.js";
import type { PreprocessedTicket } from "./dataset.js";
import { preprocessedTickets } from "./models.js";
import { ingestReading, rawKey } from "./raw.js";
import { readTickets } from "./sources/read.js";
import type { TicketSourceOptions } from "./sources/types.js";

/**
 * The raw text of a few preprocessed tickets, read back from the raw store by their source file and
 * position with the options preprocess read them with (its flags over each file's ingest reading). For a person's eyes (a report, a terminal):
 * ticket text is personal data and is never logged.
 */
export async function rawTexts(
  rawStore: ArtifactStore,
  tickets: readonly PreprocessedTicket[],
  source: Partial<TicketSourceOptions>,
): Promise<Map<PreprocessedTicket, string>> {
  const wanted = new Map<string, Map<number, PreprocessedTicket>>();
  for (const ticket of tickets) {
    const at = wanted.get(ticket.source) ?? new Map<number, PreprocessedTicket>();
    at.set(ticket.position, ticket);
    wanted.set(ticket.source, at);
  }
  const texts = new Map<PreprocessedTicket, string>();
  for (const [file, positions] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [date, name] = file.split("/") as [string, string];
    const key = rawKey(date, name);
    const reading = { format: "auto" as const, ...(await ingestReading(rawStore, key)), ...source };
    const copy = await rawStore.localCopy(key);
    try {
      for await (const record of readTickets(copy.path, reading)) {
        const ticket = positions.get(record.position);
        if (ticket && record.kind === "ticket") texts.set(ticket, record.text);
      }
    } finally {
      await copy.release();
    }
  }
  return texts;
}

/**
 * The raw text of a date's preprocessed tickets by id, read with the options preprocess recorded: what
 * a router that reads the tickets' words (src/classify/router-input.ts) is trained and evaluated on.
 */
export async function preprocessedTexts(
  store: ArtifactStore,
  rawStore: ArtifactStore,
  date: string,
): Promise<Map<string, string>> {
  const { tickets, source } = await preprocessedTickets(store, date);
  const texts = await rawTexts(rawStore, tickets, source);
  return new Map(Array.from(texts, ([ticket, text]) => [ticket.id, text]));
}
