import { Publication } from "../../src/store/publish.js";
import { kinds, withTempDir } from "../../src/tickets/dataset.js";
import { publishLabelled } from "../../src/tickets/labelled.js";
import { preprocessedTickets, taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { assignTopicIds, sealTopicModel, type TopicModel } from "../../src/topics/artifact.js";
import { fitTopics } from "../../src/topics/fit-topics.js";
import { matchTopics } from "../../src/topics/match.js";
import { topicReport } from "../../src/topics/report.js";
import { SELECT_K_RULE } from "../../src/topics/select-k.js";
import { defaultTaxonomy, nameTopic, serializeTaxonomy, type Taxonomy } from "../../src/topics/taxonomy.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { type TfidfFlags, tfidfOptionsFromFlags, withTfidfFlags } from "./tfidf-flags.js";

interface Options extends TfidfFlags {
  k?: number;
  "k-min": number;
  "k-max"?: number;
  seed: number;
  tol: number;
  "max-iter": number;
  "max-features"?: number;
  "assign-threshold": number;
  "match-threshold": number;
}

/**
 * relabel: fit a new topic model (TF-IDF + NMF) on the date's tickets, keep the ids and names of topics
 * that match the previous model's, name new ones from the catalog or their top terms, and label the tickets.
 */
export const relabelTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "relabel",
  describe:
    "Fit a new topic model on the tickets of --date, match it to the previous one, update the taxonomy, label",
  options: (argv) =>
    withTfidfFlags(
      argv
        .option("k", {
          type: "number",
          describe: "Number of topics (default: chosen automatically between --k-min and --k-max)",
        })
        .option("k-min", {
          type: "number",
          default: 8,
          describe: "Smallest k tried when choosing automatically (candidates grow by ×√2)",
        })
        .option("k-max", {
          type: "number",
          describe:
            "Largest k tried when choosing automatically (default: one topic per 80 tickets, at most 256)",
        })
        .option("seed", {
          type: "number",
          default: 40,
          describe: "NMF seed (the seed system used random_state=40)",
        })
        .option("tol", { type: "number", default: 1e-4, describe: "NMF tolerance" })
        .option("max-iter", { type: "number", default: 300, describe: "NMF iteration limit" }),
      5,
    )
      .option("max-features", { type: "number", describe: "Keep only the most frequent terms" })
      .option("assign-threshold", {
        type: "number",
        // Measured on the panel (docs/quality.md): 0.3 dropped 19–30% of the tickets from training and
        // routed the tickets as a whole worse; 0 labels every ticket with text.
        default: 0,
        describe: "Tickets whose top topic holds less of their topic weight are unassigned (0: every ticket)",
      })
      .option("match-threshold", {
        type: "number",
        default: 0.3,
        describe: "Cosine below which a new topic does not inherit a previous one",
      }) as never,
  async run({ date, runId, store, run, log }, options) {
    const data = await preprocessedTickets(store, date);
    const docs = data.tickets.map((t) => t.tokens);
    if (docs.length < 20)
      throw new InputError(`only ${docs.length} tickets for ${date}: too few to fit topics`);
    const tfidfOptions = {
      ...tfidfOptionsFromFlags(options),
      maxFeatures: options["max-features"] ?? null,
    };
    const nmfOptions = { seed: options.seed, tol: options.tol, maxIter: options["max-iter"] };
    const fitted = fitTopics(docs, {
      tfidf: tfidfOptions,
      k: options.k ?? { min: options["k-min"], max: options["k-max"] },
      nmf: nmfOptions,
    });
    const { tfidf, k, selection, nmf } = fitted;
    const kWarning = selection?.atEdge
      ? `k = ${k} is the ${selection.atEdge} k tried: the data's grain may lie beyond the range; ` +
        `widen it (--k-min/--k-max) or give --k`
      : null;
    if (kWarning) log.warn({ k, curve: selection!.curve.map((c) => [c.k, c.score]) }, kWarning);
    log.info(
      { k, iterations: nmf.iterations, converged: nmf.converged, error: nmf.reconstructionError },
      "topics fitted",
    );

    const previous = await topicModelAsOf(store, date, true);
    const matching = previous
      ? matchTopics(
          { vocabulary: tfidf.vocabulary, h: nmf.h, k },
          {
            vocabulary: previous.value.tfidf.vocabulary,
            h: previous.value.components,
            k: previous.value.k,
            ids: previous.value.topicIds,
          },
          { threshold: options["match-threshold"] },
        )
      : null;
    const topicIds = matching?.ids ?? Array.from({ length: k }, (_, t) => t);
    const report = topicReport(nmf.w, nmf.h, k, tfidf.vocabulary, {
      docIds: data.tickets.map((t) => t.id),
      threshold: options["assign-threshold"],
    });

    // Names: a person's taxonomy of this very date wins (a rerun keeps their edits), else the newest before it.
    const named = await taxonomyAsOf(store, date, false);
    const before = await taxonomyAsOf(store, date, true);
    const base = named?.value ?? defaultTaxonomy();
    const known = new Map(base.topics.map((t) => [t.id, t]));
    const taxonomy: Taxonomy = {
      ...base,
      version: (before?.value.version ?? 0) + 1,
      topics: report.topics.map((summary, row) => {
        const id = topicIds[row]!;
        const terms = summary.terms.map((t) => t.term);
        const existing = known.get(id);
        return existing ? { ...existing, topTerms: terms } : nameTopic(id, summary.terms, base.catalog);
      }),
    };
    taxonomy.departments = [...new Set([...base.departments, ...taxonomy.topics.map((t) => t.department)])];

    const topicModel: TopicModel = {
      version: `${date}.${runId}`,
      date,
      createdAt: new Date().toISOString(),
      preprocessing: data.preprocessing,
      tfidf,
      k,
      components: nmf.h,
      topicIds,
      assignThreshold: options["assign-threshold"],
      reconstructionError: nmf.reconstructionError,
      trainingData: { sha256: data.dataSha256, rows: docs.length },
    };
    const changes = {
      matched: matching?.matched.map((m) => ({ id: m.id, similarity: m.similarity })) ?? [],
      new: (matching ? matching.added : topicIds.map((_, row) => row)).map((row) => ({
        id: topicIds[row]!,
        name: taxonomy.topics[row]!.name,
        topTerms: taxonomy.topics[row]!.topTerms,
      })),
      vanished: matching?.vanished ?? [],
    };
    const topicReportJson = {
      date,
      k,
      kSelection: selection
        ? { rule: SELECT_K_RULE, curve: selection.curve, atEdge: selection.atEdge }
        : { rule: "given by --k" },
      reconstructionError: nmf.reconstructionError,
      iterations: nmf.iterations,
      converged: nmf.converged,
      previousModel: previous?.value.version ?? null,
      changes,
      topics: report.topics.map((s, row) => ({
        id: topicIds[row]!,
        name: taxonomy.topics[row]!.name,
        department: taxonomy.topics[row]!.department,
        ...s,
      })),
    };

    const modelPublication = new Publication(store, kinds.topicModel, date, runId);
    const modelObject = await modelPublication.put("topic-model.json", sealTopicModel(topicModel));
    await modelPublication.put("topic-report.json", `${JSON.stringify(topicReportJson, null, 2)}\n`);
    await modelPublication.publish(
      { inputs: data.inputs, params: { ...tfidfOptions, ...nmfOptions, k } },
      { k, reconstructionError: nmf.reconstructionError },
    );
    const taxonomyPublication = new Publication(store, kinds.taxonomy, date, runId);
    await taxonomyPublication.put("taxonomy.yaml", serializeTaxonomy(taxonomy));
    await taxonomyPublication.publish(
      { inputs: [{ uri: `${store.uri}/${modelObject.key}`, sha256: modelObject.sha256 }], params: {} },
      { version: taxonomy.version },
    );

    const assignment = assignTopicIds(nmf.w, k, topicIds, options["assign-threshold"]);
    const labelled = await withTempDir((dir) =>
      publishLabelled({
        store,
        date,
        runId,
        dir,
        tickets: data.tickets,
        assignment,
        taxonomy,
        topicModelVersion: topicModel.version,
        lineage: [...data.inputs, { uri: `${store.uri}/${modelObject.key}`, sha256: modelObject.sha256 }],
      }),
    );
    await run.logParams({
      ...tfidfOptions,
      maxFeatures: tfidfOptions.maxFeatures ?? "all",
      ...nmfOptions,
      k,
      kChosenAutomatically: selection !== null,
      features: tfidf.vocabulary.length,
    });
    await run.logMetrics({
      reconstructionError: nmf.reconstructionError,
      nmfIterations: nmf.iterations,
      unassigned: labelled.unassigned,
      newTopics: changes.new.length,
      vanishedTopics: changes.vanished.length,
    });
    for (const point of selection?.curve ?? [])
      await run.logMetrics({ kStability: point.stability, kCoherence: point.coherence }, point.k);
    await run.logArtifact({
      name: "topic-report.json",
      body: JSON.stringify(topicReportJson, null, 2),
      contentType: "application/json",
    });
    await run.setTags({ "topic_model.version": topicModel.version, "data.sha256": data.dataSha256 });
    return {
      k,
      kCurve: selection?.curve.map((c) => ({ k: c.k, score: c.score })) ?? null,
      ...(kWarning ? { kWarning } : {}),
      topics: labelled.topics,
      unassigned: labelled.unassigned,
      newTopics: changes.new,
      vanishedTopics: changes.vanished,
      topicModel: `${store.uri}/${modelObject.key}`,
    };
  },
};
