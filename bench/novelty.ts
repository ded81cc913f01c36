/**
 * npm run bench:novelty — replays real corpora as weekly batches with classes held back until week 4
 * (clinc150: 10 of 150 intents; banking77: 5 of 77; the generator: one of five departments) and
 * reports how soon each new class is proposed, how pure the proposals are, false proposals on quiet
 * weeks, and whether adoption left existing topic ids and names alone; on the seed's nouns, the
 * preprocess step's default tokens (what label has) and every word (`--features nouns|tokens|words`
 * for one; src/novelty/replay-corpora.ts). Writes bench/results/novelty.json.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { replayStream } from "../src/novelty/replay.js";
import {
  type NoveltyFeatures,
  replayShuffleSeed,
  replaySpecs,
  type StreamName,
  streams,
} from "../src/novelty/replay-corpora.js";
import { argument, round } from "./common.js";

if (process.argv.includes("--help")) {
  console.log(
    "npm run bench:novelty -- [--corpus clinc150|banking77|generator] [--features nouns|tokens|words] [--shuffle N]\n" +
      "Replays the streams (every corpus and kind of terms by default) and prints how soon and how purely\n" +
      "each held-back class is proposed; --shuffle draws the rows into weeks with another seed (default\n" +
      `${replayShuffleSeed}, the committed draw). Writes bench/results/novelty.json only when run on all of them\n` +
      "with the default draw.",
  );
  process.exit(0);
}
const only = argument("--corpus") as StreamName | undefined;
const onlyFeatures = argument("--features") as NoveltyFeatures | undefined;
const shuffleArgument = argument("--shuffle");
const shuffle = shuffleArgument === undefined ? replayShuffleSeed : Number(shuffleArgument);
if (!Number.isSafeInteger(shuffle) || shuffle < 0)
  throw new Error(`--shuffle must be a non-negative integer, got ${shuffleArgument} (see --help)`);
if (only && !streams.includes(only))
  throw new Error(`--corpus must be one of ${streams.join(", ")}, got ${only} (see --help)`);
if (onlyFeatures && !["nouns", "tokens", "words"].includes(onlyFeatures))
  throw new Error(`--features must be nouns, tokens or words, got ${onlyFeatures} (see --help)`);
const results = [];
for (const features of onlyFeatures ? [onlyFeatures] : (["nouns", "tokens", "words"] as const))
  for (const spec of replaySpecs("data", only ? [only] : undefined, features, shuffle)) {
    const started = Date.now();
    const { proposals, ...result } = replayStream(spec.corpus, spec.plan);
    const found = Object.values(result.runsUntilProposed).filter((r) => r !== null);
    const purities = Object.values(result.purity);
    const summary = {
      features,
      ...result,
      unreadableRows: spec.unreadable,
      found: `${found.length} of ${result.heldOut.length}`,
      foundWithinTwoRuns: found.filter((r) => r <= 2).length,
      // The goal: proposed within two runs of its arrival at purity ≥ 0.8.
      withinTwoRunsPurityAtLeast08: Object.entries(result.runsUntilProposed).filter(
        ([name, runs]) => runs !== null && runs <= 2 && result.purity[name]! >= 0.8,
      ).length,
      meanPurity: purities.length ? round(purities.reduce((a, b) => a + b, 0) / purities.length) : null,
      proposalsPurityAtLeast08: `${proposals.filter((p) => p.purity >= 0.8).length} of ${proposals.length}`,
      maxFalseProposalsPerQuietWeek: Math.max(...result.falseProposalsQuietWeeks),
      seconds: round((Date.now() - started) / 1000),
      proposals,
    };
    console.log(
      `${spec.corpus.name} (${features}, shuffle ${shuffle}): found ${summary.found} (${summary.foundWithinTwoRuns} within two runs, ` +
        `${summary.withinTwoRunsPurityAtLeast08} of them at purity ≥ 0.8), mean purity ${summary.meanPurity}, ` +
        `false proposals per quiet week ${result.falseProposalsQuietWeeks.join("/")}, after arrival ${result.falseProposalsAfterArrival.join("/")}, ` +
        `existing topics unchanged: ${result.existingTopicsUnchanged} (${summary.seconds} s)`,
    );
    results.push(summary);
  }
if (!only && !onlyFeatures && shuffle === replayShuffleSeed)
  writeFileSync(
    "bench/results/novelty.json",
    `${JSON.stringify({ machine: { cpus: cpus().length, load: loadavg().map(round) }, results }, null, 2)}\n`,
  );
