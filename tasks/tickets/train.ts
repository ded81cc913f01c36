import { logisticModel } from "../../src/classify/logistic.js";
import { type RoutingModelFile, sealRoutingModel } from "../../src/classify/model.js";
import { buildModelLexiconSteps } from "../../src/classify/model-lexicon.js";
import { type RouterInput, routerInputs } from "../../src/classify/router-input.js";
import { effectiveLabels, readHumanLabels } from "../../src/review/human-labels.js";
import { minScoredClasses } from "../../src/review/out-of-fold.js";
import type { SelfTrainingChoice } from "../../src/review/self-training.js";
import type { SpreadingChoice } from "../../src/review/spreading-choice.js";
import { type RouterTrainingOptions, trainRouterSteps } from "../../src/review/train-router.js";
import { withHumanLabels } from "../../src/review/training-labels.js";
import { manifestIdentity } from "../../src/store/model-identity.js";
import { Publication, requireOutput } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { unassignedLine } from "../../src/tickets/human-summary.js";
import {
  labelledInputs,
  labelledTickets,
  preprocessedWordCounts,
  taxonomyAsOf,
  topicModelAsOf,
} from "../../src/tickets/models.js";
import { preprocessedTexts } from "../../src/tickets/raw-text.js";
import { heldOutMetrics, snakeCaseKeys } from "../../src/tracking/metric-names.js";
import { registeredVersionOf, registerInModelRegistry } from "../../src/tracking/routing-registry.js";
import { InputError } from "../../src/util/errors.js";
import { sha256 } from "../../src/util/hash.js";
import { runStepsInterruptibly } from "../../src/util/steps.js";
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
  "propagate-neighbours": number;
  "propagate-alpha": number;
  "propagate-weight": number;
  "router-inputs": string;
  "self-train-thresholds": string;
}

