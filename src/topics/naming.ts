import { createRequire } from "node:module";
import { isRedaction, lettersOnly } from "../text/token-rules.js";
import { winkPosPipeline } from "../text/wink.js";
import { type CatalogEntry, maxNameLength, type Taxonomy, type TaxonomyTopic, unrouted } from "./taxonomy.js";

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface DistinctiveTermsOptions {
  /** Terms kept per topic (default 10). */
  top?: number;
  /** A term must occur in at least this share of a topic's tickets (default 0.01), and in two. */
  minTicketShare?: number;
}

/**
 * Each topic's most distinctive terms and two-word phrases, by class-based TF-IDF (c-TF-IDF, as in
 * BERTopic): the tickets assigned to a topic form one class, and term t weighs
 *   W(t, c) = tf(t, c) / Σ_t' tf(t', c) · log(1 + A / f(t))
 * where tf(t, c) counts t in class c, f(t) counts t in all classes and A is the mean number of terms
 * per class. Terms are the tickets' tokens and adjacent token pairs ("card stolen"). A term in fewer
 * than two of the topic's tickets (or `minTicketShare` of them) is left out: one ticket's phrase is
 * not the topic's. `topics` holds each ticket's topic row, -1 for unassigned (left out). Sorted by
 * weight, ties by term, so the result is deterministic.
 */
export function distinctiveTerms(
  docs: readonly (readonly string[])[],
  topics: Int32Array,
  k: number,
  options: DistinctiveTermsOptions = {},
): WeightedTerm[][] {
  // Every assigned ticket as term ids: words first, then pairs of adjacent words (ids from `words.length`).
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  const assigned: number[] = [];
  const wordsOf: Int32Array[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (topics[i]! < 0) continue;
    assigned.push(i);
    wordsOf.push(
      Int32Array.from(docs[i]!, (word) => {
        let id = wordIds.get(word);
        if (id === undefined) {
          id = words.push(word) - 1;
          wordIds.set(word, id);
        }
        return id;
      }),
    );
  }
  const pairIds: Map<number, number>[] = Array.from({ length: words.length }, () => new Map());
  const pairs: [number, number][] = [];
  const termsOf = wordsOf.map((ids) => {
    const terms = new Int32Array(Math.max(0, 2 * ids.length - 1));
    for (let j = 0; j < ids.length; j++) {
      terms[2 * j] = ids[j]!;
      if (j + 1 === ids.length) break;
      const after = pairIds[ids[j]!]!;
      let pair = after.get(ids[j + 1]!);
      if (pair === undefined) {
        pair = words.length + pairs.push([ids[j]!, ids[j + 1]!]) - 1;
        after.set(ids[j + 1]!, pair);
      }
      terms[2 * j + 1] = pair;
    }
    return terms;
  });
  const termCount = words.length + pairs.length;
  const termText = (t: number): string =>
    t < words.length
      ? words[t]!
      : `${words[pairs[t - words.length]![0]]!} ${words[pairs[t - words.length]![1]]!}`;

  const total = new Float64Array(termCount);
  const classSize = new Float64Array(k);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (const [a, terms] of termsOf.entries()) {
    const c = topics[assigned[a]!]!;
    members[c]!.push(a);
    classSize[c]! += terms.length;
    for (const t of terms) total[t]!++;
  }
  const classes = classSize.filter((size) => size > 0).length;
  const meanClassSize = classSize.reduce((a, b) => a + b, 0) / Math.max(1, classes);

  // One class at a time over dense counters, reset through the list of terms it touched.
  const count = new Float64Array(termCount);
  const tickets = new Int32Array(termCount);
  const lastTicket = new Int32Array(termCount).fill(-1);
  return members.map((tick, c) => {
    const touched: number[] = [];
    for (const a of tick) {
      for (const t of termsOf[a]!) {
        if (count[t] === 0) touched.push(t);
        count[t]!++;
        if (lastTicket[t] !== a) {
          lastTicket[t] = a;
          tickets[t]!++;
        }
      }
    }
    const minTickets = Math.max(2, Math.ceil((options.minTicketShare ?? 0.01) * tick.length));
    const scored: { t: number; weight: number }[] = [];
    for (const t of touched) {
      if (tickets[t]! >= minTickets)
        scored.push({ t, weight: (count[t]! / classSize[c]!) * Math.log(1 + meanClassSize / total[t]!) });
      count[t] = 0;
      tickets[t] = 0;
    }
    // Texts are built for ties and the kept terms only: most terms of a large corpus are neither.
    scored.sort((a, b) => b.weight - a.weight || (termText(a.t) < termText(b.t) ? -1 : 1));
    return scored.slice(0, options.top ?? 10).map(({ t, weight }) => ({ term: termText(t), weight }));
  });
}

