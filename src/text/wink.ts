import model from "wink-eng-lite-web-model";
import winkNLP, {
  type Document,
  type ItemToken,
  type ItsFunction,
  type ItsHelpers,
  type WinkMethods,
} from "wink-nlp";

/**
 * Universal POS tags that wink-eng-lite-web-model assigns; used to reject typos in a POS filter
 * (a filter naming "NN" would otherwise silently keep nothing).
 */
export const universalPosTags: ReadonlySet<string> = new Set([
  "ADJ",
  "ADP",
  "ADV",
  "AUX",
  "CCONJ",
  "DET",
  "INTJ",
  "NOUN",
  "NUM",
  "PART",
  "PRON",
  "PROPN",
  "PUNCT",
  "SCONJ",
  "SYM",
  "VERB",
  "X",
  "SPACE",
]);

/** The parts of wink's loaded core model that reading a document grows: value → index tables. */
export interface FeatureTable {
  hash: Record<string, number>;
  list: string[];
}
export interface CoreModel {
  features: Record<string, FeatureTable> & { lexeme: FeatureTable & { intrinsicSize: number } };
  packing: { layout: Record<string, readonly number[]>; size: number };
  lexicon: Uint32Array;
  trex: unknown;
  tcat: { hash: unknown };
  preserve: unknown;
}

/** One document's tokens as the preprocessor reads them; index `i` runs from 0 to `length - 1`. */
export interface TaggedDocument {
  readonly length: number;
  readonly values: readonly string[];
  /** Universal POS tags. */
  readonly tags: readonly string[];
  /** A number per tag, the same for the same tag in every document of one tagger. */
  readonly tagIds: readonly number[];
  /** Whether wink's token type is "word". */
  readonly words: readonly boolean[];
  /** Whether the token is part of a contraction's expansion ("ca" of "can't"). */
  readonly contractions: readonly boolean[];
  lemma(i: number): string | undefined;
  normal(i: number): string;
  /** UTF-16 offset of each token in the text read. */
  starts(): Int32Array;
}

/** What the preprocessor needs of a tokenizer and tagger: wink's pipeline or its exact fast path. */
export interface TokenTagger {
  /** The document's tokens, valid until the next `read`. */
  read(text: string): TaggedDocument;
  /**
   * Whether the model's lexicon holds `word` as a contraction. Taken whole ("cant." → "cant" + "."), such
   * a token has no lemma, and wink's lemma for it reads its expansion pointer as a word index: the
   * runtime word that happens to sit there once enough were added ("truist" for "cant"), so callers use
   * its normal form instead.
   */
  isContraction(word: string): boolean;
}

/**
 * wink's model, loaded once per thread, which reads every document as a freshly loaded model would.
 *
 * wink adds each out-of-vocabulary token it meets to its lexicon, and its tokenizer looks up every
 * whitespace-separated chunk in that lexicon before splitting it. So a ticket's tokens depended on
 * the tickets read before it: once "chili's," had added "chili's" (the word before a trailing
 * comma is taken whole), a later "chili's" stayed one PROPN token instead of "chili" NOUN + "'s",
 * and the preprocessing output changed with the order and the worker a ticket went to. Before each
 * document, the words earlier documents added are taken out of the lookup table again (all but
 * plain lower-case words, which read the same either way, see `plainWord`); the
 * lexicon's other tables only map feature values (prefix, suffix, shape) to numbers that are mapped
 * back to the same values, which holds while they fit their bit fields, so a document that makes one
 * overflow is read again on a reloaded model. The model is also reloaded once the runtime words,
 * which are never freed, pass `maxRuntimeWords` (memory: each holds its token's string).
 *
 * Sentence boundaries, entities, negation and sentiment are left out of the pipe: they cost about
 * half the throughput and nothing downstream reads them.
 */
export class FreshDocumentReader implements TokenTagger {
  private nlp!: WinkMethods;
  private lexeme!: CoreModel["features"]["lexeme"];
  /** Feature tables that hold value indexes, with how many values their bit field can hold. */
  private indexed!: { table: FeatureTable; capacity: number }[];
  /** Lexicon entries up to here are the model's own or already out of the lookup table. */
  private cleanUpTo = 0;
  /** The model's own words that its lexicon expands as contractions ("cant" → "ca" + "nt"). */
  private contractions!: ReadonlySet<string>;
  private readonly tagIds = new Map<string, number>();

  constructor(private readonly maxRuntimeWords = 500_000) {
    this.load();
  }

  /** wink's `its` helpers: the same functions for every instance. */
  get its(): ItsHelpers {
    return this.nlp.its;
  }

  readDoc(text: string): Document {
    this.forgetRuntimeWords();
    if (this.lexeme.list.length - this.lexeme.intrinsicSize > this.maxRuntimeWords || this.overflowed())
      this.load();
    const doc = this.nlp.readDoc(text);
    if (!this.overflowed()) return doc;
    this.load();
    return this.nlp.readDoc(text);
  }

