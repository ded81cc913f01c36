import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { predictClasses } from "../../src/classify/logistic.js";
import { classificationReport } from "../../src/classify/metrics.js";
import { trainRouter } from "../../src/review/train-router.js";
import { defaultTaxonomy } from "../../src/topics/taxonomy.js";
import { transformTfidf } from "../../src/topics/tfidf.js";
import { parseSelfTrainThresholds } from "../../tasks/tickets/train.js";
import { itTicketsFile, itTicketsWithPeopleLabels } from "../harness/it-people-labels.js";
import { routerOptionsAtTrainDefaults, trainDefaults } from "../harness/train-defaults.js";

/**
 * Self-training on the IT tickets' 8 broad classes, where label spreading does not help: a seeded
 * sample of 8,000 tickets, every ticket in one topic, 60 random labels per class given by people
 * (train holds a fifth out, then refits on all), `trainRouter` at train's defaults but label spreading off (the choice turns it off on the whole corpus,
 * on this sample it turns it on) against the same
 * with `--self-train-thresholds ""`; scored on the test split's tickets nobody labelled. The test fails
 * when cross-validation on people's labels stops ranking self-training at 0.5 above the labels alone,
 * when the rule's choice costs macro-F1, or when the labels alone fall under their floor.
 */
const skip = existsSync(itTicketsFile)
  ? false
  : `no ${itTicketsFile} (the real corpora live next to the project checkout)`;

test("cross-validation on people's labels sees self-training's gain on the IT tickets at 60 labels per class", {
  skip,
}, (t) => {
  const { rows, classes, classOf, tickets, human } = itTicketsWithPeopleLabels(8000, 60);
  const options = (thresholds: string) =>
    routerOptionsAtTrainDefaults({
      // Spreading off, as train's choice turns it off on the whole IT corpus (on this sample it is chosen).
      propagation: null,
      selfTrainingThresholds: parseSelfTrainThresholds(thresholds),
    });
  const score = (router: ReturnType<typeof trainRouter>) => {
    const at = Array.from(router.split.test).filter((i) => !human.has(tickets[i]!.id));
    const x = transformTfidf(
      router.tfidf,
      at.map((i) => tickets[i]!.tokens),
    );
    const predicted = predictClasses(router.servedFit, x);
    return classificationReport(
      Int32Array.from(at, (i) => classOf.get(rows[i]!.truth)!),
      Int32Array.from(predicted, (k) => router.classTopics[k]! - 1),
      classes.length,
    ).macro.f1;
  };
  const selfTrained = trainRouter(
    tickets,
    human,
    defaultTaxonomy(),
    options(trainDefaults["self-train-thresholds"]),
  );
  const alone = trainRouter(tickets, human, defaultTaxonomy(), options(""));
  const shown = `labels alone ${score(alone).toFixed(3)}, self-trained ${score(selfTrained).toFixed(3)} (${selfTrained.propagated.size} guesses; chosen on ${JSON.stringify(selfTrained.selfTrainingChoice)}; spreading ${JSON.stringify(selfTrained.spreadingChoice)})`;
  t.diagnostic(shown);
  assert.equal(alone.selfTrainingChoice, null);
  const cv = selfTrained.selfTrainingChoice?.cvMacroF1;
  // Measured: out of fold, labels alone 0.731, self-trained at 0.5 0.757; its 95% interval
  // [−0.001, 0.055] just reaches 0, so on this sample the rule keeps it off (on the whole corpus,
  // [0.008, 0.060]: on, docs/console.md). Held out, labels alone 0.701; at 0.5, when it was taken
  // on the best CV score alone, 0.728.
  assert.ok(cv && cv["0.5"]! >= cv.off! + 0.015, shown);
  assert.ok(score(selfTrained) >= score(alone), shown);
  assert.ok(score(alone) >= 0.68, shown);
});
