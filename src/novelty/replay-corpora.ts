import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { createPreprocessor, preprocessStepKeepPos } from "../text/preprocess.js";
import { departments, generateTickets } from "../tickets/generator/generate.js";
import type { ReplayCorpus, ReplayPlan } from "./replay.js";

/**
 * The replayed streams of docs/novelty.md: two real intent corpora with some intents held back, and
 * the generator with a department held back. Held-back classes are every n-th class (sorted by
 * name), never picked by how well they are found.
 */
export interface ReplaySpec {
  corpus: ReplayCorpus;
  plan: ReplayPlan;
  /** Rows preprocessing could not read (left out, counted). */
  unreadable: number;
}

export function heldBackEvery(groups: number, count: number): number[] {
  const step = Math.floor(groups / count);
  return Array.from({ length: count }, (_, i) => i * step + Math.floor(step / 2));
}

/** An intent corpus of data/ (id, split, text, intent); out-of-scope rows are not a class. */
export function intentCorpus(
  dataDir: string,
  name: "clinc150" | "banking77",
  features: NoveltyFeatures = "tokens",
): { corpus: ReplayCorpus; unreadable: number } {
  const rows = parse(gunzipSync(readFileSync(join(dataDir, name, "queries.csv.gz"))), { columns: true }) as {
    text: string;
    intent: string;
  }[];
  const { preprocess, everyWord } = preprocessors(features);
  const tokens: string[][] = [];
  const words: string[][] = [];
  const labels: string[] = [];
  let unreadable = 0;
  for (const row of rows) {
    if (row.intent === "oos") continue;
    try {
      tokens.push(preprocess(row.text));
      if (everyWord) words.push(everyWord(row.text));
      labels.push(row.intent);
    } catch {
      unreadable++;
    }
  }
  const groups = [...new Set(labels)].sort();
  const index = new Map(groups.map((g, i) => [g, i]));
  return {
    corpus: {
      name,
      tokens,
      ...(everyWord ? { words } : {}),
      truth: Int32Array.from(labels, (l) => index.get(l)!),
      groups,
    },
    unreadable,
  };
}

/** The generator's five departments, 12,000 tickets. */
export function generatedCorpus(seed = 11, features: NoveltyFeatures = "tokens"): ReplayCorpus {
  const { preprocess, everyWord } = preprocessors(features);
  const tokens: string[][] = [];
  const words: string[][] = [];
  const labels: number[] = [];
  for (const { ticket, truth } of generateTickets({
    count: 12_000,
    seed,
    garbageRate: 0,
    startDate: "2026-01-01",
    endDate: "2026-02-28",
  })) {
    tokens.push(preprocess(String(ticket.text)));
    if (everyWord) words.push(everyWord(String(ticket.text)));
    labels.push(departments.indexOf(truth.department));
  }
  return {
    name: "generator",
    tokens,
    ...(everyWord ? { words } : {}),
    truth: Int32Array.from(labels),
    groups: [...departments],
  };
}

const policy = { runs: 2, size: 15 };

export const streams = ["clinc150", "banking77", "generator"] as const;
export type StreamName = (typeof streams)[number];

/**
 * The terms of the replay: `tokens`, what the preprocess step keeps by default (nouns, verbs and
 * adjectives), for the topic model and novelty alike — what label has; `nouns`, the seed's ETL
 * (`--keep-pos NOUN`); `words`, the default tokens for the topic model and every word's lemma for
 * novelty (src/novelty/novel.ts), which label would have only if preprocessing kept them.
 */
export type NoveltyFeatures = "nouns" | "tokens" | "words";

function preprocessors(features: NoveltyFeatures) {
  return {
    preprocess: createPreprocessor({ keepPos: features === "nouns" ? ["NOUN"] : preprocessStepKeepPos }),
    everyWord: features === "words" ? createPreprocessor({ keepPos: [] }) : null,
  };
}

/** The replay's draw of rows into weeks (`ReplayPlan.seed`): the committed results and floors are this one. */
export const replayShuffleSeed = 7;

export function replaySpecs(
  dataDir: string,
  names: readonly StreamName[] = streams,
  features: NoveltyFeatures = "tokens",
  seed = replayShuffleSeed,
): ReplaySpec[] {
  const plan = (heldOut: number[]) => ({ weeks: 6, arrivalWeek: 4, heldOut, seed, policy });
  return names.map((name): ReplaySpec => {
    if (name === "generator") {
      return {
        corpus: generatedCorpus(11, features),
        unreadable: 0,
        plan: plan([departments.indexOf("Mortgages/loans")]),
      };
    }
    const loaded = intentCorpus(dataDir, name, features);
    return {
      ...loaded,
      plan: plan(heldBackEvery(loaded.corpus.groups.length, name === "clinc150" ? 10 : 5)),
    };
  });
}
