/**
 * Evaluation of the challenger trained for a date: scored on its held-out tickets against the topic
 * labels (with bootstrap intervals; people's held-out labels once the router's classes are people's), against a truth file kept aside when one is given (the topic →
 * group map learned on the training tickets only), and against the champion as of the date (McNemar
 * and a paired bootstrap of macro-F1). The evaluation and the promotion decision are published; a
 * promoted challenger moves the champion pointer; the registry's champion alias then mirrors the pointer.
 */
import { renderConfusionMatrix } from "../charts/index.js";
import { predictTopicsBatch } from "../classify/batch-predict.js";
import { bootstrapIntervals } from "../classify/bootstrap.js";
import { classificationReport } from "../classify/metrics.js";
import { openRoutingModel, type RoutingModel, sealRoutingModel } from "../classify/model.js";
import { decideFirstPromotion, decidePromotion } from "../classify/promotion.js";
import { routerInputOf } from "../classify/router-input.js";
import { effectiveLabels, readHumanLabels } from "../review/human-labels.js";
import { manifestIdentity } from "../store/model-identity.js";
import { findOutput, Publication, readManifest, readVerified, requireOutput } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { effectiveTopic, type Taxonomy, topicById } from "../topics/taxonomy.js";
import { heldOutMetrics } from "../tracking/metric-names.js";
import type { ModelRegistry } from "../tracking/registry.js";
import {
  mirrorChampionPointer,
  registeredVersionOf,
  registerInModelRegistry,
} from "../tracking/routing-registry.js";
import type { TrackerRun } from "../tracking/tracker.js";
import { InputError } from "../util/errors.js";
import { describeChanges, routingChanges, withTaxonomy } from "./carry-taxonomy.js";
import { championAsOf, movePointer, type PromotionRecord } from "./champion.js";
import { kinds, type LabelledTicket } from "./dataset.js";
import { labelledInputs, labelledTickets } from "./models.js";
import { preprocessedTexts } from "./raw-text.js";
import { evaluationHeadline, readTruth, routingAgainstTruth } from "./truth.js";

export interface EvaluateOptions {
  /** Significance level of the champion comparison. */
  alpha: number;
  /** Non-inferiority margin: the largest macro-F1 loss against the champion tolerated (src/classify/promotion.ts). */
  margin: number;
  /** Fewest held-out tickets on which the champion may be replaced (src/classify/promotion.ts). */
  minTestTickets: number;
  /** Bootstrap resamples (intervals and paired test). */
  resamples: number;
  /** Seed of the bootstrap. */
  seed: number;
  /** A JSONL file of true groups `{id, <field>}` kept aside, to measure routing against truth. */
  truth: { path: string; field: string } | null;
}

export interface EvaluateContext {
  store: ArtifactStore;
  /** Where the tickets' text is read back from, for a router that reads their words. */
  rawStore: ArtifactStore;
  date: string;
  runId: string;
  run: TrackerRun;
  registry: ModelRegistry | null;
}

