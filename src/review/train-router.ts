import {
  fitLogisticSteps,
  type LogisticFit,
  type LogisticOptions,
  predictClasses,
} from "../classify/logistic.js";
import { type ClassificationReport, classificationReport } from "../classify/metrics.js";
import { type RouterInput, routerDocs } from "../classify/router-input.js";
import { stratifiedSplit } from "../classify/split.js";
import type { TextLimits } from "../text/limits.js";
import type { LabelledTicket } from "../tickets/dataset.js";
import { type Csr, selectRows, stackRows } from "../topics/csr.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import { fitTransformTfidf, type TfidfModel, type TfidfOptions, transformTfidf } from "../topics/tfidf.js";
import { InputError } from "../util/errors.js";
import { runSteps, type Steps } from "../util/steps.js";
import type { HumanLabel } from "./human-labels.js";
import { type LabelSpreadingOptions, neighbourGraphSteps } from "./propagate.js";
import { chooseRouterInputSteps, type RouterInputChoice } from "./router-input-choice.js";
import {
  chooseSelfTrainingSteps,
  fitPeopleOnlySteps,
  fitSelfTrainedSteps,
  type SelfTrainingChoice,
  selfTrainedGuesses,
} from "./self-training.js";
import { cappedSpreadWeight, chooseSpreadingSteps, type SpreadingChoice } from "./spreading-choice.js";
import { propagateHumanLabels, type TrainingTicket, withHumanLabels } from "./training-labels.js";

export interface RouterTrainingOptions {
  tfidf: Partial<TfidfOptions>;
  logistic: Pick<LogisticOptions, "C" | "maxIter" | "classWeight">;
  /** C once every training label is people's (given or spread). */
  humanC: number;
  humanWeight: number;
  testShare: number;
  seed: number;
  /**
   * Label spreading of people's labels over the tickets' neighbour graph (propagate.ts), and the sample
   * weight a ticket that took a topic so trains with: a candidate, used only when cross-validation on
   * people's labels chooses it (spreading-choice.ts) once their classes are in force; null turns it off.
   */
  propagation: (LabelSpreadingOptions & { weight: number }) | null;
  /**
   * Self-training's candidate thresholds (self-training.ts), chosen among by cross-validation on people's
   * labels once their classes are in force and spreading was not chosen; empty or absent: none.
   */
  selfTrainingThresholds?: readonly number[];
  /**
   * Router inputs to choose among (router-input-choice.ts) once people's classes are in force and the
   * tickets' texts are given; otherwise, or with only "terms", the router reads the terms.
   */
  routerInputs?: readonly RouterInput[];
  /** The bounds the model's preprocessing read the text with, so the words are read within them too. */
  textLimits?: TextLimits;
}

/** Folds of the per-deployment choices' cross-validation on people's training labels. */
const choiceFolds = 4;

export interface TrainedRouter {
  /** The tickets trained or scored on (people's labels in force), and which of them took a topic by label spreading. */
  tickets: TrainingTicket[];
  split: { train: Int32Array; test: Int32Array };
  tfidf: TfidfModel;
  xTrain: Csr;
  xTest: Csr;
  /** The router scored here and by evaluate: fitted without the held-out people's labels. */
  fit: LogisticFit;
  /**
   * The router served: `fit`, or once people's labels were held out (`humanHeldOut` > 0) the same
   * features and C refitted on every people's label, held-out ones included (see trainRouter).
   */
  servedFit: LogisticFit;
  /** `fit`'s topic for each held-out ticket (split.test order): evaluate scores these, not `servedFit`'s. */
  heldOutTopics: Int32Array;
  classTopics: number[];
  /** Held-out report over the scored test tickets (`scoredAt`, positions in split.test). */
  report: ClassificationReport;
  scoredAt: number[];
  fitRows: number[];
  propagated: Map<number, number>;
  overridden: number;
  outvotedTopics: number[];
  humanRows: number;
  /** People-labelled tickets held out as evaluate's reference (only while `peopleClasses`). */
  humanHeldOut: number;
  /** True when people's classes replaced the topic model's (see withHumanLabels). */
  peopleClasses: boolean;
  /** What the router reads (the model artifact's `routerInput`), and how it was chosen (null: not chosen, the terms). */
  routerInput: RouterInput;
  routerInputChoice: RouterInputChoice | null;
  /** Whether people's labels were spread, and at which weight, as chosen (null: not chosen, no spreading). */
  spreadingChoice: SpreadingChoice | null;
  /** Whether the router self-trained, at which threshold, as chosen (null: not chosen). */
  selfTrainingChoice: SelfTrainingChoice | null;
  fitC: number;
  trainSeconds: number;
}

