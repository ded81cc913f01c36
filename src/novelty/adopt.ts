import { withoutIdentity } from "../store/model-identity.js";
import type { TopicModelFile } from "../topics/artifact.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import { compareCodePoints } from "../topics/term-counts.js";
import { inverseDocumentFrequency } from "../topics/tfidf.js";
import { rowNorms } from "../topics/topic-terms.js";
import type { Proposal } from "./pool.js";

/**
 * Adoption adds a proposal to the topic model as one more component with a new id, leaving every
 * other component, id and taxonomy entry as it was: the labels of existing topics change only where
 * the new topic explains a ticket better.
 *
 * The proposal's terms the model does not know join the vocabulary (kept in code point order, other
 * columns move with their terms), with the idf they have in `reference` (the documents of the
 * adopting run) — known terms keep theirs. The new component is the proposal's, scaled to the mean
 * norm of the existing components so that topic shares (assignment confidence) stay comparable.
 * `date` and `trainingData` stay those of the fit: they say which tickets the components came from.
 * The adopted model's version is the one its publication records.
 */
export function adoptIntoModel(
  model: TopicModelFile,
  proposal: Pick<Proposal, "component">,
  reference: { rows: number; documentFrequency: (term: string) => number },
): { model: TopicModelFile; topicId: number } {
  const oldCols = model.tfidf.vocabulary.length;
  const known = new Set(model.tfidf.vocabulary);
  const added = proposal.component.terms.filter((t) => !known.has(t));
  const vocabulary = [...model.tfidf.vocabulary, ...added].sort(compareCodePoints);
  const column = new Map(vocabulary.map((term, j) => [term, j]));
  const cols = vocabulary.length;
  const idf = new Float64Array(cols);
  model.tfidf.vocabulary.forEach((term, j) => {
    idf[column.get(term)!] = model.tfidf.idf[j]!;
  });
  for (const term of added) {
    const df = Math.max(1, reference.documentFrequency(term));
    const n = Math.max(reference.rows, df);
    idf[column.get(term)!] = inverseDocumentFrequency(n, df, model.tfidf.options);
  }
  const k = model.k + 1;
  const components = new Float64Array(k * cols);
  for (let t = 0; t < model.k; t++) {
    for (let j = 0; j < oldCols; j++) {
      components[t * cols + column.get(model.tfidf.vocabulary[j]!)!] = model.components[t * oldCols + j]!;
    }
  }
  const norms = rowNorms(model.components, model.k, oldCols);
  const target = norms.reduce((a, b) => a + b, 0) / Math.max(1, model.k);
  const own = Math.hypot(...proposal.component.weights);
  const scale = own > 0 ? (target || 1) / own : 0;
  proposal.component.terms.forEach((term, i) => {
    components[model.k * cols + column.get(term)!] = proposal.component.weights[i]! * scale;
  });
  const topicId = Math.max(-1, ...model.topicIds) + 1;
  return {
    topicId,
    model: {
      ...withoutIdentity(model),
      tfidf: { ...model.tfidf, vocabulary, idf },
      k,
      components,
      topicIds: [...model.topicIds, topicId],
    },
  };
}

/** The taxonomy with the adopted topic added under `topicId`; every existing entry is kept as it is. */
export function adoptIntoTaxonomy(
  taxonomy: Taxonomy,
  proposal: Pick<Proposal, "terms" | "name" | "suggestedDepartment" | "origin">,
  topicId: number,
  by: "person" | "policy",
): Taxonomy {
  if (taxonomy.topics.some((t) => t.id === topicId)) throw new Error(`taxonomy already has topic ${topicId}`);
  const department = proposal.suggestedDepartment;
  return {
    ...taxonomy,
    version: taxonomy.version + 1,
    departments: taxonomy.departments.includes(department)
      ? taxonomy.departments
      : [...taxonomy.departments, department],
    topics: [
      ...taxonomy.topics,
      {
        id: topicId,
        name: proposal.name,
        department,
        topTerms: proposal.terms.map((t) => t.term),
        // A person accepting it names it; a policy leaves the automatic name for a person to check.
        origin: by === "person" ? "person" : proposal.origin,
      },
    ],
  };
}
