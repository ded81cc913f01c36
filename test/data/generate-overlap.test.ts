/**
 * The corpus must be neither trivial nor noise: classes share vocabulary, yet a plain bag-of-words
 * nearest-centroid classifier separates them well above chance and clearly below perfection.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { departments, generateTickets } from "../../src/tickets/generator/generate.js";

const stopWords = new Set(
  (
    "i me my we our you your he she it its they them their a an the and or but if of at by for with about to " +
    "from in on up out over under again then once here there when where why how all any both each few more most " +
    "other some such no nor not only own same so than too very can will just do does did have has had am is are " +
    "was were be been being this that these those what which who whom as until while into through during before " +
    "after above below off further should now would could also xxxx xx"
  ).split(" "),
);

const rows = [
  ...generateTickets({
    count: 5000,
    seed: 2024,
    garbageRate: 0,
    startDate: "2020-01-01",
    endDate: "2020-12-31",
  }),
];

function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? []).filter(
    (word) => word.length > 1 && !stopWords.has(word),
  );
}

/** L2-normalised term counts. */
function unitVector(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  let norm = 0;
  for (const value of counts.values()) norm += value * value;
  norm = Math.sqrt(norm);
  for (const [word, value] of counts) counts.set(word, value / norm);
  return counts;
}

test("each department's top-30 words share several words with another department", () => {
  const top = departments.map((department) => {
    const counts = new Map<string, number>();
    for (const { ticket, truth } of rows) {
      if (truth.department !== department) continue;
      for (const word of tokens(ticket.text as string)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    return new Set(
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 30)
        .map(([word]) => word),
    );
  });
  top.forEach((words, i) => {
    const shared = Math.max(
      ...top.map((other, j) => (i === j ? 0 : [...words].filter((w) => other.has(w)).length)),
    );
    assert.ok(shared >= 5, `${departments[i]} shares only ${shared} top words`);
    assert.ok(shared < 30, `${departments[i]} has the same top words as another department`);
  });
});

test("a nearest-centroid classifier gets well above chance but below perfect accuracy", () => {
  const train = rows.slice(0, 4000);
  const heldOut = rows.slice(4000);
  const centroids = departments.map(() => new Map<string, number>());
  for (const { ticket, truth } of train) {
    const centroid = centroids[departments.indexOf(truth.department)]!;
    for (const [word, value] of unitVector(tokens(ticket.text as string))) {
      centroid.set(word, (centroid.get(word) ?? 0) + value);
    }
  }
  let correct = 0;
  for (const { ticket, truth } of heldOut) {
    const vector = unitVector(tokens(ticket.text as string));
    let best = -1;
    let bestScore = -1;
    centroids.forEach((centroid, k) => {
      let dot = 0;
      let norm = 0;
      for (const value of centroid.values()) norm += value * value;
      for (const [word, value] of vector) dot += value * (centroid.get(word) ?? 0);
      const score = dot / Math.sqrt(norm);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    });
    if (departments[best] === truth.department) correct++;
  }
  const accuracy = correct / heldOut.length;
  assert.ok(accuracy > 0.6 && accuracy < 0.97, `nearest-centroid accuracy ${accuracy}`);
});

test("the product field is a noisy hint, not the department", () => {
  const byProduct = new Map<string, Map<string, number>>();
  for (const { ticket, truth } of rows) {
    const counts = byProduct.get(ticket.product) ?? new Map<string, number>();
    counts.set(truth.department, (counts.get(truth.department) ?? 0) + 1);
    byProduct.set(ticket.product, counts);
  }
  let majorityHits = 0;
  for (const counts of byProduct.values()) majorityHits += Math.max(...counts.values());
  const accuracy = majorityHits / rows.length;
  assert.ok(accuracy > 0.5 && accuracy < 0.93, `product -> department majority accuracy ${accuracy}`);
  const theftProducts = new Set(
    rows.filter((row) => row.truth.department === "Theft/Dispute reporting").map((row) => row.ticket.product),
  );
  assert.ok(theftProducts.size >= 3, "theft and disputes are filed under several products");
});
