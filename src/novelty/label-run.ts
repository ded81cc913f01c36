import type { ArtifactStore } from "../store/store.js";
import { withTempDir } from "../tickets/dataset.js";
import { publishLabelled, type TopicSummary } from "../tickets/labelled.js";
import { type Loaded, preprocessedTickets } from "../tickets/models.js";
import { labelDocumentsSteps, type TopicModel } from "../topics/artifact.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import type { Logger } from "../util/log.js";
import { runStepsInterruptibly } from "../util/steps.js";
import { type LlmSettings, nameProposalsWithLlm } from "./llm-naming.js";
import { findNovelSteps } from "./novel.js";
import {
  type AdoptionPolicy,
  adoptable,
  defaultNoveltySettings,
  type NoveltySettings,
  updateNovelty,
} from "./pool.js";
import { decisionsUpTo, noveltyStateAsOf, publishNoveltyState } from "./store.js";

/** What the pipeline should do after labelling, and why (the DAG branches on it). */
export interface NextStep {
  next: "adopt" | "refit" | "none";
  reason: string;
}

export interface LabelRunResult extends NextStep {
  tickets: number;
  unassigned: number;
  topics: TopicSummary[];
  novel: number;
  noveltyShare: number;
  /** The same share on the topic model's own training tickets: the level the model was fitted at. */
  baselineNoveltyShare: number;
  pooled: number;
  proposals: { id: string; name: string; size: number; runs: number }[];
  adoptable: string[];
}

/**
 * One labelling of a date: topics for its tickets with the given model, then the novelty pool and
 * proposals (src/novelty/pool.ts), published before the labelled partition so that a labelled date
 * always has its proposals. Also decides what the pipeline does next: adopt (a proposal meets the
 * automatic policy), refit (the novelty share rose by `refitIncrease` over the model's own), or none.
 */
export async function labelWithNovelty(args: {
  store: ArtifactStore;
  date: string;
  runId: string;
  model: Loaded<TopicModel>;
  taxonomy: Loaded<Taxonomy>;
  policy: AdoptionPolicy | null;
  settings?: NoveltySettings;
  refitIncrease: number;
  /** Name proposals with a language model (src/novelty/llm-naming.ts); null: by their terms. */
  llm: LlmSettings | null;
  log: Logger;
  /** Stops the projection of the tickets on the topics and the novelty search where they are (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
}): Promise<LabelRunResult> {
  const { store, date, runId, model, taxonomy, log } = args;
  const settings = args.settings ?? defaultNoveltySettings;
  const signal = args.signal ?? new AbortController().signal;
  const data = await preprocessedTickets(store, date);
  const labelled = await runStepsInterruptibly(
    labelDocumentsSteps(
      model.value,
      data.tickets.map((t) => t.tokens),
    ),
    signal,
  );
  const training = model.value.date === date ? data : await preprocessedTickets(store, model.value.date);
  const decisions = await decisionsUpTo(store, date);
  // Topics adopted into this model since its fit: their tickets are known, though training lacks them.
  const adoptedTopics = new Set(
    decisions
      .filter((d) => d.decision === "accepted" && d.date >= model.value.date && d.topicId !== undefined)
      .map((d) => d.topicId!)
      .filter((id) => model.value.topicIds.includes(id)),
  );
  const { tested, ...found } = await runStepsInterruptibly(
    findNovelSteps(model.value, adoptedTopics, training.tickets, data.tickets, settings.signal),
    signal,
  );
  const novel = found.novel;
  // The model's own level: its training tickets against themselves would be 0; half of them against the other half.
  const baseline = await runStepsInterruptibly(
    findNovelSteps(
      model.value,
      adoptedTopics,
      training.tickets.filter((_, i) => i % 2 === 0),
      training.tickets.filter((_, i) => i % 2 === 1),
      settings.signal,
    ),
    signal,
  );
  const previous = await noveltyStateAsOf(store, date, true);
  const state = updateNovelty(
    previous,
    decisions,
    { date, ...found, model: model.value, catalog: taxonomy.value.catalog },
    settings,
  );
  if (args.llm) await nameProposalsWithLlm(state, previous, args.llm, log);
  await publishNoveltyState(store, state, runId, {
    inputs: [...data.inputs, { uri: model.uri, sha256: model.sha256 }],
    params: { ...settings },
  });
  // Shares of the tickets tested (all of them below the test's cap, an evenly spaced sample above).
  const noveltyShare = novel.length / Math.max(1, tested);
  const baselineNoveltyShare = baseline.novel.length / Math.max(1, baseline.tested);
  const current = state.proposals.filter((p) => p.status === "proposed" && p.lastSeen === date);
  const result = await withTempDir((dir) =>
    publishLabelled({
      store,
      date,
      runId,
      dir,
      tickets: data.tickets,
      assignment: labelled,
      taxonomy: taxonomy.value,
      topicModelVersion: model.value.version,
      lineage: [
        ...data.inputs,
        { uri: model.uri, sha256: model.sha256 },
        { uri: taxonomy.uri, sha256: taxonomy.sha256 },
      ],
      report: { proposals: current.map(({ component, ...shown }) => shown) },
      stats: { novel: novel.length, noveltyShare, proposals: current.length },
    }),
  );
  const ready = adoptable(state, args.policy).map((p) => p.id);
  const rise = noveltyShare - baselineNoveltyShare;
  const next: NextStep =
    ready.length > 0
      ? { next: "adopt", reason: `proposals ${ready.join(", ")} meet the adoption policy` }
      : rise >= args.refitIncrease
        ? {
            next: "refit",
            reason: `novelty share ${pct(noveltyShare)} is ${pct(rise)} above the model's own ${pct(baselineNoveltyShare)}`,
          }
        : {
            next: "none",
            reason: `novelty share ${pct(noveltyShare)} (model's own ${pct(baselineNoveltyShare)}); no proposal to adopt`,
          };
  log.info(
    { novel: novel.length, pooled: state.tickets.length, proposals: current.length, ...next },
    "novelty",
  );
  return {
    tickets: data.tickets.length,
    unassigned: result.unassigned,
    topics: result.topics,
    novel: novel.length,
    noveltyShare,
    baselineNoveltyShare,
    pooled: state.tickets.length,
    proposals: current.map((p) => ({ id: p.id, name: p.name, size: p.size, runs: p.runs })),
    adoptable: ready,
    ...next,
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