export async function evaluateChallenger(context: EvaluateContext, options: EvaluateOptions) {
  const { store, date, runId, run, registry } = context;
  const classifier = await readManifest(store, kinds.classifier, date);
  const labelled = await labelledTickets(store, date);
  if (!classifier || !labelled)
    throw new InputError(`no trained model or labelled tickets for ${date}: run train first`);
  const modelOutput = requireOutput(classifier, "model.json");
  const modelUri = `${store.uri}/${modelOutput.key}`;
  const challenger = openRoutingModel(
    (await readVerified(store, modelOutput)).toString("utf8"),
    modelUri,
    manifestIdentity(classifier),
  );
  const testIdsOutput = requireOutput(classifier, "test-ids.json");
  const testIdList: string[] = JSON.parse((await readVerified(store, testIdsOutput)).toString("utf8"));
  const testIds = new Set(testIdList);
  // A router refitted on its held-out people's labels (train-router.ts) is scored through the topics
  // train's router predicted before the refit: never on a label the scored router trained on.
  const heldOutTopicsOutput = findOutput(classifier, "held-out-topics.json");
  const heldOutTopics = heldOutTopicsOutput
    ? heldOutTopicsOf(
        testIdList,
        JSON.parse((await readVerified(store, heldOutTopicsOutput)).toString("utf8")),
      )
    : null;
  const all = labelled.tickets;
  const reference = await referenceLabels(
    store,
    date,
    all.filter((t) => testIds.has(t.id)),
    classifier.stats.peopleClasses === true,
    challenger.taxonomy,
  );
  const test = reference.tickets;
  const champion = await championAsOf(store, date);
  // A router that reads the tickets' words (router-input.ts) is scored on them: the raw text is read back.
  const readsWords = [challenger, champion?.model].some((m) => m && routerInputOf(m) !== "terms");
  const texts = readsWords ? await preprocessedTexts(store, context.rawStore, date) : null;
  const predicted = heldOutTopics
    ? { topics: Int32Array.from(test, (t) => heldOutTopics.get(t.id)!) }
    : predictTopicsBatch(challenger, test, texts);
  // The champion's topics read through the challenger's taxonomy, like the reference (a merged topic is its target).
  const championTopics = champion
    ? Array.from(
        predictTopicsBatch(champion.model, test, texts).topics,
        (t) => effectiveTopic(challenger.taxonomy, t) ?? -1,
      )
    : null;

  // One class space for labels and both models' predictions (topic ids persist across refits).
  const ids = [...new Set([...reference.topics, ...predicted.topics, ...(championTopics ?? [])])].sort(
    (a, b) => a - b,
  );
  const index = new Map(ids.map((id, k) => [id, k]));
  const toIndex = (topics: ArrayLike<number>) => Int32Array.from(topics, (t) => index.get(t)!);
  const yTrue = toIndex(reference.topics);
  const yPred = toIndex(predicted.topics);
  const report = classificationReport(yTrue, yPred, ids.length);
  const intervals = bootstrapIntervals(yTrue, yPred, ids.length, {
    resamples: options.resamples,
    seed: options.seed,
  });
  const decision = championTopics
    ? decidePromotion({
        yTrue,
        championPred: toIndex(championTopics),
        challengerPred: yPred,
        nClasses: ids.length,
        alpha: options.alpha,
        margin: options.margin,
        minTickets: options.minTestTickets,
        resamples: options.resamples,
        seed: options.seed,
      })
    : null;
  const decided = decision ?? decideFirstPromotion(yTrue, yPred, ids.length);
  const promote = decided.promote;
  const reason = reference.people ? `on held-out people's labels: ${decided.reason}` : decided.reason;

  const taxonomy = topicById(challenger.taxonomy);
  const names = ids.map((id) => `${id}: ${taxonomy.get(id)?.name ?? "unnamed"}`);
  const truth = options.truth ? await readTruth(options.truth.path, options.truth.field) : null;
  // The topic → group map is learned on the tickets the classifier trained on, never on the scored ones.
  const trainTickets = all.filter((t) => t.topic >= 0 && !testIds.has(t.id));
  const routing = truth
    ? routingAgainstTruth(
        { ids: trainTickets.map((t) => t.id), topics: trainTickets.map((t) => t.topic) },
        {
          ids: test.map((t) => t.id),
          topics: predicted.topics,
          names: Array.from(predicted.topics, (t) => taxonomy.get(t)?.name ?? ""),
        },
        truth,
      )
    : null;
  const headline = evaluationHeadline(report, routing, reference.people ? "people's labels" : "topic labels");
  const championRef = champion
    ? { version: champion.model.version, uri: champion.record.challenger.uri }
    : null;

  const evaluation = {
    date,
    model: { version: challenger.version, uri: modelUri },
    testRows: test.length,
    headline,
    reference: reference.people ? "people's labels" : "topic labels",
    // The seed's metric: agreement of the classifier with the topic model's own labels, not with any
    // truth; once the router's classes are people's, its score against their held-out labels.
    [reference.people ? "agreementWithPeopleLabels" : "agreementWithTopicLabels"]: {
      ...report,
      intervals,
      classNames: names,
    },
    routingVsTruth: routing,
    champion: championRef,
    comparison: decision,
    promote,
    reason,
  };
  const png = renderConfusionMatrix({
    labels: names,
    matrix: report.confusion,
    title: `Classifier vs ${reference.people ? "people's" : "topic"} labels, ${date}`,
    normalize: true,
  });
  const modelInput = { uri: modelUri, sha256: modelOutput.sha256 };
  const evaluationPublication = new Publication(store, kinds.evaluation, date, runId);
  await evaluationPublication.put("evaluation.json", `${JSON.stringify(evaluation, null, 2)}\n`);
  const pngObject = await evaluationPublication.put("confusion-matrix.png", png);
  await evaluationPublication.publish(
    {
      inputs: [modelInput],
      params: {
        alpha: options.alpha,
        margin: options.margin,
        minTestTickets: options.minTestTickets,
        resamples: options.resamples,
        seed: options.seed,
      },
    },
    { promote },
  );

  const record: PromotionRecord = {
    date,
    promote,
    reason,
    challenger: {
      version: challenger.version,
      uri: modelUri,
      key: modelOutput.key,
      sha256: modelOutput.sha256,
    },
    champion: championRef,
  };
  // Kept champion, edited taxonomy: the champion's weights answer through it from now on (carry-taxonomy.ts).
  const changes = !promote && champion ? routingChanges(champion.model, challenger.taxonomy) : null;
  const carried =
    champion && changes
      ? await publishCarried(
          { store, date, runId, run, registry },
          champion,
          challenger.taxonomy,
          `${reason}; the champion's weights kept, answering through taxonomy v${challenger.taxonomy.version}: ${describeChanges(changes)}`,
        )
      : null;
  const promotion = new Publication(store, kinds.promotion, date, runId);
  await promotion.put("decision.json", `${JSON.stringify(carried ?? record, null, 2)}\n`);
  await promotion.publish(
    {
      inputs: [
        modelInput,
        ...(carried ? [{ uri: carried.challenger.uri, sha256: carried.challenger.sha256 }] : []),
      ],
      params: {},
    },
    { promote, taxonomyCarried: carried !== null },
  );
  const pointerMoved = promote || carried ? await movePointer(store, carried ?? record) : false;

  // The train run that produced the challenger, found through the model registry (MLflow).
  const registered = await registeredVersionOf(registry, challenger.version);
  await run.logParams({
    alpha: options.alpha,
    margin: options.margin,
    min_test_tickets: options.minTestTickets,
    resamples: options.resamples,
    seed: options.seed,
    challenger_version: challenger.version,
    champion_version: championRef?.version ?? "none",
    truth: options.truth ? options.truth.field : "none",
    reference: reference.people ? "people" : "topics",
    ...(registered ? { train_run_id: registered.runId, registered_version: registered.version } : {}),
  });
  await run.logMetrics({
    ...heldOutMetrics(report),
    "test/accuracy_low": intervals.accuracy[0],
    "test/accuracy_high": intervals.accuracy[1],
    "test/macro_f1_low": intervals.macroF1[0],
    "test/macro_f1_high": intervals.macroF1[1],
    "test/rows": test.length,
    ...(decision
      ? {
          "champion/mcnemar_p_value": decision.mcnemar.pValue,
          "champion/macro_f1_diff": decision.pairedBootstrap.diff,
          "champion/macro_f1_diff_p_value": decision.pairedBootstrap.pValue,
        }
      : {}),
    ...(routing
      ? {
          "truth/nmi": routing.nmi,
          "truth/routing_accuracy": routing.accuracy,
          "truth/routing_macro_f1": routing.macroF1,
          "truth/largest_group_accuracy": routing.majorityBaseline.accuracy,
        }
      : {}),
    promoted: promote ? 1 : 0,
  });
  await run.logInputs([
    ...labelledInputs(date, labelled.inputs, "evaluation", test.length),
    { name: `router ${challenger.version}`, uri: modelUri, sha256: modelOutput.sha256, context: "input" },
  ]);
  await run.setTags({
    "model.version": challenger.version,
    decision: promote ? "promoted" : "rejected",
    ...(registered ? { "inflow.train_run_id": registered.runId } : {}),
  });
  await run.logArtifact({
    name: "confusion-matrix.png",
    body: png,
    contentType: "image/png",
    storeUri: `${store.uri}/${pngObject.key}`,
  });
  const registryChampion = await mirrorChampionPointer(registry, store);
  return {
    model: challenger.version,
    headline,
    // Agreement with the topic labels (the classifier vs the labels it learned from), not routing
    // quality; or, when `peopleLabels`, the score against people's held-out labels.
    peopleLabels: reference.people,
    accuracy: report.accuracy,
    macroF1: report.macro.f1,
    macroF1Interval: intervals.macroF1,
    routingVsTruth: routing,
    champion: championRef?.version ?? null,
    promote,
    reason,
    // The champion renamed or rerouted by people's taxonomy edits: what now answers, and what changed.
    taxonomyCarried: carried && changes ? { version: carried.challenger.version, changes } : null,
    championPointerMoved: pointerMoved,
    registryChampion,
  };
}

