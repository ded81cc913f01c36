import { localCopyVerified } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { InputError } from "../util/errors.js";
import type { PreprocessedTicket } from "./dataset.js";
import { type PreprocessReading, preprocessedTickets } from "./models.js";
import { ingestReading, rawKey } from "./raw.js";
import { readTickets } from "./sources/read.js";

/**
 * The raw text of preprocessed tickets, read back from the raw store by their source file
 * ("<date>/<file>") and position, one pass per file. Each file is read exactly as preprocess read it:
 * the same bytes (checked against the sha256 its manifest records, so a file changed since is refused
 * rather than shown, or trained on, as the ticket that was labelled) and the same options (its flags
 * over the file's ingest reading). Ticket text is personal data: it is returned, never logged.
 */
export async function readTicketTexts<T extends Pick<PreprocessedTicket, "source" | "position">>(
  rawStore: ArtifactStore,
  reading: PreprocessReading,
  tickets: readonly T[],
): Promise<Map<T, string>> {
  const wanted = new Map<string, Map<number, T>>();
  for (const ticket of tickets) {
    const at = wanted.get(ticket.source) ?? new Map<number, T>();
    at.set(ticket.position, ticket);
    wanted.set(ticket.source, at);
  }
  const texts = new Map<T, string>();
  for (const [file, positions] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const slash = file.indexOf("/");
    const key = rawKey(file.slice(0, slash), file.slice(slash + 1));
    const options = { format: "auto" as const, ...(await ingestReading(rawStore, key)), ...reading.source };
    const copy = await localCopyVerified(
      rawStore,
      { key, sha256: recordedSha256(rawStore, reading, key) },
      {
        record: `what preprocess read for ${reading.date}:`,
        change: "changed after preprocess read it",
        remedy: `restore the file preprocess read, or re-run \`inflow tickets preprocess --date ${reading.date}\` and the steps after it`,
      },
    );
    try {
      for await (const record of readTickets(copy.path, options)) {
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
 * The sha256 preprocess recorded for a raw file. Matched by key, not by the whole URI: the same raw
 * store may be reached under another URI than preprocess's, and the bytes are checked either way.
 */
function recordedSha256(rawStore: ArtifactStore, reading: PreprocessReading, key: string): string {
  const recorded = reading.rawFiles.find((input) => input.uri.endsWith(`/${key}`));
  if (!recorded)
    throw new InputError(
      `${rawStore.uri}/${key} is not among the raw files preprocess read for ${reading.date}: re-run \`inflow tickets preprocess --date ${reading.date}\` and the steps after it`,
    );
  return recorded.sha256;
}

/**
 * The raw text of a date's preprocessed tickets by id: what a router that reads the tickets' words
 * (src/classify/router-input.ts) is trained and evaluated on.
 */
export async function preprocessedTexts(
  store: ArtifactStore,
  rawStore: ArtifactStore,
  date: string,
): Promise<Map<string, string>> {
  const { tickets, reading } = await preprocessedTickets(store, date);
  const texts = await readTicketTexts(rawStore, reading, tickets);
  return new Map(Array.from(texts, ([ticket, text]) => [ticket.id, text]));
}