/**
 * The router `train` fits: TF-IDF + multinomial logistic regression on the labelled tickets, people's
 * labels over the topic model's (see training-labels.ts), with a stratified held-out split. When
 * people's labels cover the tickets (`humanCoverage`), the router's classes are people's alone: the
 * topic model's labels are then unlabelled data, reached only by label spreading. `texts` (ticket id →
 * raw text) lets the router read the tickets' words as well (`options.routerInputs`).
 */
export function trainRouter(
  all: readonly LabelledTicket[],
  humanLabels: ReadonlyMap<string, HumanLabel>,
  taxonomy: Taxonomy,
  options: RouterTrainingOptions,
  texts: ReadonlyMap<string, string> | null = null,
): TrainedRouter {
  return runSteps(trainRouterSteps(all, humanLabels, taxonomy, options, texts));
}

/**
 * trainRouter, pausing after each L-BFGS iteration of its fits, those of the cross-validated choices on
 * people's labels included, and every few rows of the neighbour graph (src/util/steps.ts): `train`
 * stops there on Ctrl-C or SIGTERM.
 */
export function* trainRouterSteps(
  all: readonly LabelledTicket[],
  humanLabels: ReadonlyMap<string, HumanLabel>,
  taxonomy: Taxonomy,
  options: RouterTrainingOptions,
  texts: ReadonlyMap<string, string> | null = null,
): Steps<TrainedRouter> {
  const { tickets, overridden, outvotedTopics, peopleClasses } = withHumanLabels(all, humanLabels, taxonomy);
  // Split on the labels as given (topic model + people), so the held-out tickets do not depend on propagation.
  const given = Int32Array.from(tickets, (t) => t.topic);
  const stratified = stratifiedSplit(given, options.testShare, options.seed);
  // Tickets people labelled are trained on: holding them out would waste the scarcest labels. Once the
  // router's classes are people's, though, their labels are its only honest reference: a stratified
  // share of them (per class, never a class's only label) is held out for evaluate.
  const humanAt = Array.from(tickets.keys()).filter((i) => tickets[i]!.human);
  const heldHuman = new Set<number>();
  if (peopleClasses && humanAt.length > 1) {
    const human = stratifiedSplit(
      Int32Array.from(humanAt, (i) => tickets[i]!.topic),
      options.testShare,
      options.seed,
    );
    for (const k of human.test) heldHuman.add(humanAt[k]!);
  }
  const split = {
    train: Int32Array.from(
      [...stratified.train, ...stratified.test.filter((i) => tickets[i]!.human)].filter(
        (i) => !heldHuman.has(i),
      ),
    ).sort(),
    test: Int32Array.from([...stratified.test.filter((i) => !tickets[i]!.human), ...heldHuman]).sort(),
  };
  const humanRows = split.train.filter((i) => tickets[i]!.human).length;
  const candidates = options.routerInputs ?? ["terms"];
  const docsOf = (input: RouterInput, rows: Int32Array) =>
    routerDocs(
      input,
      Array.from(rows, (i) => tickets[i]!),
      texts,
      options.textLimits,
    );
  // People's labels in the training split (positions in split.train, classes 0..n−1): what both
  // per-deployment choices (the router's input, label spreading) are cross-validated on.
  const peopleAt = Array.from(split.train.keys()).filter((k) => tickets[split.train[k]!]!.human);
  const peopleTopics = [...new Set(peopleAt.map((k) => tickets[split.train[k]!]!.topic))].sort(
    (a, b) => a - b,
  );
  const peopleClassOf = new Map(peopleTopics.map((topic, c) => [topic, c]));
  const peopleLabels = {
    at: peopleAt,
    y: Int32Array.from(peopleAt, (k) => peopleClassOf.get(tickets[split.train[k]!]!.topic)!),
    nClasses: peopleTopics.length,
  };
  const peopleLogistic = { ...options.logistic, C: options.humanC };
  let routerInputChoice: RouterInputChoice | null = null;
  if (peopleClasses && texts && candidates.length > 1) {
    routerInputChoice = yield* chooseRouterInputSteps(
      candidates,
      (input) => docsOf(input, split.train),
      peopleLabels,
      {
        tfidf: options.tfidf,
        logistic: peopleLogistic,
        folds: choiceFolds,
        seed: options.seed,
        resamples: 1000,
      },
    );
  }
  const routerInput = routerInputChoice?.input ?? "terms";
  const { model: tfidf, matrix: xTrain } = fitTransformTfidf(docsOf(routerInput, split.train), options.tfidf);
  const xTest = transformTfidf(tfidf, docsOf(routerInput, split.test));
  // Spreading is decided on people's labels once their classes are in force; beside the topic model's
  // labels there is no cheap honest test of it (every fold would refit the whole topic-labelled set), so none.
  let spreadingChoice: SpreadingChoice | null = null;
  let propagated = new Map<number, number>();
  if (options.propagation && peopleClasses) {
    const graph = yield* neighbourGraphSteps(xTrain, options.propagation.neighbours);
    spreadingChoice = yield* chooseSpreadingSteps(xTrain, graph, peopleLabels, {
      spreading: options.propagation,
      weights: [options.propagation.weight],
      humanWeight: options.humanWeight,
      logistic: peopleLogistic,
      folds: choiceFolds,
      seed: options.seed,
    });
    if (spreadingChoice.weight > 0)
      propagated = propagateHumanLabels(tickets, split, graph, options.propagation);
  }
  // Where spreading is off, the router's own sure guesses may teach it instead (IT tickets at 1%):
  // decided the same way, and its guesses train as spread tickets do (`propagated`, capped weight).
  let selfTrainingChoice: SelfTrainingChoice | null = null;
  const thresholds = options.selfTrainingThresholds ?? [];
  const unlabelledAt = Array.from(split.train.keys()).filter((k) => !tickets[split.train[k]!]!.human);
  if (thresholds.length > 0 && peopleClasses && (spreadingChoice?.weight ?? 0) === 0) {
    const choice = { humanWeight: options.humanWeight, logistic: peopleLogistic, folds: choiceFolds };
    selfTrainingChoice = yield* chooseSelfTrainingSteps(xTrain, unlabelledAt, peopleLabels, {
      ...choice,
      thresholds,
      seed: options.seed,
      resamples: 1000,
    });
    if (selfTrainingChoice.threshold !== null) {
      const base = yield* fitPeopleOnlySteps(selectRows(xTrain, peopleLabels.at), peopleLabels.y, {
        humanWeight: options.humanWeight,
        logistic: peopleLogistic,
        nClasses: peopleLabels.nClasses,
      });
      const guesses = selfTrainedGuesses(base, xTrain, unlabelledAt, selfTrainingChoice.threshold);
      guesses.rows.forEach((k, n) => {
        propagated.set(split.train[k]!, peopleTopics[guesses.classes[n]!]!);
      });
    }
  }
  const guessWeight = selfTrainingChoice?.threshold != null ? 1 : (spreadingChoice?.weight ?? 0);
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
  // A spread topic is a guess (0.74 to 0.89 right on banking77): at full weight its errors cost more
  // than its coverage gives; at a tenth it adds macro-F1, capped by people's labels' total weight.
  const spreadWeight = cappedSpreadWeight(
    guessWeight,
    fitRows.filter((i) => tickets[i]!.human).length * options.humanWeight,
    fitRows.filter((i) => propagated.has(i)).length,
  );
  const weightOf = (i: number) =>
    tickets[i]!.human ? options.humanWeight : propagated.has(i) ? spreadWeight : 1;
  const weights = Float64Array.from(fitRows, weightOf);
  // The penalty is ‖W‖²/(2·C·Σweights): on a few hundred people's labels C=1 holds the weights near
  // zero (every probability below 0.1 on banking77), so a router that learns from people alone gets its own C.
  const fromPeople = fitRows.every((i) => tickets[i]!.human || propagated.has(i));
  const fitC = fromPeople ? options.humanC : options.logistic.C;
  const fit = yield* fitLogisticSteps(
    selectRows(xTrain, fitAt),
    yTrain,
    classTopics.length,
    { ...options.logistic, C: fitC },
    weights,
  );
  const trainSeconds = (performance.now() - started) / 1000;
  // Scored on the held-out tickets with a trusted label. One of a topic the router no longer has (all
  // its training tickets went to people's topics) is one class more, never predicted: it counts as missed.
  const scoredAt = Array.from(split.test.keys()).filter((k) => trusted(split.test[k]!));
  const gone = classTopics.length;
  const yTest = Int32Array.from(scoredAt, (k) => classOf.get(topicOf(split.test[k]!)) ?? gone);
  const testClasses = predictClasses(fit, xTest);
  const report = classificationReport(
    yTest,
    Int32Array.from(scoredAt, (k) => testClasses[k]!),
    yTest.includes(gone) ? gone + 1 : gone,
  );
  // Holding out a fifth of people's labels costs the router they train (0.02 to 0.07 macro-F1 at 5 and
  // 10 per class, docs/console.md). Once scored, the router is refitted with them, as cross-validation
  // refits on all data: evaluate scores `fit`'s held-out predictions (`heldOutTopics`, published by
  // train), never the served router's, so no score is on a label its router trained on.
  const heldFit = Array.from(split.test.keys()).filter((k) => heldHuman.has(split.test[k]!));
  const heldY = heldFit.map((k) => classOf.get(topicOf(split.test[k]!))!);
  const selfTrainAt = selfTrainingChoice?.threshold ?? null;
  let servedFit = fit;
  if (heldFit.length > 0 && selfTrainAt !== null) {
    // Self-training is a step of the fit, so the refit repeats it: its guesses come from a router that
    // saw every people's label, as the fit's came from one that saw the training split's.
    const peopleFitAt = fitAt.filter((k) => tickets[split.train[k]!]!.human);
    const xPeople = stackRows(selectRows(xTrain, peopleFitAt), selectRows(xTest, heldFit));
    const yPeople = Int32Array.from([
      ...peopleFitAt.map((k) => classOf.get(topicOf(split.train[k]!))!),
      ...heldY,
    ]);
    const people = {
      humanWeight: options.humanWeight,
      logistic: peopleLogistic,
      nClasses: classTopics.length,
    };
    servedFit = yield* fitSelfTrainedSteps(xPeople, yPeople, xTrain, unlabelledAt, selfTrainAt, people);
  } else if (heldFit.length > 0)
    servedFit = yield* fitLogisticSteps(
      stackRows(selectRows(xTrain, fitAt), selectRows(xTest, heldFit)),
      Int32Array.from([...yTrain, ...heldY]),
      classTopics.length,
      { ...options.logistic, C: fitC },
      Float64Array.from([...weights, ...heldFit.map(() => options.humanWeight)]),
    );
  return {
    tickets,
    split,
    tfidf,
    xTrain,
    xTest,
    fit,
    servedFit,
    heldOutTopics: Int32Array.from(testClasses, (c) => classTopics[c]!),
    classTopics,
    report,
    scoredAt,
    fitRows,
    propagated,
    overridden,
    outvotedTopics,
    humanRows,
    humanHeldOut: heldHuman.size,
    peopleClasses,
    routerInput,
    routerInputChoice,
    spreadingChoice,
    selfTrainingChoice,
    fitC,
    trainSeconds,
  };
}