/**
 * Publishes the champion answering through `taxonomy` (registered like a trained model when a registry
 * is configured) and returns the promotion record that makes it the champion.
 */
async function publishCarried(
  context: Pick<EvaluateContext, "store" | "date" | "runId" | "run" | "registry">,
  champion: { record: PromotionRecord; model: RoutingModel },
  taxonomy: Taxonomy,
  reason: string,
): Promise<PromotionRecord> {
  const { store, date, runId, run, registry } = context;
  const model = withTaxonomy(champion.model, taxonomy);
  const publication = new Publication(store, kinds.championTaxonomy, date, runId);
  await publication.put("model.json", sealRoutingModel(model));
  // A rerun publishes nothing new (same bytes): the record names the version already published.
  const manifest = await publication.publish(
    {
      inputs: [{ uri: champion.record.challenger.uri, sha256: champion.record.challenger.sha256 }],
      params: { taxonomyVersion: taxonomy.version },
    },
    { version: model.version },
  );
  const object = requireOutput(manifest, "model.json");
  if (!(await registeredVersionOf(registry, model.version)))
    await registerInModelRegistry(registry, run, store, object, {
      version: model.version,
      params: { carried_from: champion.model.version, taxonomy_version: taxonomy.version },
    });
  return {
    date,
    promote: true,
    reason,
    challenger: {
      version: model.version,
      uri: `${store.uri}/${object.key}`,
      key: object.key,
      sha256: object.sha256,
    },
    champion: { version: champion.model.version, uri: champion.record.challenger.uri },
  };
}

