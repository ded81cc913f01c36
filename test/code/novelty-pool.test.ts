import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { adoptIntoModel, adoptIntoTaxonomy } from "../../src/novelty/adopt.js";
import { clusterPool, defaultClusterOptions } from "../../src/novelty/cluster.js";
import { findNovel } from "../../src/novelty/novel.js";
import { parseAdoptionPolicy } from "../../src/novelty/policy.js";
import {
  adoptable,
  type Decision,
  defaultNoveltySettings,
  type NoveltyState,
  updateNovelty,
} from "../../src/novelty/pool.js";
import { neighbourhoodNovelty, relativeResiduals } from "../../src/novelty/signals.js";
import { defaultPreprocessOptions } from "../../src/text/preprocess.js";
import { labelDocuments, type TopicModel } from "../../src/topics/artifact.js";
import { nameTopic } from "../../src/topics/naming.js";
import { fitNmf } from "../../src/topics/nmf.js";
import { cfpbCatalog, defaultTaxonomy } from "../../src/topics/taxonomy.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";
import { ConfigError } from "../../src/util/errors.js";
import { Rng } from "../../src/util/random.js";

const themes = {
  card: ["card", "limit", "statement", "reward", "apr", "payment", "annual"],
  mortgage: ["mortgage", "escrow", "lender", "refinance", "property", "house", "servicer"],
  fraud: ["fraud", "dispute", "theft", "chargeback", "merchant", "claim", "police"],
  crypto: ["wallet", "bitcoin", "token", "exchange", "blockchain", "coin", "ledger"],
};
type Theme = keyof typeof themes;

