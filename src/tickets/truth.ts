import { majorityMapping, normalizedMutualInfo } from "../classify/agreement.js";
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

export interface TruthAgreement {
  rows: number;
  /** Topics vs true groups (how well unsupervised labelling found the real structure). */
  nmi: number;
  /** Each topic mapped to its majority true group: the seed's way of scoring topics. */
  majorityAccuracy: number;
  majorityMacroF1: number;
  /** The taxonomy's category names vs the true groups, when they share names (e.g. the CFPB catalog). */
  namedAccuracy: number | null;
  namedMacroF1: number | null;
}

/** Compares predicted topics (and their taxonomy names) with the truth of the same tickets. */
export function agreementWithTruth(
  ids: readonly string[],
  topics: Int32Array,
  names: readonly string[],
  truth: Map<string, string>,
): TruthAgreement | null {
  const rows: number[] = [];
  ids.forEach((id, i) => {
    if (truth.has(id)) rows.push(i);
  });
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((i) => truth.get(ids[i]!)!))].sort();
  const groupIndex = new Map(groups.map((g, k) => [g, k]));
  const topicList = [...new Set(rows.map((i) => topics[i]!))].sort((a, b) => a - b);
  const topicIndex = new Map(topicList.map((t, k) => [t, k]));
  const yTrue = Int32Array.from(rows, (i) => groupIndex.get(truth.get(ids[i]!)!)!);
  const clusters = Int32Array.from(rows, (i) => topicIndex.get(topics[i]!)!);
  const mapped = majorityMapping(clusters, yTrue, topicList.length, groups.length);
  const majority = classificationReport(yTrue, mapped.predictions, groups.length);
  const namedPred = rows.map((i) => groupIndex.get(names[i]!));
  const namesShared = namedPred.filter((k) => k !== undefined).length >= rows.length / 2;
  const named = namesShared
    ? classificationReport(
        yTrue,
        Int32Array.from(namedPred, (k) => k ?? -1),
        groups.length,
      )
    : null;
  return {
    rows: rows.length,
    nmi: normalizedMutualInfo(yTrue, clusters),
    majorityAccuracy: majority.accuracy,
    majorityMacroF1: majority.macro.f1,
    namedAccuracy: named?.accuracy ?? null,
    namedMacroF1: named?.macro.f1 ?? null,
  };
}
