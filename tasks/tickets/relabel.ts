import { manifestIdentity } from "../../src/store/model-identity.js";
import { Publication, requireOutput } from "../../src/store/publish.js";
import { assignParts } from "../../src/tickets/assign.js";
import { kinds, withTempDir } from "../../src/tickets/dataset.js";
import { ticketExcerpt, topicLine, unassignedLine } from "../../src/tickets/human-summary.js";
import { publishLabelled } from "../../src/tickets/labelled.js";
import {
  preprocessedPartition,
  preprocessedTickets,
  taxonomyAsOf,
  topicModelAsOf,
} from "../../src/tickets/models.js";
import { readTicketTexts } from "../../src/tickets/raw-text.js";
import { FIT_SAMPLE_TICKETS, partitionTickets, preprocessedSample } from "../../src/tickets/sample.js";
import {
  assignTopicIds,
  sealTopicModel,
  type TopicModel,
  type TopicModelFile,
} from "../../src/topics/artifact.js";
import { fitTopicsSteps, relabelTfidfDefaults, type TopicFitProgress } from "../../src/topics/fit-topics.js";
import { matchTopics } from "../../src/topics/match.js";
import { distinctiveTerms, taxonomyForTopics } from "../../src/topics/naming.js";
import { assignTopics, topicReport } from "../../src/topics/report.js";
import { SELECT_K_RULE } from "../../src/topics/select-k.js";
import { catalogs, defaultTaxonomy, serializeTaxonomy } from "../../src/topics/taxonomy.js";
import { snakeCaseKeys } from "../../src/tracking/metric-names.js";
import { InputError } from "../../src/util/errors.js";
import type { Logger } from "../../src/util/log.js";
import { runStepsInterruptibly } from "../../src/util/steps.js";
import type { TaskDefinition } from "../task.js";
import { relabelFlagsProblem } from "./relabel-flags.js";
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
  catalog?: string;
  sample: number;
  label: boolean;
}

