import yargs from "yargs";
import { defaultPreprocessOptions } from "../../src/text/preprocess.js";
import type { QualitySettings } from "../../src/tickets/quality.js";
import { commonOptions } from "../task.js";
import { preprocessTask } from "./preprocess.js";
import { relabelTask } from "./relabel.js";
import { tfidfOptionsFromFlags } from "./tfidf-flags.js";
import { trainTask } from "./train.js";

/** A command line without flags (but the date every step demands), to parse a step's options from. */
const noFlags = () => commonOptions(yargs(["--date", "1970-01-01"]));

/**
 * What `inflow tickets preprocess`, `relabel` and `train` do when given no flags, read from their own
 * option definitions (never a copy), so that `npm run quality` and the model tests score the product
 * as users run it.
 */
export function pipelineDefaults(): QualitySettings {
  const preprocess = preprocessTask.options(noFlags()).parseSync();
  const relabel = relabelTask.options(noFlags()).parseSync();
  const train = trainTask.options(noFlags()).parseSync();
  return {
    preprocess: { ...defaultPreprocessOptions, keepPos: preprocess["keep-pos"] },
    labelling: {
      tfidf: { ...tfidfOptionsFromFlags(relabel), maxFeatures: relabel["max-features"] ?? null },
      k: relabel.k ?? { min: relabel["k-min"], max: relabel["k-max"] },
      nmf: { seed: relabel.seed, tol: relabel.tol, maxIter: relabel["max-iter"] },
      assignThreshold: relabel["assign-threshold"],
    },
    routing: {
      tfidf: tfidfOptionsFromFlags(train),
      C: train.c,
      classWeight: train["class-weight"] === "balanced" ? "balanced" : null,
      maxIter: train["max-iter"],
      testShare: train["test-share"],
      seed: train.seed,
    },
  };
}
