/**
 * Topic names on real corpora nobody tuned them for: the CFPB product catalog is opt-in and, even
 * when chosen, does not name topics of data it does not fit; names never show pseudonymised tokens
 * or profanity. Samples of each corpus keep the test short; naming only needs the topics' tickets.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { createPreprocessor } from "../../src/text/preprocess.js";
import { generateTickets } from "../../src/tickets/generator/generate.js";
import { distinctiveTerms, isShowable, nameTopic } from "../../src/topics/naming.js";
import { fitNmf } from "../../src/topics/nmf.js";
import { assignTopics } from "../../src/topics/report.js";
import {
  type CatalogEntry,
  cfpbCatalog,
  defaultTaxonomy,
  type TaxonomyTopic,
} from "../../src/topics/taxonomy.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";

const preprocess = createPreprocessor({ keepPos: ["NOUN", "VERB", "ADJ"] });
const cfpbNames = new Set(cfpbCatalog.map((entry) => entry.name));

/** Every `stride`-th text of a vendored panel corpus, up to `rows`. */
function sample(file: string, column: string, rows: number): string[] {
  const records = parse(gunzipSync(readFileSync(new URL(`../../data/${file}`, import.meta.url))), {
    columns: true,
  }) as Record<string, string>[];
  const stride = Math.max(1, Math.floor(records.length / rows));
  return records.filter((_, i) => i % stride === 0).map((row) => row[column]!);
}

/** Topics as relabel names them: NMF topics, their tickets' distinctive terms, `nameTopic`. */
function nameTopics(texts: string[], k: number, catalog: CatalogEntry[]): TaxonomyTopic[] {
  const docs = texts.map(preprocess);
  const { matrix } = fitTransformTfidf(docs, { minDf: 3, maxDf: 0.95 });
  const nmf = fitNmf(matrix, { k, seed: 40, maxIter: 200 });
  const terms = distinctiveTerms(docs, assignTopics(nmf.w, k, 0.3).topic, k);
  return terms.map((t, id) => nameTopic(id, t, catalog));
}

const panel = {
  "IT tickets": sample("it-service-tickets/tickets.csv.gz", "Document", 4000),
  banking77: sample("banking77/queries.csv.gz", "text", 4000),
  clinc150: sample("clinc150/queries.csv.gz", "text", 4000),
};

for (const [name, texts] of Object.entries(panel)) {
  test(`${name}: by default no topic takes a CFPB product name, and every name shows its own terms`, () => {
    const topics = nameTopics(texts, 16, defaultTaxonomy().catalog);
    for (const topic of topics) {
      assert.ok(!cfpbNames.has(topic.name), `${topic.id}: ${topic.name}`);
      assert.equal(topic.origin, "top-terms");
      assert.ok(
        topic.name.split(/ \/ | /).every(isShowable),
        `${topic.id}: ${topic.name} shows a hidden word`,
      );
    }
    assert.ok(
      topics.filter((t) => /^topic \d+$/.test(t.name)).length <= 1,
      topics.map((t) => t.name).join("; "),
    );
    assert.ok(
      topics.some((t) => t.name.split(" / ").some((term) => term.includes(" "))),
      "phrases name topics",
    );
  });
}

// (clinc150 and banking77 hold real banking intents, where the catalog's names may fit.)
test("IT tickets: even with the CFPB catalog chosen, its names do not fit these topics", () => {
  const named = nameTopics(panel["IT tickets"], 16, cfpbCatalog).filter((t) => t.origin === "catalog");
  assert.deepEqual(
    named.map((t) => `${t.name} ← ${t.topTerms.join(", ")}`),
    [],
  );
});

test("demo corpus with the CFPB catalog: the stolen-card topic is not sent to Cards on one keyword", () => {
  const rows = [
    ...generateTickets({
      count: 4000,
      seed: 20261109,
      garbageRate: 0,
      startDate: "2026-11-02",
      endDate: "2026-11-08",
    }),
  ];
  const topics = nameTopics(
    rows.map((r) => String(r.ticket.text)),
    12,
    cfpbCatalog,
  );
  const stolen = topics.filter((t) => t.topTerms.some((term) => /\b(steal|thief)\b/.test(term)));
  assert.ok(stolen.length > 0, topics.map((t) => `${t.name}: ${t.topTerms.join(", ")}`).join("\n"));
  for (const topic of stolen)
    assert.notEqual(topic.department, "Cards", `${topic.name}: ${topic.topTerms.join(", ")}`);
  // The catalog still names the topics it clearly fits.
  assert.ok(
    topics.some((t) => t.origin === "catalog"),
    topics.map((t) => `${t.name}: ${t.topTerms.join(", ")}`).join("\n"),
  );
});
