import assert from "node:assert/strict";
import { test } from "node:test";
import { distinctiveTerms, isShowable, nameTopic, taxonomyForTopics } from "../../src/topics/naming.js";
import { cfpbCatalog, defaultTaxonomy, unrouted } from "../../src/topics/taxonomy.js";

const weighted = (...terms: string[]) => terms.map((term, i) => ({ term, weight: terms.length - i }));

test("a catalog name needs two of its keywords, twice the runner-up's weight and the topic's own terms' weight", () => {
  const mortgage = nameTopic(0, weighted("mortgage", "escrow", "payment", "home", "loan"), cfpbCatalog);
  assert.deepEqual(
    [mortgage.name, mortgage.department, mortgage.origin],
    ["Mortgages/loans", "Lending", "catalog"],
  );
  // The demo's stolen-card topic: "card" alone is one keyword, "claim" one more of another entry.
  const stolen = nameTopic(1, weighted("steal", "thief", "card", "claim", "withdrawal", "pin"), cfpbCatalog);
  assert.deepEqual(
    [stolen.name, stolen.department, stolen.origin],
    ["steal / thief / card", unrouted, "top-terms"],
  );
  // Two keywords, but the topic's own terms weigh more: a password topic is no bank account.
  const password = nameTopic(
    2,
    weighted("password", "reset", "login", "unlock", "account", "check"),
    cfpbCatalog,
  );
  assert.equal(password.origin, "top-terms");
  // Two entries matched about equally: no clear margin.
  const mixed = nameTopic(3, weighted("card", "mortgage", "credit", "loan"), cfpbCatalog);
  assert.equal(mixed.origin, "top-terms");
});

test("without a catalog a topic is named from its distinctive terms, a phrase covering its words", () => {
  const phrase = nameTopic(3, weighted("annual", "express", "annual fee", "american express", "card"), []);
  assert.equal(phrase.name, "annual fee / american express / card", "a phrase takes its words' place");
  const topic = nameTopic(4, weighted("password reset", "password", "reset", "account locked", "login"), []);
  assert.deepEqual(
    [topic.name, topic.department, topic.topTerms.length],
    ["password reset / account locked / login", unrouted, 5],
  );
  assert.equal(nameTopic(5, [], []).name, "topic 5");
});

test("names never show profanity, redactions or pseudonymised tokens", () => {
  const topic = nameTopic(
    6,
    weighted("jyoqwxhz", "shit", "xxxx", "printer", "mehxlkvg toner", "toner", "paper"),
    [],
  );
  assert.equal(topic.name, "printer / toner / paper");
  for (const word of ["jyoqwxhz", "hgwlnxmp", "qwvpgayb", "fuck", "xxxx"])
    assert.equal(isShowable(word), false, word);
  for (const word of ["equifax", "bucharest", "sharepoint", "vpn", "cfpb", "password"])
    assert.equal(isShowable(word), true, word);
});

test("distinctive terms: class-based TF-IDF over each topic's tickets, phrases included, one-off terms left out", () => {
  const docs = [
    ["card", "stolen", "card", "block"],
    ["card", "stolen", "report"],
    ["card", "stolen", "police"],
    ["card", "arrive", "card"],
    ["card", "arrive", "delivery"],
    ["card", "arrive", "track"],
    ["unassigned", "card"],
  ];
  const topics = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
  const [stolen, arrive] = distinctiveTerms(docs, topics, 2);
  // BERTopic's weights by hand: class 0 holds 17 terms (10 words, 7 pairs), class 1 15; A = 16.
  const w = (count: number, total: number) => (count / 17) * Math.log(1 + 16 / total);
  assert.deepEqual(stolen, [
    { term: "card stolen", weight: w(3, 3) },
    { term: "stolen", weight: w(3, 3) },
    { term: "card", weight: w(4, 8) },
  ]);
  assert.deepEqual(
    arrive!.map((t) => t.term),
    ["arrive", "card arrive", "card"],
  );
});

test("after a refit, matched topics keep their names (a person's and automatic ones); only new ids are named", () => {
  const base = {
    ...defaultTaxonomy(cfpbCatalog),
    version: 4,
    departments: [...defaultTaxonomy(cfpbCatalog).departments, "IT"],
    topics: [
      { id: 0, name: "Password resets", department: "IT", origin: "person" as const, topTerms: ["password"] },
      {
        id: 1,
        name: "printer / toner",
        department: unrouted,
        origin: "top-terms" as const,
        topTerms: ["printer"],
      },
      { id: 2, name: "vanished", department: unrouted, origin: "top-terms" as const, topTerms: ["gone"] },
    ],
  };
  const terms = [
    weighted("mortgage", "escrow", "payment", "home", "loan"),
    weighted("password", "reset", "login"),
    weighted("printer", "paper", "mortgage"),
  ];
  const next = taxonomyForTopics(base, [7, 0, 1], terms, 5);
  assert.deepEqual(
    next.topics.map((t) => [t.id, t.name, t.department, t.origin]),
    [
      [7, "Mortgages/loans", "Lending", "catalog"],
      [0, "Password resets", "IT", "person"],
      [1, "printer / toner", unrouted, "top-terms"],
    ],
  );
  assert.deepEqual(next.topics[2]!.topTerms, ["printer", "paper", "mortgage"], "terms are refreshed");
  assert.equal(next.version, 5);
  assert.ok(next.departments.includes("IT"));
});

test("new topics a catalog entry names alike are told apart by their own terms; a kept name is left alone", () => {
  const base = {
    ...defaultTaxonomy(cfpbCatalog),
    version: 2,
    topics: [
      {
        id: 0,
        name: "Credit card / Prepaid card",
        department: "Cards",
        origin: "catalog" as const,
        topTerms: ["card"],
      },
    ],
  };
  const terms = [
    weighted("card", "credit", "limit", "statement"),
    weighted("card", "credit", "apr", "late", "payment"),
    weighted("card", "prepaid", "reward", "point", "gift"),
    weighted("mortgage", "escrow", "payment", "home", "loan"),
  ];
  const next = taxonomyForTopics(base, [0, 5, 6, 7], terms, 3);
  assert.deepEqual(
    next.topics.map((t) => [t.id, t.name, t.department, t.origin]),
    [
      [0, "Credit card / Prepaid card", "Cards", "catalog"],
      [5, "Credit card / Prepaid card: apr / late", "Cards", "catalog"],
      [6, "Credit card / Prepaid card: reward / point", "Cards", "catalog"],
      [7, "Mortgages/loans", "Lending", "catalog"],
    ],
  );
});
