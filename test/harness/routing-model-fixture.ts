/**
 * A real routing model for tests and benchmarks without running the pipeline: seeded synthetic CFPB
 * tickets → the seed's preprocessing → TF-IDF (1–2-grams, sublinear) → balanced logistic regression,
 * with the five seed topics routed by the default catalog. Deterministic for a given seed.
 */
import { rename, writeFile } from "node:fs/promises";
import { fitLogistic, logisticModel } from "../../src/classify/logistic.js";
import { type RoutingModel, routingModelFormat } from "../../src/classify/model.js";
import { buildModelLexicon, countTicketWords } from "../../src/classify/model-lexicon.js";
import { type RouterInput, readsTerms, routerTerms } from "../../src/classify/router-input.js";
import { seal } from "../../src/store/sealed.js";
import { createPreprocessor, defaultPreprocessOptions } from "../../src/text/preprocess.js";
import { departments, generateTickets } from "../../src/tickets/generator/generate.js";
import { cfpbCatalog, defaultTaxonomy, type Taxonomy } from "../../src/topics/taxonomy.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";
import { sha256 } from "../../src/util/hash.js";

export interface RoutingModelFixtureOptions {
  /** Training tickets (default 600: trains in about a second). */
  tickets?: number;
  seed?: number;
  version?: string;
  /** Ship the serving lexicon of the training tickets' words, as `train` does (default false: tests build it only when they need it). */
  lexicon?: boolean;
  /** What the router reads (router-input.ts; default the terms). */
  routerInput?: RouterInput;
}

export interface FixtureTicket {
  id: string;
  text: string;
  /** The generator's truth: index into the model's classes (= topic id). */
  topicId: number;
}

/** Seeded narratives of the five seed topics (garbage-free); topic ids match the fixture model's. */
export function fixtureTickets(count: number, seed = 7, firstIndex = 0): FixtureTicket[] {
  const result: FixtureTicket[] = [];
  for (const { ticket, truth } of generateTickets({
    count,
    seed,
    firstIndex,
    garbageRate: 0,
    startDate: "2024-01-01",
    endDate: "2024-06-30",
  })) {
    result.push({
      id: ticket.id,
      text: ticket.text as string,
      topicId: (departments as readonly string[]).indexOf(truth.department),
    });
  }
  return result;
}

/** The seed taxonomy: topic i is the catalog's i-th category (same order as the generator's departments). */
export function fixtureTaxonomy(): Taxonomy {
  const taxonomy = defaultTaxonomy(cfpbCatalog);
  taxonomy.version = 1;
  taxonomy.topics = cfpbCatalog.map((entry, id) => ({
    id,
    name: entry.name,
    department: entry.department,
    origin: "catalog" as const,
    topTerms: entry.keywords.slice(0, 10),
  }));
  return taxonomy;
}

export function buildRoutingModel(options: RoutingModelFixtureOptions = {}): RoutingModel {
  const seed = options.seed ?? 42;
  const tickets = fixtureTickets(options.tickets ?? 600, seed);
  const routerInput = options.routerInput ?? "terms";
  const preprocess = readsTerms(routerInput) ? createPreprocessor(defaultPreprocessOptions) : () => [];
  const docs = tickets.map((t) => routerTerms(routerInput, preprocess(t.text), t.text));
  const { model: tfidf, matrix } = fitTransformTfidf(docs, {
    minDf: 2,
    maxDf: 0.95,
    ngramMax: 2,
    sublinearTf: true,
  });
  const classTopics = cfpbCatalog.map((_, id) => id);
  const preprocessing = { ...defaultPreprocessOptions };
  const y = Int32Array.from(tickets, (t) => t.topicId);
  const fit = fitLogistic(matrix, y, classTopics.length, { C: 10, classWeight: "balanced", maxIter: 200 });
  return {
    version: options.version ?? `fixture-${seed}`,
    date: "2024-07-01",
    createdAt: "2024-07-01T00:00:00.000Z",
    preprocessing,
    tfidf,
    classifier: logisticModel(fit),
    classTopics,
    taxonomy: fixtureTaxonomy(),
    topicModelVersion: `fixture-topics-${seed}`,
    trainingData: {
      sha256: sha256(tickets.map((t) => t.id).join("\n")),
      rows: tickets.length,
      testIdsSha256: sha256(""),
    },
    metrics: { trainRows: tickets.length, features: tfidf.vocabulary.length },
    ...(routerInput === "terms" ? {} : { routerInput }),
    ...(options.lexicon
      ? {
          lexicon: buildModelLexicon(
            { preprocessing, vocabulary: tfidf.vocabulary },
            countTicketWords(tickets.map((t) => t.text)),
          ),
        }
      : {}),
  };
}

/**
 * A model file that records its own version and creation time, as Inflow wrote them before both moved
 * to the manifest (and as a hand-made file outside a store may): what a server given a file path serves.
 */
export function sealWithIdentity(model: RoutingModel, version = model.version): string {
  return seal(routingModelFormat, 1, { ...model, version });
}

/**
 * Seals a model with its identity (optionally under another version) into `path`, atomically (temp
 * file + rename, as a deploy would), so a polling server never reads half a file; returns the sealed text.
 */
export async function writeRoutingModel(
  path: string,
  model: RoutingModel,
  version?: string,
): Promise<string> {
  const text = sealWithIdentity(model, version);
  await replaceFile(path, text);
  return text;
}

export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, path);
}