function tickets(
  theme: Theme,
  count: number,
  seed: number,
  prefix = theme,
): { id: string; tokens: string[] }[] {
  const rng = new Rng(seed);
  const words = themes[theme];
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${seed}-${i}`,
    tokens: Array.from({ length: 6 }, () => words[rng.int(words.length)]!),
  }));
}

function fitModel(docs: string[][]): TopicModel {
  const { model: tfidf, matrix } = fitTransformTfidf(docs, { minDf: 2 });
  const nmf = fitNmf(matrix, { k: 3, seed: 1, maxIter: 300 });
  return {
    version: "v1",
    date: "2026-01-05",
    createdAt: "2026-01-05T00:00:00.000Z",
    preprocessing: defaultPreprocessOptions,
    tfidf,
    k: 3,
    components: nmf.h,
    topicIds: [0, 1, 2],
    assignThreshold: 0.3,
    reconstructionError: nmf.reconstructionError,
    trainingData: { sha256: "x", rows: docs.length },
  };
}

const known: Theme[] = ["card", "mortgage", "fraud"];
const training = known.flatMap((t, i) => tickets(t, 60, i + 1));
const model = fitModel(training.map((t) => t.tokens));
const settings = { ...defaultNoveltySettings, minSize: 10 };

function week(date: string, seed: number, withCrypto: boolean) {
  const batch = [
    ...known.flatMap((t, i) => tickets(t, 40, seed * 10 + i)),
    ...(withCrypto ? tickets("crypto", 30, seed) : []),
  ];
  return {
    date,
    ...findNovel(model, new Set(), training, batch, settings.signal),
    model,
    catalog: cfpbCatalog,
  };
}

describe("novelty signals", () => {
  test("relative residual: 0 for a row the topics reproduce, 1 for a row of unknown terms only", () => {
    const labelled = labelDocuments(model, [themes.card, ["wallet", "bitcoin"]]);
    const residual = relativeResiduals(labelled.x, labelled.w, model.components, model.k);
    assert.ok(residual[0]! < 0.3, `known theme residual ${residual[0]}`);
    assert.equal(residual[1], 1, "no known term: wholly unexplained");
  });

  test("neighbourhood z: high for a kind the reference lacks, about 0 for known kinds, 0 without terms", () => {
    const current = [...known.flatMap((t, i) => tickets(t, 40, 90 + i)), ...tickets("crypto", 30, 9)];
    const { z, novel, referenceNeighbours } = neighbourhoodNovelty(
      training.map((t) => t.tokens),
      [...current.map((t) => t.tokens), []],
      settings.signal,
    );
    const crypto = Array.from(z.subarray(120, 150));
    const knownZ = Array.from(z.subarray(0, 120));
    assert.ok(Math.min(...crypto) > 3, `crypto z ${Math.min(...crypto)}`);
    const mean = knownZ.reduce((a, b) => a + b, 0) / knownZ.length;
    assert.ok(Math.abs(mean) < 1, `known kinds' mean z ${mean}`);
    assert.equal(z[150], 0, "a ticket with no term has no neighbours");
    assert.ok(novel.filter((i) => i < 120).length < 12, `known tickets called novel: ${novel.length - 30}`);
    assert.ok(
      referenceNeighbours.every(
        (i, n) => i < training.length && (n === 0 || i > referenceNeighbours[n - 1]!),
      ),
    );
  });

  test("neighbourhood z on a capped comparison set: the same kinds found in the tested sample, equal to the full test below the cap", () => {
    const current = [...known.flatMap((t, i) => tickets(t, 40, 90 + i)), ...tickets("crypto", 30, 9)];
    const docs = current.map((t) => t.tokens);
    const reference = training.map((t) => t.tokens);
    const full = neighbourhoodNovelty(reference, docs, settings.signal);
    assert.deepEqual(full.compared, { reference: reference.length, current: docs.length });
    const atSize = neighbourhoodNovelty(reference, docs, {
      ...settings.signal,
      maxCompared: Math.max(reference.length, docs.length),
    });
    assert.deepEqual(atSize, full, "a cap no set exceeds changes nothing");
    // A quarter of each set compared with, and of the current set tested: the new kind still stands out.
    const cap = Math.ceil(docs.length / 4);
    const capped = neighbourhoodNovelty(reference, docs, { ...settings.signal, maxCompared: cap });
    assert.ok(cap < reference.length, "the cap subsamples both sets");
    assert.deepEqual(capped.compared, { reference: cap, current: cap });
    const tested = Array.from(capped.z.keys()).filter((q) => capped.z[q] !== 0);
    assert.ok(tested.length <= cap && tested.length > cap / 2, `tested ${tested.length} of cap ${cap}`);
    assert.ok(
      capped.novel.every((q) => tested.includes(q)),
      "only tested tickets are novel",
    );
    const crypto = tested.filter((q) => q >= 120).map((q) => capped.z[q]!);
    const knownZ = tested.filter((q) => q < 120).map((q) => capped.z[q]!);
    assert.ok(crypto.length >= 5 && Math.min(...crypto) > 2, `crypto z ${crypto}`);
    assert.ok(Math.abs(knownZ.reduce((a, b) => a + b, 0) / knownZ.length) < 1, "known kinds about 0");
    assert.ok(capped.referenceNeighbours.every((i) => i < reference.length));
  });

  test("neighbourhood z equals the test computed pair by pair from its definition, bit for bit", () => {
    const current = [...known.flatMap((t, i) => tickets(t, 40, 70 + i)), ...tickets("crypto", 30, 7), []];
    const docs = current.map((t) => ("tokens" in t ? t.tokens : t));
    const reference = training.map((t) => t.tokens);
    const { neighbours, minZ } = settings.signal;
    const x = fitTransformTfidf([...reference, ...docs], { minDf: 1, maxDf: 1, maxFeatures: null }).matrix;
    const cosine = (i: number, j: number) => {
      let sum = 0;
      for (let a = x.indptr[i]!, b = x.indptr[j]!; a < x.indptr[i + 1]! && b < x.indptr[j + 1]!; ) {
        if (x.indices[a]! < x.indices[b]!) a++;
        else if (x.indices[a]! > x.indices[b]!) b++;
        else sum += x.data[a++]! * x.data[b++]!;
      }
      return sum;
    };
    const p = docs.length / x.rows;
    const expected = docs.map((_, q) => {
      const row = reference.length + q;
      const others = Array.from({ length: x.rows }, (_, j) => j).filter((j) => j !== row);
      const similar = others.map((j) => ({ j, s: cosine(row, j) })).filter((o) => o.s > 0);
      if (similar.length === 0) return 0;
      const kth = similar.map((o) => o.s).sort((a, b) => b - a)[Math.min(neighbours, similar.length) - 1]!;
      const near = similar.filter((o) => o.s >= kth - 1e-9);
      const m = near.filter((o) => o.j >= reference.length).length;
      return (m - near.length * p) / Math.sqrt(near.length * p * (1 - p));
    });
    const found = neighbourhoodNovelty(reference, docs, settings.signal);
    assert.deepEqual(Array.from(found.z), expected);
    assert.deepEqual(
      found.novel,
      expected.flatMap((z, q) => (z >= minZ ? [q] : [])),
    );
  });

  test("with every word, a kind that differs from a known one by a verb alone is novel, the known one is not", () => {
    // The nouns are the same ("pin"); the verbs tell unblocking a PIN from changing it.
    const pin = (prefix: string, count: number, verb: string) =>
      Array.from({ length: count }, (_, i) => ({
        id: `${prefix}-${i}`,
        tokens: ["pin"],
        words: [verb, "pin"],
      }));
    const reference = [...training, ...pin("old-unblock", 40, "unblock")];
    const batch = [...known.flatMap((t, i) => tickets(t, 40, 80 + i)), ...pin("unblock", 40, "unblock")];
    const arriving = [...batch, ...pin("change", 30, "change")];
    const novelIds = (withWords: boolean) =>
      findNovel(
        model,
        new Set(),
        reference,
        withWords ? arriving : arriving.map(({ id, tokens }) => ({ id, tokens })),
        settings.signal,
      ).novel;
    const words = novelIds(true);
    assert.equal(words.filter((t) => t.id.startsWith("change-")).length, 30);
    assert.equal(words.filter((t) => t.id.startsWith("unblock-")).length, 0);
    assert.deepEqual(
      words.find((t) => t.id.startsWith("change-"))!.tokens,
      ["change", "pin"],
      "pooled as words",
    );
    // On the nouns alone every "pin" ticket surges with the new kind.
    assert.ok(novelIds(false).filter((t) => t.id.startsWith("unblock-")).length >= 30);
  });

  test("a ticket of a topic adopted since the fit is not novel", () => {
    const batch = [...tickets("card", 40, 70), ...tickets("crypto", 30, 71)];
    const crypto = updateNovelty(null, [], week("2026-01-19", 3, true), settings).proposals[0]!;
    const fromAdoption = adoptIntoModel(model, crypto, { rows: 100, documentFrequency: () => 10 });
    // Published, the adopted model's version is its manifest's.
    const adopted = {
      ...fromAdoption,
      model: { ...fromAdoption.model, version: "v2", createdAt: "2026-01-19T00:00:00.000Z" },
    };
    const before = findNovel(adopted.model, new Set(), training, batch, settings.signal).novel;
    const after = findNovel(
      adopted.model,
      new Set([adopted.topicId]),
      training,
      batch,
      settings.signal,
    ).novel;
    assert.ok(before.filter((t) => t.id.startsWith("crypto-")).length >= 25);
    assert.equal(after.filter((t) => t.id.startsWith("crypto-")).length, 0);
  });
});

