import { randomBytes } from "node:crypto";
import { Publication, publishedDates, readPartManifests } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { readAll, readOutputs } from "../tickets/dataset.js";

/** Where human labels live: one part per accepted batch, never rewritten (append-only). */
export const humanLabelsKind = "tickets/human-labels";

/**
 * What a person said about one ticket. `topic` is a topic id; "new-topic" means none of the current
 * topics fits: with a name, the console adds that topic to the taxonomy and records the ticket as
 * labelled with it (so it becomes a class); without one it is kept for new-topic proposals. "retract"
 * withdraws the person's earlier label (undo).
 */
export type HumanAnswer =
  | { kind: "topic"; topic: number }
  | { kind: "new-topic"; name?: string }
  | { kind: "retract" };

export interface HumanLabel {
  ticketId: string;
  answer: HumanAnswer;
  reviewer: string;
  /** ISO time the label was given. */
  at: string;
  source: "console" | "import";
}

/**
 * Appends labels as a new part of the `date` partition (the date of the labelled data they were given
 * on) through the manifest-last publish: a crash leaves no half batch, and no earlier label is touched.
 */
export async function appendHumanLabels(
  store: ArtifactStore,
  date: string,
  labels: HumanLabel[],
  lineage: { uri: string; sha256: string }[] = [],
): Promise<void> {
  if (labels.length === 0) return;
  // Time first so parts sort in the order they were written; random so two writers never share a part.
  const part = `${labels[0]!.at.replace(/[^0-9]/g, "")}-${randomBytes(4).toString("hex")}`;
  const publication = new Publication(store, humanLabelsKind, date, `labels-${part}`, part);
  await publication.put("labels.jsonl", `${labels.map((l) => JSON.stringify(l)).join("\n")}\n`);
  await publication.publish(
    { inputs: lineage, params: { source: labels[0]!.source } },
    { labels: labels.length, reviewers: [...new Set(labels.map((l) => l.reviewer))] },
  );
}

/** Every human label of partitions dated on or before `date`, in the order they were given. */
export async function readHumanLabels(store: ArtifactStore, date: string): Promise<HumanLabel[]> {
  const dates = (await publishedDates(store, humanLabelsKind)).filter((d) => d <= date);
  const labels: HumanLabel[] = [];
  for (const day of dates) {
    const manifests = await readPartManifests(store, humanLabelsKind, day);
    labels.push(...(await readAll(readOutputs<HumanLabel>(store, manifests, "labels.jsonl"))));
  }
  return labels.sort((a, b) => a.at.localeCompare(b.at));
}

/** Each ticket's standing answer: the newest label wins, a retraction removes the ticket. */
export function effectiveLabels(labels: readonly HumanLabel[]): Map<string, HumanLabel> {
  const current = new Map<string, HumanLabel>();
  for (const label of labels) {
    if (label.answer.kind === "retract") current.delete(label.ticketId);
    else current.set(label.ticketId, label);
  }
  return current;
}
