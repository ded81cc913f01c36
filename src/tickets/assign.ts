import { type Manifest, outputInputs } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { labelDocumentsSteps, type TopicModel } from "../topics/artifact.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import { runStepsInterruptibly } from "../util/steps.js";
import { type PreprocessedTicket, readAll, readOutputs, withTempDir } from "./dataset.js";
import { publishLabelled } from "./labelled.js";
import type { Loaded } from "./models.js";

/**
 * Labels the tickets of some preprocessed parts with a published topic model (each ticket projected on
 * its topics, as label does) and publishes them as one part of the date's labelled partition: the whole
 * date, or shard i of n when parallel pods share the date (`inflow tickets assign`). A ticket's topic
 * depends only on the ticket and the model, so the parts together equal one labelling of the whole.
 */
export async function assignParts(args: {
  store: ArtifactStore;
  date: string;
  runId: string;
  part: string;
  manifests: Manifest[];
  model: Loaded<TopicModel>;
  taxonomy: Taxonomy;
  /** Stops the projection where it is (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
}) {
  const { store, date, runId, part, manifests, model, taxonomy } = args;
  const tickets = await readAll(readOutputs<PreprocessedTicket>(store, manifests, "tickets.jsonl"));
  const assignment = await runStepsInterruptibly(
    labelDocumentsSteps(
      model.value,
      tickets.map((t) => t.tokens),
    ),
    args.signal,
  );
  const inputs = outputInputs(store.uri, manifests, "tickets.jsonl");
  const labelled = await withTempDir((dir) =>
    publishLabelled({
      store,
      date,
      runId,
      part,
      dir,
      tickets,
      assignment,
      taxonomy,
      topicModelVersion: model.value.version,
      lineage: [...inputs, { uri: model.uri, sha256: model.sha256 }],
    }),
  );
  return { tickets: tickets.length, topics: labelled.topics, unassigned: labelled.unassigned };
}
