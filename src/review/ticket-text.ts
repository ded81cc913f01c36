import type { ArtifactStore } from "../store/store.js";
import type { PreprocessedTicket } from "../tickets/dataset.js";
import { rawKey } from "../tickets/raw.js";
import { readTickets, type TicketSourceOptions } from "../tickets/sources/read.js";

/**
 * Ticket text for people to read. Derived data holds only tokens, so text is read back from the raw
 * file and position each preprocessed ticket came from (`source` is "<date>/<file>"); one pass per
 * file for all the tickets wanted from it. The text stays in memory for display and is never logged.
 */
export async function readTicketTexts(
  rawStore: ArtifactStore,
  tickets: readonly Pick<PreprocessedTicket, "id" | "source" | "position">[],
  options: Partial<TicketSourceOptions> = {},
): Promise<Map<string, string>> {
  const bySource = new Map<string, Map<number, string>>();
  for (const ticket of tickets) {
    const positions = bySource.get(ticket.source) ?? new Map<number, string>();
    positions.set(ticket.position, ticket.id);
    bySource.set(ticket.source, positions);
  }
  const texts = new Map<string, string>();
  for (const [source, positions] of bySource) {
    const slash = source.indexOf("/");
    const copy = await rawStore.localCopy(rawKey(source.slice(0, slash), source.slice(slash + 1)));
    try {
      for await (const record of readTickets(copy.path, options)) {
        const id = positions.get(record.position);
        if (id !== undefined && record.kind === "ticket") texts.set(id, record.text);
      }
    } finally {
      await copy.release();
    }
  }
  return texts;
}
