import { defaultPreprocessOptions } from "../text/preprocess.js";
import type { TopicModel } from "../topics/artifact.js";
import { labelDocuments } from "../topics/artifact.js";
import { relabelTfidfDefaults } from "../topics/fit-topics.js";
import { distinctiveTerms, taxonomyForTopics } from "../topics/naming.js";
import { fitNmf } from "../topics/nmf.js";
import { selectK } from "../topics/select-k.js";
import { defaultTaxonomy, type Taxonomy } from "../topics/taxonomy.js";
import { fitTransformTfidf } from "../topics/tfidf.js";
import { addDays } from "../util/dates.js";
import { Rng } from "../util/random.js";
import { adoptIntoModel, adoptIntoTaxonomy } from "./adopt.js";
import { findNovel } from "./novel.js";
import {
  type AdoptionPolicy,
  adoptable,
  type Decision,
  defaultNoveltySettings,
  type NoveltySettings,
  type NoveltyState,
  updateNovelty,
} from "./pool.js";
import { auroc } from "./roc.js";
import { neighbourhoodNovelty, relativeResiduals } from "./signals.js";

/**
 * A replayed stream: a labelled corpus cut into weekly batches, some classes held back until
 * `arrivalWeek`. Week 1 fits the topic model as `relabel` does; every later week is a `label` run
 * (novelty pool, proposals, adoption under a policy). The truth is used only to score.
 */
export interface ReplayCorpus {
  name: string;
  tokens: string[][];
  /** Every word's lemma per row, when the stream replays novelty on words (src/novelty/novel.ts). */
  words?: string[][];
  truth: Int32Array;
  groups: string[];
}

export interface ReplayPlan {
  weeks: number;
  arrivalWeek: number;
  /** Classes held back (indices into groups). */
  heldOut: number[];
  seed: number;
  policy: AdoptionPolicy | null;
  settings?: NoveltySettings;
}

export interface ProposalScore {
  id: string;
  week: number;
  size: number;
  majority: string;
  purity: number;
  /** Its majority class is a held-back class that had arrived. */
  correct: boolean;
}

export interface ReplayResult {
  corpus: string;
  heldOut: string[];
  k: number;
  /** Per held-back class: runs from its arrival until first proposed (1 = the arrival week), or null. */
  runsUntilProposed: Record<string, number | null>;
  /** Purity of the first proposal of each held-back class that was proposed. */
  purity: Record<string, number>;
  /** False proposals (majority not a newly arrived class) per week before the arrival. */
  falseProposalsQuietWeeks: number[];
  /** False proposals in weeks from the arrival on. */
  falseProposalsAfterArrival: number[];
  noveltyShare: number[];
  /**
   * Which per-ticket signal tells the arriving classes' tickets from the known ones in the arrival
   * week (AUROC, before any adoption): the neighbourhood z used (src/novelty/signals.ts), and for
   * comparison the relative residual under the topic model and 1 − assignment confidence.
   */
  signalAuroc: { neighbourhood: number; residual: number; lowConfidence: number };
  /** Shares of the arrival week's tickets found novel: of the new classes, of the known ones. */
  novelShare: { arriving: number; known: number };
  adopted: { week: number; id: string; topicId: number; majority: string }[];
  /** Ids and names of the week-1 topics were never changed by adoption. */
  existingTopicsUnchanged: boolean;
  proposals: ProposalScore[];
}

/** The weekly batches: rows of the held-back classes only from the arrival week on. */
export function weeklyBatches(corpus: ReplayCorpus, plan: ReplayPlan): number[][] {
  const rng = new Rng(plan.seed);
  const held = new Set(plan.heldOut);
  const rows = rng.shuffle(Array.from({ length: corpus.truth.length }, (_, i) => i));
  const batches: number[][] = Array.from({ length: plan.weeks }, () => []);
  let known = 0;
  let late = 0;
  const lateWeeks = plan.weeks - plan.arrivalWeek + 1;
  for (const row of rows) {
    if (held.has(corpus.truth[row]!)) batches[plan.arrivalWeek - 1 + (late++ % lateWeeks)]!.push(row);
    else batches[known++ % plan.weeks]!.push(row);
  }
  return batches.map((b) => b.sort((x, y) => x - y));
}