/** How a catalog name must win before a topic takes it. */
export const catalogRule = {
  /** Different keywords of the entry among the topic's terms: one shared word is no evidence. */
  minKeywords: 2,
  /** The entry's matched weight over the runner-up entry's. */
  marginOverNext: 2,
  /** The entry's matched weight over the weight of the topic's terms it does not match. */
  marginOverOwnTerms: 1,
} as const;

/** Terms a name is made of. */
const nameTerms = 3;

/**
 * Names a new topic from its distinctive terms (`distinctiveTerms`, strongest first). A catalog
 * entry names it only when `catalogRule` holds: at least two of the entry's keywords among the
 * terms, twice the matched weight of any other entry, and at least the weight of the topic's terms
 * it does not match. Otherwise the name is the topic's three strongest terms that may be shown
 * (`termsName`), and the topic waits in "Unrouted" for a person. The taxonomy is where people rename it.
 */
export function nameTopic(
  id: number,
  terms: readonly WeightedTerm[],
  catalog: readonly CatalogEntry[],
): TaxonomyTopic {
  const topTerms = terms.map((t) => t.term);
  const entry = catalogMatch(terms, catalog);
  if (entry) return { id, name: entry.name, department: entry.department, origin: "catalog", topTerms };
  return {
    id,
    name: termsName(terms, nameTerms) || `topic ${id}`,
    department: unrouted,
    origin: "top-terms",
    topTerms,
  };
}

/**
 * Up to `count` of the strongest terms that may be shown (no profanity, no pseudonymised or redacted
 * token), none with a word `skip` says to leave out; a phrase takes the place of the single words it
 * holds ("annual", then "annual fee"), and a word already in a chosen phrase is left out. "" when none is left.
 */
function termsName(
  terms: readonly WeightedTerm[],
  count: number,
  skip: (word: string) => boolean = () => false,
): string {
  const chosen: string[] = [];
  const used = new Set<string>();
  for (const { term } of terms) {
    const words = term.split(" ");
    if (!words.every(isShowable) || words.some(skip)) continue;
    const inside = words.length > 1 ? chosen.filter((c) => !c.includes(" ") && words.includes(c)) : [];
    if (inside.length > 0) {
      chosen.splice(chosen.indexOf(inside[0]!), 1, term);
      for (const word of inside.slice(1)) chosen.splice(chosen.indexOf(word), 1);
    } else {
      if (chosen.length === count || words.every((word) => used.has(word))) continue;
      if (words.length === 1 && chosen.some((c) => c.split(" ").includes(term))) continue;
      chosen.push(term);
    }
    for (const word of words) used.add(word);
  }
  // Long terms (up to the token limit) must not make a name the taxonomy refuses.
  return [...chosen.join(" / ")].slice(0, maxNameLength).join("").trim();
}

/** Terms that tell apart new topics a catalog entry names alike. */
const qualifierTerms = 2;

/**
 * The taxonomy for a refitted model's topics (`topicIds` by row, `terms` their distinctive terms): a
 * topic whose id the matching kept keeps its entry, so names stay stable across relabels and a
 * person's names and departments win; only new ids are named (`nameTopic`, with `base.catalog`).
 * When a catalog entry names a new topic that another topic already bears the name of, the new one's
 * name adds its own distinctive terms ("Mortgages/loans: escrow / payoff"): a person must be able to
 * tell the topics apart, and the department stays the entry's.
 */