describe("novelty pool and proposals", () => {
  test("a pooled ticket whose nearest cluster members are training tickets leaves its cluster", () => {
    const extra = ["today", "please", "now", "app", "quickly"];
    const doc = (verb: string, i: number) => [verb, "pin", extra[i % extra.length]!];
    // Rows 0–19: a new kind; 20–29: pooled tickets of a known one; 30–59: that kind's training tickets.
    const docs = [
      ...Array.from({ length: 20 }, (_, i) => doc("change", i)),
      ...Array.from({ length: 10 }, (_, i) => doc("unblock", i)),
      ...Array.from({ length: 30 }, (_, i) => doc("unblock", i)),
    ];
    const options = { ...defaultClusterOptions, docsPerTopic: 30 };
    const members = (referenceFrom: number) =>
      clusterPool(docs, {}, options, referenceFrom).flatMap((c) => c.members.filter((m) => m < 30));
    const pruned = members(30);
    assert.deepEqual(
      pruned.filter((m) => m >= 20),
      [],
      "the known kind's pooled tickets are gone",
    );
    assert.equal(pruned.filter((m) => m < 20).length, 20, "the new kind's stay");
    assert.ok(
      members(docs.length).filter((m) => m >= 20).length >= 10,
      "without reference rows nothing leaves",
    );
  });

  const quiet = updateNovelty(null, [], week("2026-01-12", 2, false), settings);
  const first = updateNovelty(quiet, [], week("2026-01-19", 3, true), settings);
  const second = updateNovelty(first, [], week("2026-01-26", 4, true), settings);

  test("a quiet week proposes nothing", () => {
    assert.deepEqual(quiet.proposals, []);
  });

  test("a new kind of ticket becomes one proposal with its terms, representatives and size per day", () => {
    const [proposal, ...rest] = first.proposals;
    assert.equal(rest.length, 0, JSON.stringify(first.proposals.map((p) => p.terms)));
    assert.ok(proposal);
    assert.equal(proposal.status, "proposed");
    assert.ok(proposal.terms.slice(0, 5).every((t) => themes.crypto.includes(t.term)));
    assert.ok(proposal.representatives.every((id) => id.startsWith("crypto-")));
    assert.deepEqual(proposal.sizeByDate, { "2026-01-19": 30 });
    assert.ok(proposal.phrases.length > 0);
    assert.equal(proposal.runs, 1);
  });

  test("the proposal keeps its id across runs and counts them; the pool keeps the older tickets", () => {
    assert.equal(second.proposals.length, 1);
    assert.equal(second.proposals[0]!.id, first.proposals[0]!.id);
    assert.equal(second.proposals[0]!.runs, 2);
    assert.deepEqual(second.proposals[0]!.sizeByDate, { "2026-01-19": 30, "2026-01-26": 30 });
  });

  test("a rerun of a date from the same inputs reproduces the state", () => {
    assert.deepEqual(updateNovelty(first, [], week("2026-01-26", 4, true), settings), second);
  });

  test("the adoption policy takes proposals seen in enough runs with enough tickets", () => {
    assert.deepEqual(adoptable(first, { runs: 2, size: 10 }), []);
    assert.deepEqual(
      adoptable(second, { runs: 2, size: 10 }).map((p) => p.id),
      [second.proposals[0]!.id],
    );
    assert.deepEqual(adoptable(second, { runs: 2, size: 100 }), []);
    assert.deepEqual(adoptable(second, null), []);
  });

  test("a rejected proposal is not proposed again, and its tickets leave the pool", () => {
    const id = second.proposals[0]!.id;
    const rejection: Decision = {
      proposal: id,
      decision: "rejected",
      date: "2026-01-26",
      reason: "spam",
      by: "person",
      snapshot: second.proposals[0]!,
    };
    const after: NoveltyState = updateNovelty(second, [rejection], week("2026-02-02", 5, true), settings);
    assert.deepEqual(
      after.proposals.map((p) => [p.id, p.status]),
      [[id, "rejected"]],
    );
    assert.ok(after.tickets.every((t) => t.date === "2026-02-02" || !t.id.startsWith("crypto-")));
  });

  test("relabelling the deciding date (from the pool before it) keeps the decision and never reuses its id", () => {
    const proposal = second.proposals[0]!;
    const accepted: Decision = {
      proposal: proposal.id,
      decision: "accepted",
      date: "2026-01-26",
      reason: "new product",
      by: "policy",
      topicId: 3,
      snapshot: proposal,
    };
    const rerun = updateNovelty(null, [accepted], week("2026-01-26", 4, true), settings);
    assert.deepEqual(
      rerun.proposals.map((p) => [p.id, p.status]),
      [[proposal.id, "accepted"]],
      "the crypto cluster matches the accepted proposal and is not proposed again",
    );
    assert.ok(rerun.nextProposal > Number(proposal.id.slice(4)));
  });

  test("tickets older than the window leave the pool", () => {
    const later = updateNovelty(second, [], week("2026-03-30", 6, false), settings);
    assert.ok(later.tickets.every((t) => t.date === "2026-03-30"));
  });
});