/** Train's label spreading of people's labels from its flags (null with --propagate-rounds 0). */
export function propagationFromFlags(
  options: Pick<
    Options,
    | "propagate-threshold"
    | "propagate-rounds"
    | "propagate-neighbours"
    | "propagate-alpha"
    | "propagate-weight"
  >,
): RouterTrainingOptions["propagation"] {
  if (options["propagate-rounds"] <= 0) return null;
  return {
    threshold: options["propagate-threshold"],
    iterations: options["propagate-rounds"],
    neighbours: options["propagate-neighbours"],
    alpha: options["propagate-alpha"],
    weight: options["propagate-weight"],
  };
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
        .option("seed", {
          type: "number",
          default: 42,
          describe:
            "Seed of the held-out split and of the cross-validation folds that choose on people's labels",
        })
        .option("human-weight", {
          type: "number",
          default: 1,
          describe: "Sample weight of tickets labelled by people (review console) relative to topic labels",
        })
        .option("propagate-threshold", {
          type: "number",
          default: 0.8,
          describe:
            "Label spreading: an unlabelled ticket takes a people-given topic when that topic holds at least this share of what spread to it",
        })
        .option("propagate-rounds", {
          type: "number",
          default: 10,
          describe:
            "Label spreading steps over the tickets' neighbour graph; 0 turns propagation of people's labels off. Otherwise spreading is used only when cross-validation on people's labels chooses it (once their classes are in force)",
        })
        .option("propagate-neighbours", {
          type: "number",
          default: 10,
          describe:
            "Label spreading: each ticket's neighbours in the graph (most similar tickets by TF-IDF cosine)",
        })
        .option("propagate-alpha", {
          type: "number",
          default: 0.5,
          describe:
            "Label spreading: share of a ticket's score taken from its neighbours per step (the rest from its own label)",
        })
        .option("propagate-weight", {
          type: "number",
          default: 0.1,
          describe:
            "Sample weight of a ticket that took a people-given topic by label spreading (people's labels weigh --human-weight)",
        })
        .option("router-inputs", {
          type: "string",
          default: routerInputs.join(","),
          describe: `What the router may read, chosen on people's labels by cross-validation once their classes are in force (terms otherwise): comma-separated, of ${routerInputs.join(", ")}`,
        })
        .option("self-train-thresholds", {
          type: "string",
          default: "0.9,0.7,0.5",
          describe:
            "Self-training: candidate probabilities at which an unlabelled ticket takes the router's class, chosen among (or none) by cross-validation on people's labels when spreading is not chosen; comma-separated shares, empty for none",
        }),
      { minDf: 2, maxDf: 0.95, ngramMax: 1, sublinearTf: false, idfPower: 1 },
    ),
  async run({ date, runId, store, rawStore, run, registry, log, tell, signal }, options) {
    const selfTrainingThresholds = parseSelfTrainThresholds(options["self-train-thresholds"]);
    const labelled = await labelledTickets(store, date);
    if (!labelled) throw new InputError(`no labelled tickets for ${date}: run label or relabel first`);
    const taxonomy = await taxonomyAsOf(store, date, false);
    const topicModel = await topicModelAsOf(store, date, false);
    if (!taxonomy || !topicModel) throw new InputError(`no taxonomy or topic model on or before ${date}`);
    const all = labelled.tickets;
    const humanLabels = effectiveLabels(await readHumanLabels(store, date));
    const tfidfOptions = tfidfOptionsFromFlags(options);
    const logistic = {
      C: options.c,
      maxIter: options["max-iter"],
      classWeight: options["class-weight"] === "balanced" ? ("balanced" as const) : null,
    };
    const candidates = parseRouterInputs(options["router-inputs"]);
    // The words are read from the raw text only when the choice can be made: people's classes in force.
    const texts =
      candidates.length > 1 && withHumanLabels(all, humanLabels, taxonomy.value).peopleClasses
        ? await preprocessedTexts(store, rawStore, date)
        : null;
    const trained = await runStepsInterruptibly(
      trainRouterSteps(
        all,
        humanLabels,
        taxonomy.value,
        {
          tfidf: tfidfOptions,
          logistic,
          humanC: options["human-c"],
          humanWeight: options["human-weight"],
          testShare: options["test-share"],
          seed: options.seed,
          propagation: propagationFromFlags(options),
          routerInputs: candidates,
          selfTrainingThresholds,
          textLimits: topicModel.value.preprocessing,
        },
        texts,
      ),
      signal,
    );
    const { tickets, split, tfidf, fit, classTopics, report, propagated, overridden, outvotedTopics } =
      trained;
    const { humanRows, fitC, trainSeconds, spreadingChoice: spreading } = trained;
    const metrics = {
      testAccuracy: report.accuracy,
      testMacroF1: report.macro.f1,
      testWeightedF1: report.weighted.f1,
      trainRows: trained.fitRows.length,
      humanLabels: humanRows,
      humanHeldOut: trained.humanHeldOut,
      refittedOnHeldOut: trained.servedFit !== fit,
      humanOverrides: overridden,
      humanPropagated: propagated.size,
      outvotedTopics: outvotedTopics.length,
      fitC,
      peopleClasses: trained.peopleClasses,
      routerInput: trained.routerInput,
      ...(trained.routerInputChoice ? { routerInputCvMacroF1: trained.routerInputChoice.cvMacroF1 } : {}),
      spreadWeight: spreading?.weight ?? 0,
      ...(spreading?.cvMacroF1 ? { spreadCvMacroF1: spreading.cvMacroF1 } : {}),
      selfTrainThreshold: trained.selfTrainingChoice?.threshold ?? null,
      ...(trained.selfTrainingChoice?.cvMacroF1
        ? { selfTrainCvMacroF1: trained.selfTrainingChoice.cvMacroF1 }
        : {}),
      testRows: trained.scoredAt.length,
      features: tfidf.vocabulary.length,
      iterations: fit.iterations,
      trainSeconds,
    };
    const testIds = Array.from(split.test, (i) => tickets[i]!.id);
    // The version and time are the manifest's, not the file's: a rerun that trains the same router
    // stages the same bytes, and publishing keeps the published version instead of adding one.
    const publication = new Publication(store, kinds.classifier, date, runId);
    const model: RoutingModelFile = {
      date,
      preprocessing: topicModel.value.preprocessing,
      routerInput: trained.routerInput,
      tfidf,
      classifier: logisticModel(trained.servedFit),
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
    const ticketsPerWord = await preprocessedWordCounts(store, date);
    if (ticketsPerWord) {
      model.lexicon = await runStepsInterruptibly(
        buildModelLexiconSteps(
          { preprocessing: model.preprocessing, vocabulary: tfidf.vocabulary },
          ticketsPerWord,
        ),
        signal,
      );
      log.info({ words: model.lexicon.words.length }, "serving lexicon of the training words shipped");
    } else {
      log.info(
        "the preprocessed partition has no word counts (published before them): no serving lexicon shipped",
      );
    }
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
      propagate_neighbours: options["propagate-neighbours"],
      propagate_alpha: options["propagate-alpha"],
      propagate_weight: options["propagate-weight"],
      classes: classTopics.length,
      router_input: trained.routerInput,
      spread_weight: spreading?.weight ?? 0,
      self_train_thresholds: options["self-train-thresholds"],
      self_train_threshold: trained.selfTrainingChoice?.threshold ?? "none",
    };
    await run.logParams(params);
    await run.logMetrics({
      ...heldOutMetrics(report),
      "test/rows": trained.scoredAt.length,
      "train/rows": trained.fitRows.length,
      "train/human_labels": humanRows,
      "train/human_overrides": overridden,
      "train/human_propagated": propagated.size,
      "train/outvoted_topics": outvotedTopics.length,
      ...Object.fromEntries(
        Object.entries(spreading?.cvMacroF1 ?? {}).map(([weight, f1]) => [
          `train/spread_cv_macro_f1_w${weight}`,
          f1,
        ]),
      ),
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
    await publication.put("model.json", sealRoutingModel(model));
    await publication.put("test-ids.json", `${JSON.stringify(testIds)}\n`);
    // The served router refitted on the held-out people's labels: evaluate scores the router that did
    // not see them, through its topic for each held-out ticket (test-ids.json's order).
    if (trained.servedFit !== fit)
      await publication.put("held-out-topics.json", `${JSON.stringify(Array.from(trained.heldOutTopics))}\n`);
    const manifest = await publication.publish(
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
          propagateNeighbours: options["propagate-neighbours"],
          propagateAlpha: options["propagate-alpha"],
          propagateWeight: options["propagate-weight"],
          selfTrainThresholds: options["self-train-thresholds"],
        },
      },
      metrics,
    );
    const { version } = manifestIdentity(manifest);
    const artifact = requireOutput(manifest, "model.json");
    await run.setTags({ "data.labelled.sha256": labelled.sha256, "model.version": version });
    await run.logArtifact({
      name: "model.json",
      body: JSON.stringify({ uri: `${store.uri}/${artifact.key}`, sha256: artifact.sha256 }),
      storeUri: `${store.uri}/${artifact.key}`,
    });
    // A rerun that published nothing new finds its version already registered.
    const registeredVersion =
      (await registeredVersionOf(registry, version))?.version ??
      (await registerInModelRegistry(registry, run, store, artifact, { version, params }));
    if (spreading) tell(spreadingLine(spreading));
    if (trained.selfTrainingChoice) tell(selfTrainingLine(trained.selfTrainingChoice, propagated.size));
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
      version,
      registeredVersion,
      unassignedDropped: all.length - tickets.length,
      ...metrics,
      converged: fit.converged,
    };
  },
};