export function taxonomyForTopics(
  base: Taxonomy,
  topicIds: readonly number[],
  terms: readonly (readonly WeightedTerm[])[],
  version: number,
): Taxonomy {
  const known = new Map(base.topics.map((t) => [t.id, t]));
  const named = topicIds.map((id, row) => {
    const existing = known.get(id);
    return existing
      ? { ...existing, topTerms: terms[row]!.map((t) => t.term) }
      : nameTopic(id, terms[row]!, base.catalog);
  });
  const bearers = new Map<string, number>();
  for (const topic of named) bearers.set(topic.name, (bearers.get(topic.name) ?? 0) + 1);
  const topics = named.map((topic, row) => {
    if (known.has(topic.id) || topic.origin !== "catalog" || bearers.get(topic.name)! < 2) return topic;
    // The entry's own words ("card" of "Credit card / Prepaid card", "loan" of "Mortgages/loans") tell nothing.
    const nameWords = topic.name.toLowerCase().split(/[^a-z]+/);
    const qualifier =
      termsName(terms[row]!, qualifierTerms, (word) => nameWords.some((n) => n.startsWith(word))) ||
      `topic ${topic.id}`;
    return { ...topic, name: [...`${topic.name}: ${qualifier}`].slice(0, maxNameLength).join("").trim() };
  });
  const departments = [
    ...new Set([
      ...base.departments,
      ...base.catalog.map((c) => c.department),
      ...topics.map((t) => t.department),
    ]),
  ];
  return { ...base, version, departments, topics };
}

function catalogMatch(terms: readonly WeightedTerm[], catalog: readonly CatalogEntry[]): CatalogEntry | null {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  const scores = catalog.map((entry) => {
    const keywords = new Set(entry.keywords);
    const hits = new Set<string>();
    let weight = 0;
    for (const { term, weight: w } of terms) {
      const matched = term.split(" ").filter((word) => keywords.has(word));
      if (matched.length === 0) continue;
      weight += w;
      for (const word of matched) hits.add(word);
    }
    return { entry, weight, keywords: hits.size };
  });
  scores.sort((a, b) => b.weight - a.weight);
  const [best, next] = scores;
  if (!best || best.keywords < catalogRule.minKeywords) return null;
  if (best.weight < catalogRule.marginOverNext * (next?.weight ?? 0)) return null;
  if (best.weight < catalogRule.marginOverOwnTerms * (total - best.weight)) return null;
  return best.entry;
}

let profanity: ReadonlySet<string> | undefined;
let letterPairs: LetterPairModel | undefined;

/** A word a topic name may show: not profanity, not a redaction or a pseudonym. */
export function isShowable(word: string): boolean {
  // LDNOOBW's English list (naughty-words); phrases are split, since names are made of single words.
  profanity ??= new Set(
    (createRequire(import.meta.url)("naughty-words/en.json") as string[])
      .flatMap((entry) => entry.split(" "))
      .map(lettersOnly),
  );
  if (profanity.has(word) || isRedaction(word)) return false;
  letterPairs ??= new LetterPairModel(
    winkPosPipeline()
      .lexiconWords()
      .filter((w) => /^[a-z]+$/.test(w)),
  );
  return !letterPairs.looksPseudonymised(word);
}

/**
 * Pseudonymisation tools replace names with random letters ("jyoqwxhz mehxlkvg"). Such a string is
 * not an English word and its letter pairs are ones English words rarely have: the mean log
 * probability of its letter transitions, under a letter-bigram model of wink's English lexicon
 * (add-one smoothing over 26 letters and 2 word boundaries), is below -3.6, where real out-of-lexicon words
 * of the panel (brand names, places, jargon: "equifax", "bucharest", "sharepoint") score above -3.5.
 * Short strings are left alone: acronyms ("cfpb", "vpn") score as low.
 */
class LetterPairModel {
  private readonly pairs = new Map<string, number>();
  private readonly starts = new Map<string, number>();
  private readonly words: ReadonlySet<string>;

  constructor(words: readonly string[]) {
    this.words = new Set(words);
    for (const word of words) {
      const padded = `^${word}$`;
      for (let i = 0; i + 1 < padded.length; i++) {
        this.pairs.set(padded.slice(i, i + 2), (this.pairs.get(padded.slice(i, i + 2)) ?? 0) + 1);
        this.starts.set(padded[i]!, (this.starts.get(padded[i]!) ?? 0) + 1);
      }
    }
  }

  looksPseudonymised(word: string): boolean {
    if (word.length < 6 || this.words.has(word)) return false;
    const padded = `^${word}$`;
    let logProbability = 0;
    for (let i = 0; i + 1 < padded.length; i++) {
      const pair = this.pairs.get(padded.slice(i, i + 2)) ?? 0;
      logProbability += Math.log((pair + 1) / ((this.starts.get(padded[i]!) ?? 0) + 28));
    }
    return logProbability / (padded.length - 1) < -3.6;
  }
}