/** Train's pre-refit topic of each held-out ticket, by id; an error when the two lists disagree. */
function heldOutTopicsOf(testIds: readonly string[], topics: unknown): Map<string, number> {
  if (!Array.isArray(topics) || topics.length !== testIds.length || !topics.every(Number.isInteger))
    throw new InputError(
      `held-out-topics.json does not hold one topic per held-out ticket (${testIds.length})`,
    );
  return new Map(testIds.map((id, k) => [id, topics[k] as number]));
}

/**
 * What the challenger is scored on: its held-out tickets' topic-model labels, or, when its classes are
 * people's (train's `peopleClasses`), people's labels on its held-out tickets (held out by train, or
 * given since; never a row it trained on), read through its taxonomy. The champion is scored on the
 * same rows.
 */
async function referenceLabels(
  store: ArtifactStore,
  date: string,
  heldOut: LabelledTicket[],
  peopleClasses: boolean,
  taxonomy: Taxonomy,
): Promise<{ people: boolean; tickets: LabelledTicket[]; topics: number[] }> {
  if (!peopleClasses) return { people: false, tickets: heldOut, topics: heldOut.map((t) => t.topic) };
  const labels = effectiveLabels(await readHumanLabels(store, date));
  const tickets: LabelledTicket[] = [];
  const topics: number[] = [];
  for (const ticket of heldOut) {
    const answer = labels.get(ticket.id)?.answer;
    const topic = answer?.kind === "topic" ? effectiveTopic(taxonomy, answer.topic) : null;
    if (topic === null) continue;
    tickets.push(ticket);
    topics.push(topic);
  }
  if (tickets.length === 0)
    throw new InputError(
      `the router of ${date} learned people's classes, but none of its held-out tickets has a person's label to score it on`,
    );
  return { people: true, tickets, topics };
}