/**
 * relabel: fit a new topic model (TF-IDF + NMF) on the date's tickets, keep the ids and names of topics
 * that match the previous model's, name new ones from their distinctive terms (or an opt-in catalog), label.
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
          describe:
            "Number of topics (default: chosen automatically between --k-min and --k-max, then topics that share their tickets merged)",
        })
        .option("k-min", {
          type: "number",
          default: 8,
          describe: "Smallest k tried when choosing automatically (candidates grow by ×√2)",
        })
        .option("k-max", {
          type: "number",
          describe:
            "Largest k tried when choosing automatically (default: one topic per 40 tickets, at most 256; the search also stops at one topic per 20 tickets of each half of its sample)",
        })
        .option("seed", {
          type: "number",
          default: 40,
          describe:
            "Seed of the NMF initialisation and of the k search's two halves (the seed system used random_state=40)",
        })
        .option("tol", {
          type: "number",
          default: 1e-4,
          describe:
            "The fit stops once its projected-gradient violation falls to this share of the first iteration's (the k search's fits use 1e-3)",
        })
        .option("max-iter", { type: "number", default: 300, describe: "NMF iteration limit of every fit" }),
      relabelTfidfDefaults,
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
      })
      .option("sample", {
        type: "number",
        default: FIT_SAMPLE_TICKETS,
        describe:
          "When the date has more tickets than this, fit the topics on a stratified sample of this many (by raw file, read streaming: only the sample is held in memory) and label every ticket by projecting it on them (0: always fit on every ticket)",
      })
      .option("label", {
        type: "boolean",
        default: true,
        describe:
          "Label the date's tickets here; --no-label only publishes the topic model and taxonomy, for `inflow tickets assign` pods to label the shards",
      })
      .option("catalog", {
        choices: Object.keys(catalogs),
        describe:
          "Domain pack of category names new topics may take when their terms clearly match (default: the taxonomy's, none at first)",
      })
      .check((flags) => relabelFlagsProblem(flags) ?? true),
  async run({ date, runId, store, rawStore, run, log, tell, signal }, options) {
    // Sampled, the fit sees the sample only and every ticket is projected on the topics (assignParts).
    // A date within the sample size is fitted whole, as before sampling existed.
    const total = partitionTickets((await preprocessedPartition(store, date)).manifests);
    const sampled = options.sample > 0 && (total === null || total > options.sample);
    const sample = sampled ? await preprocessedSample(store, date, options.sample) : null;
    const data = sample ?? (await preprocessedTickets(store, date));
    if (sample)
      log.info({ tickets: sample.tickets.length, of: sample.total, strata: sample.strata }, "sample drawn");
    const docs = data.tickets.map((t) => t.tokens);
    if (docs.length < 20)
      throw new InputError(`only ${docs.length} tickets for ${date}: too few to fit topics`);
    const tfidfOptions = {
      ...tfidfOptionsFromFlags(options),
      maxFeatures: options["max-features"] ?? null,
    };
    const nmfOptions = { seed: options.seed, tol: options.tol, maxIter: options["max-iter"] };
    const fitted = await runStepsInterruptibly(
      fitTopicsSteps(docs, {
        tfidf: tfidfOptions,
        k: options.k ?? { min: options["k-min"], max: options["k-max"] },
        nmf: nmfOptions,
        progress: fitProgress(log),
      }),
      signal,
    );
    const { tfidf, k, selection, merge, nmf } = fitted;
    const kWarning = selection?.atEdge
      ? `k = ${selection.k} is the ${selection.atEdge} k tried: the data's grain may lie beyond the range; widen it ` +
        `(--k-min/--k-max; the search stops at one topic per 20 tickets of each half of its sample) or give --k`
      : null;
    if (kWarning) log.warn({ k: selection!.k, curve: selection!.curve.map((c) => [c.k, c.score]) }, kWarning);
    if (merge) log.info({ from: merge.fromK, k }, "over-split topics merged");
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
    // Representatives come back as rows: their text is read back for the report and the terminal.
    const report = topicReport(nmf.w, nmf.h, k, tfidf.vocabulary, {
      threshold: options["assign-threshold"],
      representatives: 3,
    });
    const representatives = report.topics.map((s) =>
      s.representatives.map((row) => data.tickets[row as number]!),
    );
    const texts = await readTicketTexts(rawStore, data.reading, representatives.flat());
    const distinctive = distinctiveTerms(docs, assignTopics(nmf.w, k, options["assign-threshold"]).topic, k);

    // Names: the newest taxonomy on or before this date wins (a person's edits, and the names of
    // matched topics, stay); only new topics are named, from their distinctive terms or the catalog.
    const named = await taxonomyAsOf(store, date, false);
    const before = await taxonomyAsOf(store, date, true);
    const latest = named?.value ?? defaultTaxonomy();
    const base = options.catalog === undefined ? latest : { ...latest, catalog: catalogs[options.catalog]! };
    const taxonomy = taxonomyForTopics(base, topicIds, distinctive, (before?.value.version ?? 0) + 1);

    // The version and time are the manifest's, not the file's: a rerun that fits the same topics
    // stages the same bytes, and publishing keeps the published version instead of adding one.
    const modelPublication = new Publication(store, kinds.topicModel, date, runId);
    const fittedModel: TopicModelFile = {
      date,
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
      fittedOn: sample
        ? {
            tickets: sample.tickets.length,
            of: sample.total,
            strata: sample.strata,
            rule: "stratified by raw file",
          }
        : { tickets: docs.length, of: docs.length },
      kSelection: selection
        ? { rule: SELECT_K_RULE, chosen: selection.k, curve: selection.curve, atEdge: selection.atEdge }
        : { rule: "given by --k" },
      merge: merge && { rule: merge.rule, from: merge.fromK, to: k, curve: merge.curve },
      reconstructionError: nmf.reconstructionError,
      iterations: nmf.iterations,
      converged: nmf.converged,
      previousModel: previous?.value.version ?? null,
      changes,
      unassigned: {
        tickets: report.unassigned,
        share: report.unassigned / docs.length,
        reason: `top topic below --assign-threshold ${options["assign-threshold"]} of the ticket's topic weight, or no topic weight`,
      },
      topics: report.topics.map((s, row) => ({
        id: topicIds[row]!,
        name: taxonomy.topics[row]!.name,
        department: taxonomy.topics[row]!.department,
        origin: taxonomy.topics[row]!.origin,
        ...s,
        distinctiveTerms: distinctive[row]!,
        // Ticket text: in the store's report for the people who label, never in the tracker or logs.
        representatives: representatives[row]!.map((t) => ({ id: t.id, text: texts.get(t) ?? null })),
      })),
    };

    await modelPublication.put("topic-model.json", sealTopicModel(fittedModel));
    await modelPublication.put("topic-report.json", `${JSON.stringify(topicReportJson, null, 2)}\n`);
    const modelManifest = await modelPublication.publish(
      { inputs: data.inputs, params: { ...tfidfOptions, ...nmfOptions, k } },
      { k, reconstructionError: nmf.reconstructionError },
    );
    const topicModel: TopicModel = { ...fittedModel, ...manifestIdentity(modelManifest) };
    const modelObject = requireOutput(modelManifest, "topic-model.json");
    const taxonomyPublication = new Publication(store, kinds.taxonomy, date, runId);
    await taxonomyPublication.put("taxonomy.yaml", serializeTaxonomy(taxonomy));
    await taxonomyPublication.publish(
      { inputs: [{ uri: `${store.uri}/${modelObject.key}`, sha256: modelObject.sha256 }], params: {} },
      { version: taxonomy.version },
    );

    const modelUri = `${store.uri}/${modelObject.key}`;
    const labelled = !options.label
      ? null
      : sample
        ? await assignParts({
            store,
            date,
            runId,
            part: "",
            manifests: data.manifests,
            model: { value: topicModel, date, uri: modelUri, sha256: modelObject.sha256 },
            taxonomy,
            signal,
          })
        : await withTempDir((dir) =>
            publishLabelled({
              store,
              date,
              runId,
              dir,
              tickets: data.tickets,
              assignment: assignTopicIds(nmf.w, k, topicIds, options["assign-threshold"]),
              taxonomy,
              topicModelVersion: topicModel.version,
              lineage: [...data.inputs, { uri: modelUri, sha256: modelObject.sha256 }],
            }),
          );
    await run.logParams({
      ...snakeCaseKeys(tfidfOptions),
      max_features: tfidfOptions.maxFeatures ?? "all",
      ...snakeCaseKeys(nmfOptions),
      k,
      k_chosen_automatically: selection !== null,
      k_before_merge: merge?.fromK ?? k,
      sample: sample ? sample.tickets.length : "all",
      features: tfidf.vocabulary.length,
    });
    await run.logMetrics({
      "nmf/reconstruction_error": nmf.reconstructionError,
      "nmf/iterations": nmf.iterations,
      ...(labelled ? { "label/unassigned": labelled.unassigned } : {}),
      "topics/new": changes.new.length,
      "topics/vanished": changes.vanished.length,
    });
    // The coordinate descent's stopping criterion per iteration: its convergence curve.
    await run.logSeries("nmf/relative_violation", nmf.violations);
    for (const point of selection?.curve ?? [])
      await run.logMetrics(
        { "k_selection/stability": point.stability, "k_selection/coherence": point.coherence },
        point.k,
      );
    await run.logInputs(
      data.inputs.map((input) => ({
        name: `tickets/preprocessed ${input.uri.split("/").slice(-3, -1).join(" ")}`,
        uri: input.uri,
        sha256: input.sha256,
        context: "training" as const,
      })),
    );
    const withoutText = {
      ...topicReportJson,
      topics: topicReportJson.topics.map((t) => ({
        ...t,
        representatives: t.representatives.map((r) => r.id),
      })),
    };
    await run.logArtifact({
      name: "topic-report.json",
      body: JSON.stringify(withoutText, null, 2),
      contentType: "application/json",
    });
    await run.setTags({ "topic_model.version": topicModel.version, "data.sha256": data.dataSha256 });
    if (merge)
      tell(
        `k search chose ${merge.fromK} topics; ${merge.fromK - k} pairs sharing their tickets ` +
          `(overlap ≥ ${merge.threshold}) merged into ${k}, each then the mean of the tickets it labels`,
      );
    if (sample)
      tell(`topics fitted on a stratified sample of ${sample.tickets.length} of ${sample.total} tickets`);
    const tickets = sample?.total ?? docs.length;
    for (const topic of labelled?.topics ?? []) {
      tell(topicLine(topic, tickets));
      for (const ticket of representatives[topicIds.indexOf(topic.id)] ?? [])
        tell(ticketExcerpt(ticket.id, texts.get(ticket) ?? ""), { personal: true });
    }
    if (labelled)
      tell(
        unassignedLine(
          labelled.unassigned,
          tickets,
          options["assign-threshold"],
          "they are labelled unassigned and left out of training",
        ),
      );
    else
      tell(
        `not labelled (--no-label): next, \`inflow tickets assign --date ${date} --shard i --shards n\` for each shard`,
      );
    return {
      k,
      kCurve: selection?.curve.map((c) => ({ k: c.k, score: c.score })) ?? null,
      ...(merge
        ? {
            kMerge: { from: merge.fromK, curve: merge.curve.map((s) => [s.k, Number(s.overlap.toFixed(3))]) },
          }
        : {}),
      ...(kWarning ? { kWarning } : {}),
      fitSeconds: fitted.seconds,
      sample: sample ? { tickets: sample.tickets.length, of: sample.total, strata: sample.strata } : null,
      labelled: labelled !== null,
      topics: labelled?.topics ?? null,
      unassigned: labelled?.unassigned ?? null,
      newTopics: changes.new,
      vanishedTopics: changes.vanished,
      topicModel: `${store.uri}/${modelObject.key}`,
    };
  },
};

/** The fit's stages and each scored k as log lines: a k search on a large date takes minutes. */
function fitProgress(log: Logger): TopicFitProgress {
  const said = {
    "k search": "k search started",
    fit: "fitting the topics",
    merge: "merging over-split topics",
  };
  return {
    stage: (stage, detail) => log.info(detail, said[stage]),
    scored: ({ k, stability }, scored) =>
      log.info({ k, stability: Number(stability.toFixed(3)), scored }, "k scored"),
  };
}
