import assert from "node:assert/strict";
import { test } from "node:test";
import { Eta } from "eta";
import { topicKeys } from "../../server/console/keys.js";
import { viewsDir } from "../../server/console/render.js";
import type { Taxonomy, TaxonomyTopic } from "../../src/topics/taxonomy.js";

const topic = (id: number, name: string, topTerms: string[]): TaxonomyTopic => ({
  id,
  name,
  department: "Cards",
  origin: "catalog",
  topTerms,
});
const taxonomy: Taxonomy = {
  version: 1,
  reviewThreshold: 0.5,
  departments: ["Cards"],
  topics: [
    topic(2, "Credit card / Prepaid card", ["annual", "annual fee", "fee", "fee post"]),
    topic(4, "Credit card / Prepaid card", ["limit", "credit limit", "credit"]),
    topic(9, "late / late fee", ["late", "late fee"]),
  ],
  catalog: [],
};

const eta = new Eta({ views: viewsDir, autoEscape: true, cache: false });
/** What every page receives from the console's renderer. */
const page = { csrf: "x", reviewer: "Ada", navigation: [], date: "2026-11-16", taxonomyVersion: 1 };

/** The review queue page as the console renders it (same views, same escaping), for one ticket. */
function renderQueue(): string {
  return eta.render("./queue", {
    ...page,
    title: "Review queue",
    strategy: "margin",
    items: [{ id: "t1", text: "My annual fee was charged twice", topic: 2, predicted: 2, margin: 0.4 }],
    keys: topicKeys(taxonomy),
    names: new Map(taxonomy.topics.map((t) => [t.id, t.name])),
    canUndo: false,
    progress: { mine: 0, labelled: 0, total: 1, perTopic: [] },
    path: "/queue",
  });
}

test("label choices of the same name show the terms that tell them apart; a unique name shows none", () => {
  const keys = topicKeys(taxonomy);
  assert.deepEqual(
    keys.map((k) => k.hint),
    [["annual", "annual fee", "fee"], ["limit", "credit limit", "credit"], []],
  );
  const html = renderQueue();
  assert.match(html, /Credit card \/ Prepaid card <span class="hint">\(annual, annual fee, fee\)<\/span>/);
  assert.match(
    html,
    /Credit card \/ Prepaid card <span class="hint">\(limit, credit limit, credit\)<\/span>/,
  );
  assert.doesNotMatch(html, /late \/ late fee <span class="hint">/);
});

test("the queue shows the ticket and its keys before how tickets are chosen (a phone's first screen)", () => {
  const html = renderQueue();
  const ticket = html.indexOf('class="ticket-text"');
  assert.ok(ticket > 0 && ticket < html.indexOf('id="label-form"'));
  assert.ok(html.indexOf('id="label-form"') < html.indexOf("How tickets are chosen"));
  assert.match(
    html,
    /<p>One typical ticket from each of several diverse groups: .* two best topics\)\.<\/p>/,
  );
});

test("every error page says what to do next and links back to the topics list", () => {
  for (const status of [400, 403, 404, 409, 500]) {
    const html = eta.render("./error", {
      ...page,
      title: "Error",
      path: "/x",
      status,
      message: "what went wrong",
      conflict: null,
    });
    assert.match(html, /<p class="next">[^<]+<a href="\/topics">the topics list<\/a>/, `status ${status}`);
  }
});

test("the model page says which router the API serves, and when it carries people's taxonomy edits", () => {
  const model = (served: { version: string; since: string } | null) =>
    eta.render("./model", { ...page, title: "Model", path: "/model", router: null, evaluations: [], served });
  assert.match(
    model({ version: "2026-11-09.manual__2026-11-09+taxonomy-v3", since: "2026-11-16" }),
    /The API serves <strong>2026-11-09\.manual__2026-11-09\+taxonomy-v3<\/strong>, the champion since 2026-11-16 \(its weights answering through the taxonomy people edited\)/,
  );
  assert.match(
    model({ version: "2026-11-09.manual__2026-11-09", since: "2026-11-09" }),
    /the champion since 2026-11-09\.<\/p>/,
  );
  assert.doesNotMatch(model(null), /The API serves/);
});
