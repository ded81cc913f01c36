import yargs from "yargs";
import type { RouterTrainingOptions } from "../../src/review/train-router.js";
import { commonOptions } from "../../tasks/task.js";
import { trainTask } from "../../tasks/tickets/train.js";

/** `inflow tickets train`'s flags as it parses them when none is given. */
export const trainDefaults = trainTask.options(commonOptions(yargs(["--date", "1970-01-01"]))).parseSync();

/**
 * The router's options at train's defaults (TF-IDF's document-frequency bounds, balanced logistic
 * regression, people's C and weight, the split) for model tests that call `trainRouter` directly; each
 * test adds its own spreading and self-training.
 */
export function routerOptionsAtTrainDefaults(
  rest: Pick<RouterTrainingOptions, "propagation" | "selfTrainingThresholds">,
): RouterTrainingOptions {
  return {
    tfidf: { minDf: trainDefaults["min-df"], maxDf: trainDefaults["max-df"] },
    logistic: { C: trainDefaults.c, maxIter: trainDefaults["max-iter"], classWeight: "balanced" },
    humanC: trainDefaults["human-c"],
    humanWeight: trainDefaults["human-weight"],
    testShare: trainDefaults["test-share"],
    seed: trainDefaults.seed,
    ...rest,
  };
}
