import { manifestIdentity } from "../store/model-identity.js";
import { Publication, requireOutput } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { kinds } from "../tickets/dataset.js";
import { type Loaded, preprocessedTickets, taxonomyAsOf, topicModelAsOf } from "../tickets/models.js";
import { sealTopicModel, type TopicModel, type TopicModelFile } from "../topics/artifact.js";
import { serializeTaxonomy, type Taxonomy } from "../topics/taxonomy.js";
import { InputError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { adoptIntoModel, adoptIntoTaxonomy } from "./adopt.js";
import { type LabelRunResult, labelWithNovelty } from "./label-run.js";
import type { LlmSettings } from "./llm-naming.js";
import type { AdoptionPolicy, Decision, NoveltySettings, Proposal } from "./pool.js";
import { proposalsAsOf, publishDecision } from "./store.js";

export interface AdoptionResult {
  adopted: { proposal: string; topicId: number; name: string; department: string }[];
  topicModel: string;
  relabelled: LabelRunResult;
}

/** The proposal `id` as of `date`, which must still be waiting for a decision. */
export async function openProposal(store: ArtifactStore, date: string, id: string): Promise<Proposal> {
  const { proposals } = await proposalsAsOf(store, date);
  const found = proposals.find((p) => p.id === id);
  if (found?.status !== "proposed") {
    const open = proposals.filter((p) => p.status === "proposed").map((p) => p.id);
    throw new InputError(
      found
        ? `proposal ${id} was already ${found.status} on ${found.decision?.date}`
        : `no proposal ${id} as of ${date}; open proposals: ${open.join(", ") || "none"}`,
    );
  }
  return found;
}

/**
 * Adopts proposals on `date`: each becomes a topic with a new id in a new topic model and taxonomy
 * published for the date (every other topic, id and name kept), the decisions are recorded, and the
 * date's tickets are labelled again with the new model (same novelty settings as label).
 */
export async function adoptProposals(args: {
  store: ArtifactStore;
  date: string;
  runId: string;
  proposals: Proposal[];
  by: Decision["by"];
  reason: string;
  policy: AdoptionPolicy | null;
  settings: NoveltySettings;
  refitIncrease: number;
  llm: LlmSettings | null;
  log: Logger;
}): Promise<AdoptionResult> {
  const { store, date, proposals, log } = args;
  const current = await topicModelAsOf(store, date, false);
  const currentTaxonomy = await taxonomyAsOf(store, date, false);
  if (!current || !currentTaxonomy) throw new InputError(`no topic model and taxonomy on or before ${date}`);
  const data = await preprocessedTickets(store, date);
  const df = new Map<string, number>();
  for (const t of data.tickets) for (const term of new Set(t.tokens)) df.set(term, (df.get(term) ?? 0) + 1);
  const runId = `${args.runId}.adopt-${proposals.map((p) => p.id).join("-")}`;
  let model: TopicModelFile = current.value;
  let taxonomy: Taxonomy = currentTaxonomy.value;
  const adopted: AdoptionResult["adopted"] = [];
  for (const proposal of proposals) {
    const next = adoptIntoModel(model, proposal, {
      rows: data.tickets.length,
      documentFrequency: (term) => df.get(term) ?? 0,
    });
    model = next.model;
    taxonomy = adoptIntoTaxonomy(taxonomy, proposal, next.topicId, args.by);
    const entry = taxonomy.topics.at(-1)!;
    adopted.push({
      proposal: proposal.id,
      topicId: next.topicId,
      name: entry.name,
      department: entry.department,
    });
  }
  const modelPublication = new Publication(store, kinds.topicModel, date, runId);
  await modelPublication.put("topic-model.json", sealTopicModel(model));
  const modelManifest = await modelPublication.publish(
    {
      inputs: [{ uri: current.uri, sha256: current.sha256 }],
      params: { adopted: adopted.map((a) => a.proposal) },
    },
    { k: model.k, adopted: adopted.length },
  );
  const modelObject = requireOutput(modelManifest, "topic-model.json");
  const published: TopicModel = { ...model, ...manifestIdentity(modelManifest) };
  const taxonomyPublication = new Publication(store, kinds.taxonomy, date, runId);
  await taxonomyPublication.put("taxonomy.yaml", serializeTaxonomy(taxonomy));
  const modelUri = `${store.uri}/${modelObject.key}`;
  // The published objects, not the staged ones: publishing drops a staged copy identical to them.
  const taxonomyObject = requireOutput(
    await taxonomyPublication.publish(
      { inputs: [{ uri: modelUri, sha256: modelObject.sha256 }], params: {} },
      { version: taxonomy.version },
    ),
    "taxonomy.yaml",
  );
  for (const [i, a] of adopted.entries())
    await publishDecision(
      store,
      {
        proposal: a.proposal,
        decision: "accepted",
        date,
        reason: args.reason,
        by: args.by,
        topicId: a.topicId,
        snapshot: proposals[i]!,
      },
      args.runId,
    );
  log.info(
    { adopted: adopted.map((a) => ({ proposal: a.proposal, topicId: a.topicId })) },
    "proposals adopted",
  );
  const loaded = <T>(value: T, object: { key: string; sha256: string }): Loaded<T> => ({
    value,
    date,
    uri: `${store.uri}/${object.key}`,
    sha256: object.sha256,
  });
  const relabelled = await labelWithNovelty({
    store,
    date,
    runId,
    model: loaded(published, modelObject),
    taxonomy: loaded(taxonomy, taxonomyObject),
    policy: args.policy,
    settings: args.settings,
    refitIncrease: args.refitIncrease,
    llm: args.llm,
    log,
  });
  return { adopted, topicModel: modelUri, relabelled };
}
