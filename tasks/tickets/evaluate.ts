import { defaultMinTestTickets, defaultPromotionMargin } from "../../src/classify/promotion.js";
import { taskResults } from "../../src/monitoring/task-results.js";
import { evaluateChallenger } from "../../src/tickets/evaluate.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  alpha: number;
  margin: number;
  "min-test-tickets": number;
  resamples: number;
  seed: number;
  truth?: string;
  "truth-field": string;
}

/** evaluate: the challenger trained for the date against the topic labels (people's once its classes are theirs), the truth when given, and the champion. */
export const evaluateTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "evaluate",
  describe:
    "Score the model trained for --date on its held-out tickets, compare it with the champion, promote it only if non-inferior (a macro-F1 loss beyond --margin ruled out)",
  options: (argv) =>
    argv
      .option("alpha", {
        type: "number",
        default: 0.05,
        describe: "Significance level of the champion comparison",
      })
      .option("margin", {
        type: "number",
        default: defaultPromotionMargin,
        describe:
          "Non-inferiority margin: promote only if the lower bound of the paired-bootstrap interval of (challenger − champion) macro-F1 is above −margin",
      })
      .option("min-test-tickets", {
        type: "number",
        default: defaultMinTestTickets,
        describe:
          "Fewest held-out tickets on which the bootstrap's interval decides; below it the champion is replaced only if the challenger makes significantly fewer errors (McNemar's exact test)",
      })
      .option("resamples", {
        type: "number",
        default: 2000,
        describe: "Bootstrap resamples (intervals and paired test)",
      })
      .option("seed", { type: "number", default: 7, describe: "Seed of the bootstrap" })
      .option("truth", {
        type: "string",
        describe: "JSONL of true groups {id, <field>} kept aside, to measure routing against truth",
      })
      .option("truth-field", {
        type: "string",
        default: "department",
        describe: "Field of the truth file holding the true group",
      }),
  async run({ date, runId, store, rawStore, run, registry, log, measure }, options) {
    const outcome = await evaluateChallenger(
      { store, rawStore, date, runId, run, registry },
      {
        alpha: options.alpha,
        margin: options.margin,
        minTestTickets: options["min-test-tickets"],
        resamples: options.resamples,
        seed: options.seed,
        truth: options.truth ? { path: options.truth, field: options["truth-field"] } : null,
      },
    );
    const { promote, championPointerMoved: pointerMoved, accuracy, macroF1 } = outcome;
    log.info({ promote, pointerMoved, accuracy, macroF1 }, outcome.headline);
    if (outcome.taxonomyCarried)
      log.info(
        { served: outcome.taxonomyCarried.version, changes: outcome.taxonomyCarried.changes.length },
        "the champion is kept and now answers through the edited taxonomy (renames and routes)",
      );
    // Agreement with the topic labels only: a router of people's classes is scored on their labels instead.
    if (!outcome.peopleLabels) measure(taskResults.topicAgreementMacroF1, macroF1);
    measure(taskResults.promoted, promote ? 1 : 0);
    return outcome;
  },
};
