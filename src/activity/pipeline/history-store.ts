/**
 * Message history in the store: one publication per UTC date (see history.ts for why UTC). Ingest
 * merges new records into each touched partition (de-duplicated by chat and message id, sorted) and
 * republishes it only when its bytes change, so re-ingesting the same source is a no-op.
 */
import { Publication, publishedDates } from "../../store/publish.js";
import type { ArtifactStore } from "../../store/store.js";
import { sha256 } from "../../util/hash.js";
import { fromJsonl, mergePartition, partitionByUtcDate, toJsonl, withoutText } from "../history.js";
import type { MessageRecord } from "../types.js";
import { utcDate } from "../zone.js";
import { readPublished } from "./published.js";

const FILE = "messages.jsonl";

export interface HistoryWrite {
  /** UTC dates whose partition was (re)published. */
  written: string[];
  /** UTC dates the records touched whose partition already held exactly them. */
  unchanged: string[];
  /** Messages in the touched partitions after the merge. */
  messages: number;
}

export interface HistorySource {
  uri: string;
  sha256: string;
}

export async function writeHistory(
  store: ArtifactStore,
  kind: string,
  records: Iterable<MessageRecord>,
  { runId, source, keepText }: { runId: string; source: HistorySource; keepText: boolean },
): Promise<HistoryWrite> {
  const result: HistoryWrite = { written: [], unchanged: [], messages: 0 };
  for (const [date, incoming] of partitionByUtcDate(records)) {
    const existing = await readPublished(store, kind, date, FILE);
    let merged = mergePartition(existing ? fromJsonl(existing.body.toString("utf8")) : [], incoming);
    // Opting out of texts also scrubs them from partitions written while opted in.
    if (!keepText) merged = withoutText(merged);
    result.messages += merged.length;
    const body = toJsonl(merged);
    if (existing && sha256(body) === existing.sha256) {
      result.unchanged.push(date);
      continue;
    }
    const publication = new Publication(store, kind, date, runId);
    await publication.put(FILE, body);
    await publication.publish(
      {
        inputs: [...(existing ? [{ uri: existing.uri, sha256: existing.sha256 }] : []), source],
        params: { keepText },
      },
      { messages: merged.length },
      // The merged partition supersedes the old one, and a scrub of texts must not leave them behind.
      { eraseEarlier: true },
    );
    result.written.push(date);
  }
  return result;
}

export interface HistoryRead {
  /** Unix seconds of every stored message before `until`, ascending. */
  timestamps: Float64Array;
  /** The partitions read (lineage). */
  inputs: HistorySource[];
}

/** Every stored message strictly before `until` (unix seconds): partitions after it are never opened. */
export async function readHistoryBefore(
  store: ArtifactStore,
  kind: string,
  until: number,
): Promise<HistoryRead> {
  const lastDate = utcDate(until - 1);
  const inputs: HistorySource[] = [];
  const parts: Float64Array[] = [];
  let total = 0;
  for (const date of await publishedDates(store, kind)) {
    if (date > lastDate) break;
    const file = await readPublished(store, kind, date, FILE);
    if (!file) continue;
    inputs.push({ uri: file.uri, sha256: file.sha256 });
    const records = fromJsonl(file.body.toString("utf8"));
    const times = new Float64Array(records.length);
    let n = 0;
    for (const r of records) if (r.timestamp < until) times[n++] = r.timestamp;
    parts.push(times.subarray(0, n));
    total += n;
  }
  const timestamps = new Float64Array(total);
  let offset = 0;
  for (const p of parts) {
    timestamps.set(p, offset);
    offset += p.length;
  }
  return { timestamps, inputs };
}
