import { boundText, defaultTextLimits, type TextLimits } from "../text/limits.js";
import { createPreprocessor } from "../text/preprocess.js";
import { InputError } from "../util/errors.js";
import type { RoutingModel } from "./model.js";

/**
 * What the router reads of a ticket, chosen per deployment by `train` (src/review/router-input-choice.ts)
 * and recorded in the model artifact:
 * - `terms`: the preprocess step's terms, which the topic model reads too (nouns, verbs, adjectives);
 * - `terms+words`: those terms and, as separate features, the ticket's surface words (`w:` + word);
 * - `words`: the surface words alone.
 * Surface words are scikit-learn's default tokens (`\w\w+`, lower-cased): the function words the
 * terms drop ("right", "say", "how") carry much of a short query's intent (clinc150), little of a
 * long narrative's (CFPB), so the choice is made on people's labels, never fixed.
 */
export type RouterInput = "terms" | "terms+words" | "words";

export const routerInputs: readonly RouterInput[] = ["terms", "terms+words", "words"];

/** Marks a surface word, so it never meets a term of the same spelling in the vocabulary. */
export const surfaceWordPrefix = "w:";

const wordPattern = /[\p{L}\p{N}_]{2,}/gu;

/** The model's router input; artifacts written before the choice existed read the terms. */
export function routerInputOf(model: Pick<RoutingModel, "routerInput">): RouterInput {
  return model.routerInput ?? "terms";
}

/** Whether this input needs the preprocess step's terms (tagging), or reads the surface words alone. */
export function readsTerms(input: RouterInput): boolean {
  return input !== "words";
}

/**
 * The router's features of one ticket: its preprocessed `terms` and its `text` as `input` says. Every
 * consumer of a routing model (train, evaluate, the console's queue, serve's exact and lexicon paths,
 * the stream, batch predict) goes through here, so a model is always read the way it was trained.
 * The text is bounded by the same limits as the terms (`boundText`).
 */
export function routerTerms(
  input: RouterInput,
  terms: readonly string[],
  text: string,
  limits: TextLimits = defaultTextLimits,
): readonly string[] {
  if (input === "terms") return terms;
  const words = (boundText(text, limits).toLowerCase().match(wordPattern) ?? []).map(
    (word) => surfaceWordPrefix + word,
  );
  return input === "words" ? words : [...terms, ...words];
}

/**
 * Many tickets' features (`routerTerms`) from their preprocessed tokens and, when `input` reads words,
 * their raw text by id: a ticket without its text is an error, never read as the terms alone.
 */
export function routerDocs(
  input: RouterInput,
  tickets: readonly { id: string; tokens: readonly string[] }[],
  texts: ReadonlyMap<string, string> | null,
  limits: TextLimits = defaultTextLimits,
): (readonly string[])[] {
  if (input === "terms") return tickets.map((t) => t.tokens);
  return tickets.map((t) => {
    const text = texts?.get(t.id);
    if (text === undefined) throw new InputError(`no text for ticket ${t.id}: the router reads its words`);
    return routerTerms(input, t.tokens, text, limits);
  });
}

/** Text → the model's router features, with the model's own (exact) preprocessing. */
export function routerTextTerms(model: Pick<RoutingModel, "routerInput" | "preprocessing">) {
  const input = routerInputOf(model);
  const preprocess = readsTerms(input) ? createPreprocessor(model.preprocessing) : () => [];
  return (text: string): readonly string[] => routerTerms(input, preprocess(text), text, model.preprocessing);
}
