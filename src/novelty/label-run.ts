import type { ArtifactStore } from "../store/store.js";
import { withTempDir } from "../tickets/dataset.js";
import { publishLabelled, type TopicSummary } from "../tickets/labelled.js";
import { type Loaded, preprocessedTickets } from "../tickets/models.js";
import { labelDocuments, type TopicModel } from "../topics/artifact.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import type { Logger } from "../util/log.js";
import { type LlmSettings, nameProposalsWithLlm } from "./llm-naming.js";
import {
  type AdoptionPolicy,
  adoptable,
  defaultNoveltySettings,
  type NoveltySettings,
  updateNovelty,
} from "./pool.js";
import { novelRows } from "./signals.js";
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

/** At most this many training tickets stand for the model's own leftovers (every n-th, deterministic). */
const maxReference = 5000;

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
}): Promise<LabelRunResult> {
  const { store, date, runId, model, taxonomy, log } = args;
  const settings = args.settings ?? defaultNoveltySettings;
  const data = await preprocessedTickets(store, date);
  const labelled = labelDocuments(
    model.value,
    data.tickets.map((t) => t.tokens),
  );
  const novel = novelTickets(model.value, data.tickets, labelled, settings.residualThreshold);
  // The model's own date is the date itself after a relabel: its tickets are already projected.
  const sameDate = model.value.date === date;
  const training = sameDate ? data : await preprocessedTickets(store, model.value.date);
  const trainingNovel = sameDate
    ? novel
    : novelTickets(
        model.value,
        training.tickets,
        labelDocuments(
          model.value,
          training.tickets.map((t) => t.tokens),
        ),
        settings.residualThreshold,
      );
  const every = Math.ceil(trainingNovel.length / maxReference);
  const reference = trainingNovel.filter((_, i) => i % every === 0);
  const previous = await noveltyStateAsOf(store, date, true);
  const state = updateNovelty(
    previous,
    await decisionsUpTo(store, date),
    {
      date,
      novel,
      reference,
      referenceRuns:
        (reference.length / Math.max(1, trainingNovel.length)) *
        (training.tickets.length / Math.max(1, data.tickets.length)),
      model: model.value,
      catalog: taxonomy.value.catalog,
    },
    settings,
  );
  if (args.llm) await nameProposalsWithLlm(state, previous, args.llm, log);
  await publishNoveltyState(store, state, runId, {
    inputs: [...data.inputs, { uri: model.uri, sha256: model.sha256 }],
    params: { ...settings },
  });
  const noveltyShare = novel.length / Math.max(1, data.tickets.length);
  const baselineNoveltyShare = trainingNovel.length / Math.max(1, training.tickets.length);
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

function novelTickets(
  model: TopicModel,
  tickets: readonly { id: string; tokens: string[] }[],
  labelled: ReturnType<typeof labelDocuments>,
  threshold: number,
): { id: string; tokens: string[] }[] {
  return novelRows(model, labelled, threshold).map((i) => ({
    id: tickets[i]!.id,
    tokens: tickets[i]!.tokens,
  }));
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