  /** wink's own document API: the exact path that `FastWinkTagger` is checked against. */
  read(text: string): TaggedDocument {
    const its = this.nlp.its;
    const tokens = this.readDoc(text).tokens();
    const values = tokens.out(its.value);
    // wink's typings declare its.lemma with a parameter list that `out` does not accept; it works as is.
    const lemmaOf = its.lemma as ItsFunction<string | undefined>;
    const item = (i: number): ItemToken => tokens.itemAt(i);
    const tags = tokens.out(its.pos);
    return {
      length: values.length,
      values,
      tags,
      tagIds: tags.map((tag) => this.tagIds.get(tag) ?? this.tagIds.set(tag, this.tagIds.size).size - 1),
      words: tokens.out(its.type).map((type) => type === "word"),
      contractions: tokens.out(its.contractionFlag) as boolean[],
      lemma: (i) => item(i).out(lemmaOf),
      normal: (i) => item(i).out(its.normal),
      starts: () => tokenStarts(tokens.out(its.precedingSpaces), values),
    };
  }

  isContraction(word: string): boolean {
    return this.contractions.has(word);
  }

  /** The words of the model's own lexicon (letters only), as its tokenizer knows them. */
  lexiconWords(): string[] {
    return this.lexeme.list.slice(0, this.lexeme.intrinsicSize).filter((word) => /^\p{Ll}+$/u.test(word));
  }

  private load(): void {
    let core: CoreModel | undefined;
    this.nlp = winkNLP(
      {
        ...model,
        core: () => {
          core = (model.core as () => CoreModel)();
          return core;
        },
        metaCER: loadMetaCER,
      },
      ["pos"],
    );
    this.lexeme = core!.features.lexeme;
    this.cleanUpTo = this.lexeme.list.length;
    this.contractions = contractionsOf(core!);
    this.indexed = indexedTables(core!);
  }

  private forgetRuntimeWords(): void {
    const { hash, list } = this.lexeme;
    for (let i = this.cleanUpTo; i < list.length; i++) {
      if (hash[list[i]!] === i && !plainWord.test(list[i]!)) delete hash[list[i]!];
    }
    this.cleanUpTo = list.length;
  }

  private overflowed(): boolean {
    return this.indexed.some(({ table, capacity }) => table.list.length > capacity);
  }
}

/** The model's own words that its lexicon expands as contractions ("cant" → "ca" + "nt"). */
export function contractionsOf(core: CoreModel): ReadonlySet<string> {
  const [offset, mask, shift] = core.packing.layout.isContraction!;
  const { size } = core.packing;
  const { lexicon } = core;
  const { list, intrinsicSize } = core.features.lexeme;
  return new Set(
    list.slice(0, intrinsicSize).filter((_, i) => (lexicon[offset! + i * size]! & mask!) >>> shift! !== 0),
  );
}

/** Feature tables that hold value indexes, with how many values their bit field can hold. */
export function indexedTables(core: CoreModel): { table: FeatureTable; capacity: number }[] {
  return Object.entries(core.packing.layout)
    .filter(([, field]) => field[3] === 0)
    .map(([name, field]) => ({
      table: core.features[name]!,
      capacity: ((field[1]! >>> 0) >>> field[2]!) + 1,
    }));
}

/** Offset of each token in the text wink read (its spaces and values rebuild the text). */
function tokenStarts(spaces: string[], values: string[]): Int32Array {
  const starts = new Int32Array(values.length);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += spaces[i]!.length;
    starts[i] = at;
    at += values[i]!.length;
  }
  return starts;
}

/**
 * A runtime word of plain lower-case letters stays in the lookup table: wink reads such a chunk as
 * that one word whether it finds it there or adds it afresh (with the same features, computed from
 * its letters), so keeping it changes no token and spares adding it again in every document.
 */
export const plainWord = /^[a-z]+$/;

/**
 * wink-eng-lite-web-model's metaCER loader re-serialises a module-level value on every call, so
 * each further wink instance would get a longer string; the first result is the right one.
 */
let metaCER: unknown;
function loadMetaCER(): unknown {
  metaCER ??= (model.metaCER as () => unknown)();
  return metaCER;
}

/** What the preprocessor needs of wink: reading a document and the `its` helpers. */
export type PosPipeline = Pick<WinkMethods, "readDoc" | "its"> &
  Pick<FreshDocumentReader, "lexiconWords" | "isContraction">;

let posPipeline: FreshDocumentReader | undefined;

/**
 * The thread-wide wink pipeline that tokenizes and POS-tags (lemmas depend on the tag), loaded on
 * first use (a noticeable fraction of a second). A document's tokens, tags and lemmas depend on
 * that document only (see `FreshDocumentReader`).
 */
export function winkPosPipeline(): PosPipeline {
  posPipeline ??= new FreshDocumentReader();
  return posPipeline;
}
