import type { Argv } from "yargs";
import { DEFAULT_TFIDF_OPTIONS, type TfidfOptions, tfidfOptionProblem } from "../../src/topics/tfidf.js";

/** The TF-IDF flags relabel (topic model) and train (classifier) both take. */
export interface TfidfFlags {
  "min-df": number;
  "max-df": number;
  "ngram-max": number;
  "sublinear-tf": boolean;
  "idf-power": number;
}

/** Adds the TF-IDF flags with a step's defaults. */
export function withTfidfFlags<T>(
  argv: Argv<T>,
  defaults: Pick<TfidfOptions, "minDf" | "maxDf" | "ngramMax" | "sublinearTf" | "idfPower">,
): Argv<T & TfidfFlags> {
  return argv
    .option("min-df", {
      type: "number",
      default: defaults.minDf,
      describe: "TF-IDF min document frequency (count, or share < 1)",
    })
    .option("max-df", {
      type: "number",
      default: defaults.maxDf,
      describe: "TF-IDF max document frequency (share ≤ 1, or count)",
    })
    .option("ngram-max", { type: "number", default: defaults.ngramMax, describe: "Longest n-gram" })
    .option("sublinear-tf", { type: "boolean", default: defaults.sublinearTf, describe: "Use 1 + ln(tf)" })
    .option("idf-power", {
      type: "number",
      default: defaults.idfPower,
      describe:
        "A term's weight is tf × idf^p (1: scikit-learn's TF-IDF; 2: words that set tickets apart weigh even more than common ones)",
    })
    .check((flags) => {
      // Refused here, before the task starts: a typo is bad input (exit 2), never a retry. A string, not
      // a throw: the CLI prints it with the usage.
      const found = tfidfOptionProblem({ ...DEFAULT_TFIDF_OPTIONS, ...tfidfOptionsFromFlags(flags) });
      return found ? `${flagOf[found.option]} ${found.problem}` : true;
    });
}

const flagOf = {
  ngramRange: "--ngram-max",
  minDf: "--min-df",
  maxDf: "--max-df",
  idfPower: "--idf-power",
  maxFeatures: "max features",
} as const;

/** The TF-IDF options the flags stand for (unigrams and up, the rest at their defaults). */
export function tfidfOptionsFromFlags(
  flags: TfidfFlags,
): Pick<TfidfOptions, "minDf" | "maxDf" | "ngramMin" | "ngramMax" | "sublinearTf" | "idfPower"> {
  return {
    minDf: flags["min-df"],
    maxDf: flags["max-df"],
    ngramMin: 1,
    ngramMax: flags["ngram-max"],
    sublinearTf: flags["sublinear-tf"],
    idfPower: flags["idf-power"],
  };
}