/**
 * A week's topic model, fitted as relabel fits one but smaller: relabel's TF-IDF defaults (unigrams and
 * bigrams; the pool then clusters with them too), automatic k over 8..24 (a week is a few thousand
 * queries), no merge.
 */
export function fitReplayModel(docs: string[][], date: string): TopicModel {
  const { model: tfidf, matrix: x } = fitTransformTfidf(docs, relabelTfidfDefaults);
  const nmfOptions = { seed: 40, tol: 1e-4, maxIter: 300 };
  const { k } = selectK(x, { candidates: [8, 12, 16, 20, 24], nmf: nmfOptions, seed: 40 });
  const nmf = fitNmf(x, { k, ...nmfOptions });
  return {
    version: `${date}.replay`,
    date,
    createdAt: `${date}T00:00:00.000Z`,
    preprocessing: defaultPreprocessOptions,
    tfidf,
    k,
    components: nmf.h,
    topicIds: Array.from({ length: k }, (_, t) => t),
    assignThreshold: 0.3,
    reconstructionError: nmf.reconstructionError,
    trainingData: { sha256: "replay", rows: docs.length },
  };
}

export function replayStream(corpus: ReplayCorpus, plan: ReplayPlan, start = "2026-01-05"): ReplayResult {
  const settings = plan.settings ?? defaultNoveltySettings;
  const batches = weeklyBatches(corpus, plan);
  const held = new Set(plan.heldOut);
  let model = fitReplayModel(
    batches[0]!.map((r) => corpus.tokens[r]!),
    start,
  );
  // Named as relabel names a first fit: distinctive terms of each topic's tickets.
  const firstWeek = batches[0]!.map((r) => corpus.tokens[r]!);
  let taxonomy: Taxonomy = taxonomyForTopics(
    defaultTaxonomy(),
    model.topicIds,
    distinctiveTerms(firstWeek, labelDocuments(model, firstWeek).topic, model.k),
    1,
  );
  const original = taxonomy.topics.map((t) => `${t.id}:${t.name}:${t.department}`);
  let state: NoveltyState | null = null;
  let decisions: Decision[] = [];
  const adoptedTopics = new Set<number>();
  const tickets = (rows: number[]) =>
    rows.map((r) => ({ id: `r${r}`, tokens: corpus.tokens[r]!, words: corpus.words?.[r] }));
  const training = tickets(batches[0]!);
  const result: ReplayResult = {
    corpus: corpus.name,
    heldOut: plan.heldOut.map((g) => corpus.groups[g]!),
    k: model.k,
    runsUntilProposed: Object.fromEntries(plan.heldOut.map((g) => [corpus.groups[g]!, null])),
    purity: {},
    falseProposalsQuietWeeks: [],
    falseProposalsAfterArrival: [],
    noveltyShare: [],
    signalAuroc: { neighbourhood: Number.NaN, residual: Number.NaN, lowConfidence: Number.NaN },
    novelShare: { arriving: Number.NaN, known: Number.NaN },
    adopted: [],
    existingTopicsUnchanged: true,
    proposals: [],
  };
  for (let week = 2; week <= plan.weeks; week++) {
    const date = addDays(start, 7 * (week - 1));
    const rows = batches[week - 1]!;
    const docs = rows.map((r) => corpus.tokens[r]!);
    const found = findNovel(model, adoptedTopics, training, tickets(rows), settings.signal);
    if (week === plan.arrivalWeek)
      measureSignals(model, training, rows, corpus, held, settings, found, result);
    result.noveltyShare.push(found.novel.length / Math.max(1, rows.length));
    state = updateNovelty(state, decisions, { date, ...found, model, catalog: taxonomy.catalog }, settings);
    decisions = [];
    let falseCount = 0;
    for (const proposal of state.proposals.filter((p) => p.status === "proposed" && p.lastSeen === date)) {
      const counts = new Map<number, number>();
      for (const t of state.tickets) {
        if (t.proposal !== proposal.id) continue;
        const g = corpus.truth[Number(t.id.slice(1))]!;
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
      const [majority, count] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
      const purity = count / proposal.size;
      const correct = held.has(majority) && week >= plan.arrivalWeek;
      result.proposals.push({
        id: proposal.id,
        week,
        size: proposal.size,
        majority: corpus.groups[majority]!,
        purity,
        correct,
      });
      const name = corpus.groups[majority]!;
      if (correct && result.runsUntilProposed[name] === null) {
        result.runsUntilProposed[name] = week - plan.arrivalWeek + 1;
        result.purity[name] = purity;
      }
      if (!correct) falseCount++;
    }
    (week < plan.arrivalWeek ? result.falseProposalsQuietWeeks : result.falseProposalsAfterArrival).push(
      falseCount,
    );
    for (const proposal of adoptable(state, plan.policy)) {
      const df = new Map<string, number>();
      for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
      const adopted = adoptIntoModel(model, proposal, {
        rows: docs.length,
        documentFrequency: (term) => df.get(term) ?? 0,
      });
      model = {
        ...adopted.model,
        version: `${date}.adopt-${proposal.id}`,
        createdAt: `${date}T00:00:00.000Z`,
      };
      adoptedTopics.add(adopted.topicId);
      taxonomy = adoptIntoTaxonomy(taxonomy, proposal, adopted.topicId, "policy");
      decisions.push({
        proposal: proposal.id,
        decision: "accepted",
        date,
        reason: "policy",
        by: "policy",
        topicId: adopted.topicId,
        snapshot: proposal,
      });
      const score = result.proposals.findLast((p) => p.id === proposal.id)!;
      result.adopted.push({ week, id: proposal.id, topicId: adopted.topicId, majority: score.majority });
    }
    const now = taxonomy.topics.slice(0, original.length).map((t) => `${t.id}:${t.name}:${t.department}`);
    if (now.join("\n") !== original.join("\n")) result.existingTopicsUnchanged = false;
  }
  return result;
}

function measureSignals(
  model: TopicModel,
  training: { id: string; tokens: string[]; words?: string[] }[],
  rows: number[],
  corpus: ReplayCorpus,
  held: Set<number>,
  settings: NoveltySettings,
  found: { novel: { id: string }[] },
  result: ReplayResult,
): void {
  const docs = rows.map((r) => corpus.tokens[r]!);
  const labelled = labelDocuments(model, docs);
  const residual = relativeResiduals(labelled.x, labelled.w, model.components, model.k);
  // The terms findNovel tests (src/novelty/novel.ts): words when the stream has them.
  const { z } = neighbourhoodNovelty(
    training.map((t) => t.words ?? t.tokens),
    rows.map((r) => corpus.words?.[r] ?? corpus.tokens[r]!),
    settings.signal,
  );
  const arriving = rows.map((r) => held.has(corpus.truth[r]!));
  const pick = (values: ArrayLike<number>, want: boolean) =>
    Array.from(values).filter((_, i) => arriving[i] === want);
  const score = (values: ArrayLike<number>) => auroc(pick(values, true), pick(values, false));
  result.signalAuroc = {
    neighbourhood: score(z),
    residual: score(residual),
    lowConfidence: score(Float64Array.from(labelled.confidence, (c) => 1 - c)),
  };
  const novel = new Set(found.novel.map((t) => Number(t.id.slice(1))));
  const share = (want: boolean) => {
    const group = rows.filter((_, i) => arriving[i] === want);
    return group.filter((r) => novel.has(r)).length / Math.max(1, group.length);
  };
  result.novelShare = { arriving: share(true), known: share(false) };
}
