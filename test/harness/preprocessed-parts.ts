import { Publication } from "../../src/store/publish.js";
import type { ArtifactStore } from "../../src/store/store.js";
import { kinds, type PreprocessedTicket } from "../../src/tickets/dataset.js";
import { rawKey } from "../../src/tickets/raw.js";
import { Rng } from "../../src/util/random.js";

/**
 * Preprocessed tickets without running preprocess: `topics` planted topics of 40 terms each, every
 * ticket `length` terms of one topic plus two shared ones. Raw files (`source`, "date/name" as
 * preprocess records it) are one per day and channel, `days` days × 2 channels; tickets are dealt to
 * files round-robin. `publishRaw` writes the files themselves (relabel reads representatives' text).
 */
export function plantedTickets(count: number, { topics = 8, days = 7, length = 12, seed = 1 } = {}) {
  const rng = new Rng(seed);
  const shared = ["issue", "help", "please", "thanks"];
  const sources = Array.from(
    { length: days * 2 },
    (_, f) => `2026-04-${String(10 + (f >> 1)).padStart(2, "0")}/channel-${f & 1}.jsonl`,
  );
  const positions = new Map<string, number>();
  return Array.from({ length: count }, (_, i): PreprocessedTicket => {
    const topic = rng.nextUint32() % topics;
    const tokens = Array.from({ length }, () => `t${topic}w${rng.nextUint32() % 40}`);
    tokens.push(shared[rng.nextUint32() % 4]!, shared[rng.nextUint32() % 4]!);
    const source = sources[i % sources.length]!;
    const position = positions.get(source) ?? 0;
    positions.set(source, position + 1);
    return { id: `T${String(i).padStart(7, "0")}`, tokens, source, position, fields: {} };
  });
}

/**
 * Publishes tickets as a date's preprocessed partition the way `preprocess --shards n` does: whole raw
 * files per shard (file f to shard f mod n), one part "shard-i-of-n" each. With `rawStore` (where
 * `publishRaw` wrote the files), each shard's lineage names its raw files and their sha256, as
 * preprocess records them and as reading a ticket's text back requires.
 */
export async function publishPreprocessed(
  store: ArtifactStore,
  date: string,
  tickets: readonly PreprocessedTicket[],
  shards: number,
  rawStore?: ArtifactStore,
): Promise<void> {
  const files = [...new Set(tickets.map((t) => t.source))].sort();
  for (let shard = 0; shard < shards; shard++) {
    const mine = new Set(files.filter((_, f) => f % shards === shard));
    const rows = tickets.filter((t) => mine.has(t.source));
    const publication = new Publication(
      store,
      kinds.preprocessed,
      date,
      "test",
      `shard-${shard}-of-${shards}`,
    );
    await publication.put("tickets.jsonl", rows.map((t) => `${JSON.stringify(t)}\n`).join(""));
    const inputs = rawStore
      ? await Promise.all(
          [...mine].map(async (source) => {
            const [day, name] = source.split("/") as [string, string];
            const key = rawKey(day, name);
            return { uri: `${rawStore.uri}/${key}`, sha256: (await rawStore.head(key)).sha256 };
          }),
        )
      : [];
    await publication.publish({ inputs, params: {} }, { tickets: rows.length });
  }
}

/** The raw files the tickets were read from: one JSON line `{id, text}` per ticket, in position order. */
export async function publishRaw(
  rawStore: ArtifactStore,
  tickets: readonly PreprocessedTicket[],
): Promise<void> {
  const files = new Map<string, string[]>();
  for (const t of [...tickets].sort((a, b) => a.position - b.position)) {
    const lines = files.get(t.source) ?? [];
    lines.push(JSON.stringify({ id: t.id, text: t.tokens.join(" ") }));
    files.set(t.source, lines);
  }
  for (const [source, lines] of files) {
    const [date, name] = source.split("/") as [string, string];
    await rawStore.put(rawKey(date, name), `${lines.join("\n")}\n`);
  }
}
