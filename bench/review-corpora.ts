/** The panel corpora the review benches replay, read the same way by bench:review and its in-process replay. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { Rng } from "../src/util/random.js";

export interface Corpus {
  file: string;
  text: string;
  label: string;
  id?: string;
  /** Rows of this label are not in the panel's scope (clinc150's out-of-scope queries). */
  exclude?: string;
  /** Labels per class beyond --per-class, e.g. the 1% of the IT tickets. */
  extra?: number[];
}

export const corpora: Record<string, Corpus> = {
  banking77: { file: "banking77/queries.csv.gz", id: "id", text: "text", label: "intent" },
  clinc150: { file: "clinc150/queries.csv.gz", id: "id", text: "text", label: "intent", exclude: "oos" },
  // 8 classes in 47,837 tickets: 60 per class is the 1% labelled.
  it: { file: "it-service-tickets/tickets.csv.gz", text: "Document", label: "Topic_group", extra: [60] },
};

/** The date the pipeline steps run for, and the raw partition's (the day before). */
export const reviewDate = "2026-01-15";
const rawDate = "2026-01-14";

export interface CorpusRow {
  id: string;
  text: string;
  truth: string;
}

/** Reads the corpus, keeps `rowsLimit` of it (seeded) when asked (0 = all). */
export async function readCorpus(corpus: Corpus, rowsLimit: number): Promise<CorpusRow[]> {
  const rows = parse(gunzipSync(await readFile(join(import.meta.dirname, "../data", corpus.file))), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const kept = rows
    .map((row, i) => ({
      id: corpus.id ? row[corpus.id]! : `row-${i}`,
      text: row[corpus.text] ?? "",
      truth: row[corpus.label] ?? "",
    }))
    .filter((r) => r.text.trim() !== "" && r.truth !== "" && r.truth !== corpus.exclude);
  if (rowsLimit <= 0 || rowsLimit >= kept.length) return kept;
  const rng = new Rng(7);
  return kept
    .map((r) => ({ r, key: rng.next() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, rowsLimit)
    .map(({ r }) => r);
}

/** Writes the rows as the raw store's tickets (id and text only: the truth stays with the bench). */
export async function writeRawTickets(rawStoreDir: string, rows: readonly CorpusRow[]): Promise<void> {
  const raw = join(rawStoreDir, "tickets", `date=${rawDate}`);
  await mkdir(raw, { recursive: true });
  await writeFile(
    join(raw, "tickets.jsonl"),
    `${rows.map((r) => JSON.stringify({ id: r.id, text: r.text })).join("\n")}\n`,
  );
}
