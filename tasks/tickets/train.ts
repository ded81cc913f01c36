import { fitLogistic, logisticModel, predictClasses } from "../../src/classify/logistic.js";
import { classificationReport } from "../../src/classify/metrics.js";
import { type RoutingModel, sealRoutingModel } from "../../src/classify/model.js";
import { stratifiedSplit } from "../../src/classify/split.js";
import { effectiveLabels, readHumanLabels } from "../../src/review/human-labels.js";
import { propagateHumanLabels, withHumanLabels } from "../../src/review/training-labels.js";
import { Publication } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { unassignedLine } from "../../src/tickets/human-summary.js";
import { labelledInputs, labelledTickets, taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { selectRows } from "../../src/topics/csr.js";
import { fitTransformTfidf, transformTfidf } from "../../src/topics/tfidf.js";
import { heldOutMetrics, snakeCaseKeys } from "../../src/tracking/metric-names.js";
import { registerInModelRegistry } from "../../src/tracking/routing-registry.js";
import { InputError } from "../../src/util/errors.js";
import { sha256 } from "../../src/util/hash.js";
import type { TaskDefinition } from "../task.js";
import { type TfidfFlags, tfidfOptionsFromFlags, withTfidfFlags } from "./tfidf-flags.js";

interface Options extends TfidfFlags {
  c: number;
  "human-c": number;
  "class-weight": "balanced" | "none";
  "max-iter": number;
  "test-share": number;
  seed: number;
  "human-weight": number;
  "propagate-threshold": number;
  "propagate-rounds": number;
}

/** train: TF-IDF + multinomial logistic regression on the date's labelled tickets, with a stratified held-out split. */
export const trainTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "train",
  describe: "Train the routing classifier (TF-IDF + logistic regression) on the labelled tickets of --date",
  options: (argv) =>
    withTfidfFlags(
      argv
        .option("c", {
          type: "number",
          default: 1,
          describe: "Inverse L2 regularization strength (scikit-learn's C)",
        })
        .option("human-c", {
          type: "number",
          default: 10,
          describe:
            "C when every training label is people's (given or spread by self-training): a few labels per class need a weaker penalty than thousands of topic labels",
        })
        .option("class-weight", {
          choices: ["balanced", "none"] as const,
          default: "balanced" as const,
          describe: "Class weights",
        })
        .option("max-iter", { type: "number", default: 200, describe: "L-BFGS iteration limit" })
        .option("test-share", {
          type: "number",
          default: 0.2,
          describe: "Share of tickets held out for evaluation (stratified)",
        })
        .option("seed", { type: "number", default: 42, describe: "Seed of the split" })
        .option("human-weight", {
          type: "number",
          default: 1,
          describe: "Sample weight of tickets labelled by people (review console) relative to topic labels",
        })
        .option("propagate-threshold", {
          type: "number",
          default: 0.75,
          describe:
            "Self-training: an unlabelled ticket takes a people-given topic when the model fitted on people's labels is at least this sure (scikit-learn's default)",
        })
        .option("propagate-rounds", {
          type: "number",
          default: 10,
          describe:
            "Self-training refits at most this many times; 0 turns propagation of people's labels off",
        }),
      2,
    ),
  async run({ date, runId, store, run, registry, log, tell }, options) {
    const labelled = await labelledTickets(store, date);
    if (!labelled) throw new InputError(`no labelled tickets for ${date}: run label or relabel first`);
    const taxonomy = await taxonomyAsOf(store, date, false);
    const topicModel = await topicModelAsOf(store, date, false);
    if (!taxonomy || !topicModel) throw new InputError(`no taxonomy or topic model on or before ${date}`);
    const all = labelled.tickets;
    const humanLabels = effectiveLabels(await readHumanLabels(store, date));
    const { tickets, overridden, outvotedTopics } = withHumanLabels(all, humanLabels, taxonomy.value);
    // Split on the labels as given (topic model + people), so the held-out tickets do not depend on propagation.
    const given = Int32Array.from(tickets, (t) => t.topic);
    const stratified = stratifiedSplit(given, options["test-share"], options.seed);
    // Tickets people labelled are always trained on: holding them out would waste the scarcest labels.
    const split = {
      train: Int32Array.from([
        ...stratified.train,
        ...stratified.test.filter((i) => tickets[i]!.human),
      ]).sort(),
      test: stratified.test.filter((i) => !tickets[i]!.human),
    };
    const humanRows = split.train.filter((i) => tickets[i]!.human).length;
    const tfidfOptions = tfidfOptionsFromFlags(options);
    const trainDocs = Array.from(split.train, (i) => tickets[i]!.tokens);
    const { model: tfidf, matrix: xTrain } = fitTransformTfidf(trainDocs, tfidfOptions);
    const xTest = transformTfidf(
      tfidf,
      Array.from(split.test, (i) => tickets[i]!.tokens),
    );
    const logistic = {
      C: options.c,
      maxIter: options["max-iter"],
      classWeight: options["class-weight"] === "balanced" ? ("balanced" as const) : null,
    };
    const propagated = propagateHumanLabels(
      tickets,
      split,
      xTrain,
      xTest,
      options["propagate-rounds"] > 0
        ? { threshold: options["propagate-threshold"], maxRounds: options["propagate-rounds"], logistic }
        : null,
    );
    const topicOf = (i: number) => propagated.get(i) ?? tickets[i]!.topic;
    // Outvoted topic labels are not trusted: such a ticket counts only with a people-given topic.
    const trusted = (i: number) => propagated.has(i) || !tickets[i]!.outvoted;
    const fitAt = Array.from(split.train.keys()).filter((k) => trusted(split.train[k]!));
    const fitRows = fitAt.map((k) => split.train[k]!);
    const classTopics = [...new Set(fitRows.map(topicOf))].sort((a, b) => a - b);
    if (classTopics.length < 2)
      throw new InputError(`need at least two topics with tickets to train, found ${classTopics.length}`);
    const classOf = new Map(classTopics.map((topic, k) => [topic, k]));
    const yTrain = Int32Array.from(fitRows, (i) => classOf.get(topicOf(i))!);
    const started = performance.now();
    const weights = Float64Array.from(fitRows, (i) => (tickets[i]!.human ? options["human-weight"] : 1));
    // The penalty is ‖W‖²/(2·C·Σweights): on a few hundred people's labels C=1 holds the weights near
    // zero (every probability below 0.1 on banking77), so a router that learns from people alone gets its own C.
    const fromPeople = fitRows.every((i) => tickets[i]!.human || propagated.has(i));
    const fitC = fromPeople ? options["human-c"] : options.c;
    const fit = fitLogistic(
      selectRows(xTrain, fitAt),
      yTrain,
      classTopics.length,
      { ...logistic, C: fitC },
      weights,
    );
    const trainSeconds = (performance.now() - started) / 1000;
    // Scored on the held-out tickets with a trusted label. One of a topic the router no longer has (all
    // its training tickets went to people's topics) is one class more, never predicted: it counts as missed.
    const scoredAt = Array.from(split.test.keys()).filter((k) => trusted(split.test[k]!));
    const gone = classTopics.length;
    const yTest = Int32Array.from(scoredAt, (k) => classOf.get(topicOf(split.test[k]!)) ?? gone);
    const report = classificationReport(
      yTest,
      predictClasses(fit, selectRows(xTest, scoredAt)),
      yTest.includes(gone) ? gone + 1 : gone,
    );
    const metrics = {
      testAccuracy: report.accuracy,
      testMacroF1: report.macro.f1,
      testWeightedF1: report.weighted.f1,
      trainRows: fitRows.length,
      humanLabels: humanRows,
      humanOverrides: overridden,
      humanPropagated: propagated.size,
      outvotedTopics: outvotedTopics.length,
      fitC,
      testRows: scoredAt.length,
      features: tfidf.vocabulary.length,
      iterations: fit.iterations,
      trainSeconds,
    };
    const testIds = Array.from(split.test, (i) => tickets[i]!.id);
    // A rerun for the same date and run id gets a new version folder, and so a distinct model version.
    const publication = new Publication(store, kinds.classifier, date, runId);
    const model: RoutingModel = {
      version: `${date}.${await publication.version()}`,
      date,
      createdAt: new Date().toISOString(),
      preprocessing: topicModel.value.preprocessing,
      tfidf,
      classifier: logisticModel(fit),
      classTopics,
      taxonomy: taxonomy.value,
      topicModelVersion: topicModel.value.version,
      trainingData: {
        sha256: labelled.sha256,
        rows: tickets.length,
        testIdsSha256: sha256(testIds.join("\n")),
      },
      metrics: { testAccuracy: report.accuracy, testMacroF1: report.macro.f1 },
    };
    if (!fit.converged)
      log.warn({ iterations: fit.iterations }, "L-BFGS stopped at the iteration limit before converging");
    const params = {
      ...snakeCaseKeys(tfidfOptions),
      C: options.c,
      human_C: options["human-c"],
      class_weight: options["class-weight"],
      max_iter: options["max-iter"],
      test_share: options["test-share"],
      seed: options.seed,
      human_weight: options["human-weight"],
      propagate_threshold: options["propagate-threshold"],
      propagate_rounds: options["propagate-rounds"],
      classes: classTopics.length,
    };
    await run.logParams(params);
    await run.logMetrics({
      ...heldOutMetrics(report),
      "test/rows": scoredAt.length,
      "train/rows": fitRows.length,
      "train/human_labels": humanRows,
      "train/human_overrides": overridden,
      "train/human_propagated": propagated.size,
      "train/outvoted_topics": outvotedTopics.length,
      "model/features": tfidf.vocabulary.length,
      "fit/iterations": fit.iterations,
      "fit/converged": fit.converged ? 1 : 0,
      "fit/seconds": trainSeconds,
    });
    // The L-BFGS objective (penalised mean log-loss) after each iteration: the convergence curve.
    await run.logSeries("fit/loss", fit.lossPath);
    await run.logInputs([
      ...labelledInputs(date, labelled.inputs, "training", tickets.length),
      {
        name: `taxonomy ${taxonomy.value.version}`,
        uri: taxonomy.uri,
        sha256: taxonomy.sha256,
        context: "input",
      },
    ]);
    await run.setTags({ "data.labelled.sha256": labelled.sha256, "model.version": model.version });
    const artifact = await publication.put("model.json", sealRoutingModel(model));
    await publication.put("test-ids.json", `${JSON.stringify(testIds)}\n`);
    await publication.publish(
      {
        inputs: [...labelled.inputs, { uri: taxonomy.uri, sha256: taxonomy.sha256 }],
        params: {
          ...tfidfOptions,
          C: options.c,
          humanC: options["human-c"],
          classWeight: options["class-weight"],
          seed: options.seed,
          humanWeight: options["human-weight"],
          propagateThreshold: options["propagate-threshold"],
          propagateRounds: options["propagate-rounds"],
        },
      },
      metrics,
    );
    await run.logArtifact({
      name: "model.json",
      body: JSON.stringify({ uri: `${store.uri}/${artifact.key}`, sha256: artifact.sha256 }),
      storeUri: `${store.uri}/${artifact.key}`,
    });
    const registeredVersion = await registerInModelRegistry(registry, run, store, artifact, {
      version: model.version,
      params,
    });
    tell(
      unassignedLine(
        all.length - tickets.length,
        all.length,
        topicModel.value.assignThreshold,
        `they are left out of training; the router learns from the other ${tickets.length}`,
      ),
    );
    return {
      model: `${store.uri}/${artifact.key}`,
      version: model.version,
      registeredVersion,
      unassignedDropped: all.length - tickets.length,
      ...metrics,
      converged: fit.converged,
    };
  },
};
