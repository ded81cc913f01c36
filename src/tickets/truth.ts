import { normalizedMutualInfo } from "../classify/agreement.js";
import { classificationReport } from "../classify/metrics.js";
import { InputError } from "../util/errors.js";
import { readJsonl } from "../util/jsonl.js";

/** Ground truth kept aside from the pipeline (a generated corpus's truth file, or people's labels). */
export async function readTruth(path: string, field: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>();
  try {
    for await (const row of readJsonl<Record<string, unknown>>(path)) {
      const label = row[field];
      if (typeof row.id === "string" && typeof label === "string" && row.garbage !== true)
        truth.set(row.id, label);
    }
  } catch (error) {
    throw new InputError(`cannot read truth file ${path}: ${(error as Error).message}`);
  }
  if (truth.size === 0) throw new InputError(`truth file ${path} has no rows with "id" and "${field}"`);
  return truth;
}

export interface Scores {
  readonly rows: number;
  readonly accuracy: number;
  /** Averaged over every true group, including groups never predicted. */
  readonly macroF1: number;
}

/** Routing scored against the truth with a topic → group map that never saw the scored rows. */
export interface HeldOutRouting extends Scores {
  /** Rows the topic → group map was learned on. */
  readonly mapRows: number;
  /** True groups the macro-F1 averages over. */
  readonly groups: number;
  /** Topics vs true groups on the scored rows (needs no map). */
  readonly nmi: number;
  /** Always answering the largest group of the map's rows: what any router must beat. */
  readonly majorityBaseline: Scores;
}

/**
 * The protocol that cannot flatter: each topic is mapped to its majority true group on one split
 * (`learn`), and the other split's topics (`score`) are routed through that map and scored against
 * their truth, macro-F1 over all `nGroups` groups. Topics are any integers; −1 (unassigned) and topics
 * the map never saw route nowhere and count as wrong.
 */
export function heldOutRouting(
  learn: { readonly topics: Int32Array; readonly truth: Int32Array },
  score: { readonly topics: Int32Array; readonly truth: Int32Array },
  nGroups: number,
): HeldOutRouting {
  const counts = new Map<number, Int32Array>();
  const groupSizes = new Int32Array(nGroups);
  for (let i = 0; i < learn.topics.length; i++) {
    groupSizes[learn.truth[i]!]!++;
    const topic = learn.topics[i]!;
    if (topic < 0) continue;
    const row = counts.get(topic) ?? new Int32Array(nGroups);
    counts.set(topic, row);
    row[learn.truth[i]!]!++;
  }
  const groupOf = new Map<number, number>();
  for (const [topic, row] of counts) groupOf.set(topic, argmax(row));
  const routed = Int32Array.from(score.topics, (t) => groupOf.get(t) ?? -1);
  const report = classificationReport(score.truth, routed, nGroups);
  const baseline = classificationReport(
    score.truth,
    new Int32Array(score.truth.length).fill(argmax(groupSizes)),
    nGroups,
  );
  return {
    rows: report.rows,
    accuracy: report.accuracy,
    macroF1: macroF1OverAll(report.perClass.f1, nGroups),
    mapRows: learn.topics.length,
    groups: nGroups,
    nmi: normalizedMutualInfo(score.truth, score.topics),
    majorityBaseline: {
      rows: baseline.rows,
      accuracy: baseline.accuracy,
      macroF1: macroF1OverAll(baseline.perClass.f1, nGroups),
    },
  };
}

/** Mean F1 over all groups: a group absent from the scored rows and never predicted counts 0, not skipped. */
function macroF1OverAll(f1: readonly number[], nGroups: number): number {
  let sum = 0;
  for (let g = 0; g < nGroups; g++) sum += f1[g] ?? 0;
  return nGroups > 0 ? sum / nGroups : 0;
}

/** Index of the largest count, lowest on ties. */
function argmax(counts: Int32Array): number {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return best;
}

export interface TruthRouting extends HeldOutRouting {
  /** The taxonomy's names vs the true groups on the scored rows, when they share names (e.g. the CFPB catalog). */
  readonly named: Scores | null;
}

/**
 * evaluate --truth: the topic labels of the training tickets teach the topic → group map, and the
 * classifier's topics for the held-out tickets are routed through it and scored. Tickets without a
 * true group are left out; the groups are all those of the truth over both splits.
 */
export function routingAgainstTruth(
  train: { readonly ids: readonly string[]; readonly topics: ArrayLike<number> },
  heldOut: {
    readonly ids: readonly string[];
    readonly topics: ArrayLike<number>;
    readonly names: readonly string[];
  },
  truth: ReadonlyMap<string, string>,
): TruthRouting | null {
  const groups = [...new Set([...train.ids, ...heldOut.ids].flatMap((id) => truth.get(id) ?? []))].sort();
  const groupIndex = new Map(groups.map((g, k) => [g, k]));
  const side = (ids: readonly string[], topics: ArrayLike<number>) => {
    const rows = ids.flatMap((id, i) => (truth.has(id) ? [i] : []));
    return {
      rows,
      topics: Int32Array.from(rows, (i) => topics[i]!),
      truth: Int32Array.from(rows, (i) => groupIndex.get(truth.get(ids[i]!)!)!),
    };
  };
  const learn = side(train.ids, train.topics);
  const score = side(heldOut.ids, heldOut.topics);
  if (score.rows.length === 0 || learn.rows.length === 0) return null;
  const namedPred = score.rows.map((i) => groupIndex.get(heldOut.names[i]!));
  const namesShared = namedPred.filter((k) => k !== undefined).length >= score.rows.length / 2;
  const named = namesShared
    ? classificationReport(
        score.truth,
        Int32Array.from(namedPred, (k) => k ?? -1),
        groups.length,
      )
    : null;
  return {
    ...heldOutRouting(learn, score, groups.length),
    named: named
      ? {
          rows: named.rows,
          accuracy: named.accuracy,
          macroF1: macroF1OverAll(named.perClass.f1, groups.length),
        }
      : null,
  };
}

/** One plain sentence that says which number is agreement with the topic labels and which is routing against the truth. */
export function evaluationHeadline(
  agreement: { readonly accuracy: number; readonly macro: { readonly f1: number } },
  routing: TruthRouting | null,
  reference: "topic labels" | "people's labels" = "topic labels",
): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const against =
    reference === "topic labels" ? "the topic labels (not a truth)" : "people's held-out labels";
  const labels =
    `agreement with ${against}: accuracy ${pct(agreement.accuracy)}, ` +
    `macro-F1 ${pct(agreement.macro.f1)}`;
  if (!routing) return `${labels}; no --truth given, so routing quality is unknown`;
  return (
    `${labels}; routing against the truth (${routing.rows} held-out tickets, topic → group map learned on ` +
    `${routing.mapRows} others, macro-F1 over all ${routing.groups} groups): accuracy ${pct(routing.accuracy)}, ` +
    `macro-F1 ${pct(routing.macroF1)}; always answering the largest group: accuracy ` +
    `${pct(routing.majorityBaseline.accuracy)}`
  );
}