/** Train's one line on label spreading: what was chosen, on which scores, or why nothing was. */
function spreadingLine(choice: SpreadingChoice): string {
  if (!choice.cvMacroF1)
    return `label spreading off: fewer than ${minScoredClasses} of people's classes have two training labels, too few to decide`;
  const scores = Object.entries(choice.cvMacroF1)
    .map(([weight, f1]) => `${weight === "0" ? "labels alone" : `spread at ${weight}`} ${f1.toFixed(3)}`)
    .join(", ");
  const chosen = choice.weight > 0 ? `on (spread tickets weigh ${choice.weight})` : "off";
  return `label spreading ${chosen}: ${choice.folds}-fold cross-validated macro-F1 on ${choice.scored} people's labels: ${scores}`;
}

/** Train's one line on self-training (considered only when spreading is off). */
function selfTrainingLine(choice: SelfTrainingChoice, guesses: number): string {
  if (!choice.cvMacroF1)
    return "self-training off: too few people's labels (or no unlabelled tickets) to decide";
  const scores = Object.entries(choice.cvMacroF1)
    .map(([threshold, f1]) => `${threshold === "off" ? "labels alone" : `at ${threshold}`} ${f1.toFixed(3)}`)
    .join(", ");
  const chosen = choice.threshold === null ? "off" : `on at ${choice.threshold} (${guesses} tickets guessed)`;
  return `self-training ${chosen}: ${choice.folds}-fold cross-validated macro-F1 on ${choice.scored} people's labels: ${scores}`;
}

export function parseRouterInputs(flag: string): RouterInput[] {
  const given = flag.split(",").map((s) => s.trim());
  const unknown = given.filter((s) => !(routerInputs as readonly string[]).includes(s));
  if (unknown.length > 0 || !given.includes("terms"))
    throw new InputError(
      `--router-inputs: ${unknown.length > 0 ? `unknown ${unknown.join(", ")}` : "must include terms"} (choices: ${routerInputs.join(", ")})`,
    );
  return given as RouterInput[];
}

/** --self-train-thresholds: comma-separated shares in (0, 1]; empty for no self-training. */
export function parseSelfTrainThresholds(flag: string): number[] {
  const given = flag
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const bad = given.filter((s) => !/^\d*\.?\d+$/.test(s) || Number(s) <= 0 || Number(s) > 1);
  if (bad.length > 0)
    throw new InputError(
      `--self-train-thresholds: ${bad.join(", ")} not a share in (0, 1] (e.g. 0.9,0.7,0.5)`,
    );
  return given.map(Number);
}
