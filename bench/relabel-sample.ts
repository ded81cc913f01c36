/**
 * How large relabel's fit sample must be (issue 17; relabel's FIT_SAMPLE_TICKETS): topics fitted on a
 * seeded sample of n tickets against the fit on every ticket, at the same k. For each n it reports
 *   - matchedCosine: mean cosine of the optimally matched topic pairs (matchTopics, as relabel matches
 *     a refit to the previous model), sample topics against the full fit's;
 *   - nmi: NMI against the truth of every ticket labelled by projecting it on the sample's topics (what
 *     relabel publishes above its sample size), next to the full fit's own labels' NMI;
 *   - agreement: NMI between the two labellings of every ticket.
 * Corpora: a panel corpus (data/, its true groups) or `generated` (the ticket generator's departments
 * and sub-topics, as bench:tickets generates them). Preprocessing and TF-IDF/NMF settings are the CLI's
 * defaults (pipelineDefaults); only k is fixed, so that every fit is compared at the same k.
 * Run: node --import tsx bench/relabel-sample.ts --data it|cfpb|banking77|clinc150|generated
 *        [--tickets 100000 (generated)] [--k 32] [--sizes 5000,10000,20000] [--seeds 1]
 * Prints one JSON line per (k, n, seed).
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { normalizedMutualInfo } from "../src/classify/agreement.js";
import { generateTickets } from "../src/tickets/generator/generate.js";
import { preprocessTexts } from "../src/tickets/quality.js";
import { type PanelCorpus, readLabelledCorpus, realDatasets } from "../src/tickets/quality-data.js";
import { type FittedTopics, fitTopics } from "../src/topics/fit-topics.js";
import { matchTopics } from "../src/topics/match.js";
import { transformNmf } from "../src/topics/nmf.js";
import { assignTopics } from "../src/topics/report.js";
import { transformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { pipelineDefaults } from "../tasks/tickets/defaults.js";
import { argument, round } from "./common.js";

const data = argument("--data") ?? "generated";
const ks = (argument("--k") ?? "32").split(",").map(Number);
const sizes = (argument("--sizes") ?? "5000,10000,20000").split(",").map(Number);
const seeds = Number(argument("--seeds") ?? 1);
const root = fileURLToPath(new URL("..", import.meta.url));
const defaults = pipelineDefaults();

const { texts, truths } = corpus();
const docs = preprocessTexts(texts, defaults.preprocess);
console.error(`${data}: ${docs.length} tickets preprocessed, load ${loadavg().map(round).join(" ")}`);

for (const k of ks) {
  const full = fit(docs, k);
  const fullLabels = assignTopics(full.nmf.w, k, 0).topic;
  for (const n of sizes.filter((n) => n < docs.length)) {
    for (let seed = 1; seed <= seeds; seed++) {
      const rows = new Rng(seed)
        .shuffle(Array.from({ length: docs.length }, (_, i) => i))
        .slice(0, n)
        .sort((a, b) => a - b);
      const sampled = fit(
        rows.map((i) => docs[i]!),
        k,
      );
      // What label and assign do with a published model: TF-IDF with its vocabulary, then projection.
      const w = transformNmf(transformTfidf(sampled.tfidf, docs), sampled.nmf.h, k);
      const labels = assignTopics(w, k, 0).topic;
      const matching = matchTopics(
        { vocabulary: sampled.tfidf.vocabulary, h: sampled.nmf.h, k },
        { vocabulary: full.tfidf.vocabulary, h: full.nmf.h, k },
        { threshold: 0 },
      );
      console.log(
        JSON.stringify({
          data,
          tickets: docs.length,
          k,
          sample: n,
          seed,
          matchedCosine: round(matching.matched.reduce((s, m) => s + m.similarity, 0) / k),
          nmi: Object.fromEntries(
            Object.entries(truths).map(([name, truth]) => [
              name,
              {
                sample: round(normalizedMutualInfo(truth, labels)),
                full: round(normalizedMutualInfo(truth, fullLabels)),
              },
            ]),
          ),
          agreement: round(normalizedMutualInfo(fullLabels, labels)),
          fitSeconds: { sample: round(sampled.seconds.fit), full: round(full.seconds.fit) },
          loadAverage1m: round(loadavg()[0]!),
        }),
      );
    }
  }
}

function fit(tokens: string[][], k: number): FittedTopics {
  return fitTopics(tokens, { ...defaults.labelling, k });
}

/** The texts and their true groups (generated tickets: department and sub-topic; garbage left out). */
function corpus(): { texts: string[]; truths: Record<string, Int32Array> } {
  if (data !== "generated") {
    const dataset = realDatasets[data as PanelCorpus];
    if (!dataset) throw new Error(`--data: one of generated, ${Object.keys(realDatasets).join(", ")}`);
    const read = readLabelledCorpus(join(root, "data"), dataset);
    return { texts: read.texts, truths: { group: read.truth } };
  }
  const texts: string[] = [];
  const departments: string[] = [];
  const subtopics: string[] = [];
  const count = Number(argument("--tickets") ?? 100_000);
  for (const { ticket, truth } of generateTickets({
    count,
    seed: 1,
    garbageRate: 0,
    startDate: "2026-11-03",
    endDate: "2026-11-09",
  })) {
    texts.push(String(ticket.text));
    departments.push(truth.department);
    subtopics.push(truth.subtopic);
  }
  return { texts, truths: { department: codes(departments), subtopic: codes(subtopics) } };
}

function codes(labels: string[]): Int32Array {
  const index = new Map([...new Set(labels)].sort().map((label, i) => [label, i]));
  return Int32Array.from(labels, (label) => index.get(label)!);
}