describe("adoption", () => {
  const state = updateNovelty(
    updateNovelty(null, [], week("2026-01-19", 3, true), settings),
    [],
    week("2026-01-26", 4, true),
    settings,
  );
  const proposal = state.proposals[0]!;
  const docs = tickets("crypto", 30, 9);
  const df = (term: string) => docs.filter((d) => d.tokens.includes(term)).length;
  const fromAdoption = adoptIntoModel(model, proposal, { rows: docs.length, documentFrequency: df });
  // Published, the adopted model's version is its manifest's.
  const adopted = {
    ...fromAdoption,
    model: { ...fromAdoption.model, version: "v2", createdAt: "2026-01-26T00:00:00.000Z" },
  };

  test("adds one component with a new id; existing components, ids and known idf are unchanged", () => {
    assert.equal(adopted.topicId, 3);
    assert.deepEqual(adopted.model.topicIds, [0, 1, 2, 3]);
    assert.equal(adopted.model.k, 4);
    const cols = adopted.model.tfidf.vocabulary.length;
    const oldCols = model.tfidf.vocabulary.length;
    for (const [j, term] of model.tfidf.vocabulary.entries()) {
      const nj = adopted.model.tfidf.vocabulary.indexOf(term);
      assert.equal(adopted.model.tfidf.idf[nj], model.tfidf.idf[j]);
      for (let t = 0; t < 3; t++)
        assert.equal(adopted.model.components[t * cols + nj], model.components[t * oldCols + j]);
    }
    assert.deepEqual(adopted.model.tfidf.vocabulary, [...adopted.model.tfidf.vocabulary].sort());
    assert.equal(adopted.model.date, model.date, "the fit's date and training data stay");
  });

  test("relabelled with the adopted model, the new kind gets the new topic and known kinds keep theirs", () => {
    const before = labelDocuments(
      model,
      tickets("card", 20, 77).map((t) => t.tokens),
    );
    const after = labelDocuments(
      adopted.model,
      tickets("card", 20, 77).map((t) => t.tokens),
    );
    assert.deepEqual(after.topic, before.topic);
    const crypto = labelDocuments(
      adopted.model,
      docs.map((t) => t.tokens),
    );
    assert.ok(crypto.topic.every((t) => t === 3));
  });

  test("the taxonomy gains the topic; every existing entry stays as it was", () => {
    const base = defaultTaxonomy();
    const taxonomy = {
      ...base,
      version: 4,
      topics: [0, 1, 2].map((id) => nameTopic(id, [{ term: known[id]!, weight: 1 }], base.catalog)),
    };
    const next = adoptIntoTaxonomy(taxonomy, proposal, 3, "person");
    assert.equal(next.version, 5);
    assert.deepEqual(next.topics.slice(0, 3), taxonomy.topics);
    assert.deepEqual(
      { id: next.topics[3]!.id, name: next.topics[3]!.name, origin: next.topics[3]!.origin },
      { id: 3, name: proposal.name, origin: "person" },
    );
    assert.ok(next.departments.includes(next.topics[3]!.department));
    assert.throws(() => adoptIntoTaxonomy(next, proposal, 3, "person"), /already has topic 3/);
  });
});

describe("INFLOW_TOPICS_AUTO_ADOPT", () => {
  test("off by default; runs=R,size=S; anything else is a configuration error", () => {
    assert.equal(parseAdoptionPolicy(undefined), null);
    assert.equal(parseAdoptionPolicy("off"), null);
    assert.deepEqual(parseAdoptionPolicy("runs=2,size=30"), { runs: 2, size: 30 });
    for (const bad of ["on", "runs=2", "runs=0,size=3", "runs=2,size=3,x=1", "runs=1.5,size=3"])
      assert.throws(() => parseAdoptionPolicy(bad), ConfigError, bad);
  });
});
