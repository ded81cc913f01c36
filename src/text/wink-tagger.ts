import model from "wink-eng-lite-web-model";
import createCache, { type WinkCache } from "wink-nlp/src/cache.js";
import compileTRex from "wink-nlp/src/compile-trex.js";
import constants from "wink-nlp/src/constants.js";
import docDataWrapper, { type RawDocument } from "wink-nlp/src/dd-wrapper.js";
import its from "wink-nlp/src/its.js";
import tokenizer from "wink-nlp/src/tokenizer.js";
import mappers from "wink-nlp/src/tokens-mappers.js";
import { ChunkMemo, hashStart, hashStep } from "./chunk-memo.js";
import { PosAutomaton } from "./pos-automaton.js";
import {
  type CoreModel,
  contractionsOf,
  type FeatureTable,
  indexedTables,
  plainWord,
  type TaggedDocument,
  type TokenTagger,
} from "./wink.js";

/**
 * What wink made of one whitespace-free chunk of text, read alone on the model of a fresh document,
 * packed in few objects (the memo holds many): per token, `fields` numbers.
 */
interface ChunkTokens {
  /**
   * Per token: wink's 3 raw numbers (lexeme; spaces and expansion, the spaces left at the marker 1 on
   * the tokens that carry the chunk's preceding spaces; POS and lemma), then the tagger's inputs:
   * the normal form's lexeme, the default tag, the `posHint` the transformer puts in place of the
   * tag (or 0), and flags (1: wink type "word", 2: part of a contraction's expansion).
   */
  numbers: Int32Array;
  values: string[];
  /** Out-of-vocabulary words (not plain, see `plainWord`) the chunk added to the lexicon, with their index. */
  added: readonly [string, number][];
}

const fields = 7;
const isWord = 1;
const inContraction = 2;
const noWords: readonly [string, number][] = [];

const { tkSize, bits4lemma, posMask, psMask } = constants;
/** wink's POS transformer: a token with a `posHint` enters the automata as hint + this offset. */
const hintOffset = 1_080_000;
/** wink-eng-lite-web-model's splitter, which `readTokens` implements by character kinds. */
const splitterSource = String.raw`([ \u00a0\u2002-\u2005\u2009\u200a\u202f\u205f]+|[\n\r\t]+)`;
const other = 0;
const space = 1;
const lineBreak = 2;

/** A character's kind for wink's splitter: one of its spaces, a line break or tab, or other. */
function characterKind(code: number): number {
  if (code === 0x20) return space;
  if (code === 0x0a || code === 0x0d || code === 0x09) return lineBreak;
  if (code < 0xa0) return other;
  return code === 0xa0 ||
    (code >= 0x2002 && code <= 0x2005) ||
    code === 0x2009 ||
    code === 0x200a ||
    code === 0x202f ||
    code === 0x205f
    ? space
    : other;
}

/**
 * wink's POS pipeline (tokenizer, POS automata, lemmatizer) composed from wink's own modules without
 * its document object, reading every document as `FreshDocumentReader` does (as a freshly loaded
 * model would), and remembering what the tokenizer made of each whitespace-separated chunk.
 *
 * Why a chunk can be remembered: wink's tokenizer treats each chunk on its own, except through the
 * lexicon's lookup table, and every key it looks up or adds while splitting a chunk is a piece of
 * that chunk. At a document's start that table holds the model's words and plain lower-case words
 * (which read the same either way, see `plainWord`); other words enter it only from chunks of the same
 * document. So a chunk read once gives the same tokens in any document in which no such word added
 * earlier is a substring of it; where one is, the chunk is tokenized afresh. Replaying a chunk puts
 * the words it would have added back into the table, so later chunks see what they would have seen.
 * The tokens then go through wink's own mappers, POS automata, updater and setter, and `its` helpers
 * (lemma, normal, tag) as in `readDoc`: the output equals `FreshDocumentReader`'s token for token
 * (test/code/text-tagger.test.ts on samples of the panel, test/data/preprocess-fast-path.test.ts on
 * all of it).
 *
 * The model is reloaded, and the chunk memo emptied, as `FreshDocumentReader` does: past
 * `maxRuntimeWords` added words or when a feature table outgrows its bit field (the document is
 * then read again). The memo is emptied at `maxChunks` entries.
 */
export class FastWinkTagger implements TokenTagger {
  private cache!: WinkCache;
  private lexeme!: CoreModel["features"]["lexeme"];
  private indexed!: { table: FeatureTable; capacity: number }[];
  private contractionWords!: ReadonlySet<string>;
  private tokenize!: ReturnType<typeof tokenizer>;
  private automata!: PosAutomaton[];
  private setter!: (rdd: RawDocument, posTags: number[], tkSize: number, bits4lemma: number) => void;
  private tagNames: string[] = [];
  /** wink's updater test: whether the lexicon allows `tag` for token `i`'s normal form. */
  private readonly allows = (i: number, tag: number): boolean =>
    this.cache.isMemberPOS(this.normals[i]!, tag);
  /** The tag index that wink's POS automata skip (the lexicon's entry 0). */
  private skippedTag = 0;
  private cleanUpTo = 0;
  private readonly chunks: ChunkMemo<ChunkTokens>;
  /** Non-plain words this document added or replayed into the lookup table, in order. */
  private addedInDoc: string[] = [];
  /** Words a replay put back into the lookup table (below `cleanUpTo`): taken out before the next document. */
  private replayed: string[] = [];

  // The current document, reused from read to read.
  private rdd!: RawDocument;
  private posTags: number[] = [];
  private normals: number[] = [];
  private hints: number[] = [];
  private transformed: number[] = [];
  private readonly doc = new DocumentView(this);
  values: string[] = [];
  tags: string[] = [];
  tagIds: number[] = [];
  words: boolean[] = [];
  contractions: boolean[] = [];
  length = 0;

  constructor(
    private readonly maxRuntimeWords = 500_000,
    maxChunks = 200_000,
  ) {
    this.chunks = new ChunkMemo(maxChunks);
    this.load();
  }

  isContraction(word: string): boolean {
    return this.contractionWords.has(word);
  }

  read(text: string): TaggedDocument {
    this.forgetRuntimeWords();
    if (this.lexeme.list.length - this.lexeme.intrinsicSize > this.maxRuntimeWords || this.overflowed())
      this.load();
    this.readTokens(text);
    if (this.overflowed()) {
      this.load();
      this.readTokens(text);
    }
    this.tag();
    return this.doc;
  }

  lemma(i: number): string | undefined {
    return its.lemma(i, this.rdd, model.addons);
  }

  normal(i: number): string {
    return its.normal(i, this.rdd);
  }

  /** As wink's `reconstructSpaces` rebuilds them: preceding spaces, then the value. */
  starts(): Int32Array {
    const starts = new Int32Array(this.length);
    const { tokens, nonBreakingSpaces } = this.rdd;
    let at = 0;
    for (let i = 0; i < this.length; i++) {
      const count = tokens[i * tkSize + 1]! & psMask;
      at += count < 0xffff ? count : nonBreakingSpaces[i]!.length;
      starts[i] = at;
      at += this.values[i]!.length;
    }
    return starts;
  }

  private load(): void {
    const core = (model.core as () => CoreModel)();
    this.cache = createCache(core, model.featureFn);
    this.rdd = { cache: this.cache, tokens: [], nonBreakingSpaces: {} };
    this.lexeme = core.features.lexeme;
    this.cleanUpTo = this.lexeme.list.length;
    this.contractionWords = contractionsOf(core);
    this.indexed = indexedTables(core);
    const trex = compileTRex(core.trex);
    if (trex.helpers.splitter.source !== splitterSource)
      throw new Error(
        `wink's splitter is ${trex.helpers.splitter.source}; FastWinkTagger reads ${splitterSource}`,
      );
    this.tokenize = tokenizer(trex, core.tcat.hash, core.preserve);
    const pos = (model.pos as () => PosModel)();
    this.skippedTag = this.lexeme.hash[this.cache.value(0)]!;
    this.automata = pos.machines.map((machine) => new PosAutomaton(machine, this.skippedTag));
    this.setter = pos.setter;
    this.tagNames = [];
    this.chunks.clear();
    this.replayed = [];
    this.addedInDoc = [];
  }

  private forgetRuntimeWords(): void {
    const { hash, list } = this.lexeme;
    for (let i = this.cleanUpTo; i < list.length; i++) {
      if (hash[list[i]!] === i && !plainWord.test(list[i]!)) delete hash[list[i]!];
    }
    this.cleanUpTo = list.length;
    for (const word of this.replayed) delete hash[word];
    this.replayed = [];
    this.addedInDoc = [];
  }

  private overflowed(): boolean {
    return this.indexed.some(({ table, capacity }) => table.list.length > capacity);
  }

  /** wink's `tokenize` over the document, chunk by chunk, each from the memo where it is valid. */
  private readTokens(text: string): void {
    const { tokens, nonBreakingSpaces } = this.rdd;
    tokens.length = 0;
    for (const key in nonBreakingSpaces) delete nonBreakingSpaces[key];
    this.length = 0;
    let spaces = 0;
    let nbsp: string | null = null;
    // wink splits at runs of its spaces (which precede the next token) and at runs of line breaks and
    // tabs (which are tokens); every other run of characters is a chunk.
    for (let from = 0; from < text.length; ) {
      const code = text.charCodeAt(from);
      const kind = characterKind(code);
      let to = from + 1;
      if (kind === space) {
        let hasNbsp = code !== 0x20;
        for (
          let c = text.charCodeAt(to);
          to < text.length && characterKind(c) === space;
          c = text.charCodeAt(++to)
        )
          if (c !== 0x20) hasNbsp = true;
        spaces = hasNbsp ? 0xffff : Math.min(to - from, 0xfffe);
        nbsp = hasNbsp ? text.slice(from, to) : null;
      } else {
        // The chunk's hash for the memo is computed on the way (a-z first: most characters).
        let plain = code >= 0x61 && code <= 0x7a;
        let hash = hashStep(hashStart, code);
        for (; to < text.length; to++) {
          const c = text.charCodeAt(to);
          if (c >= 0x61 && c <= 0x7a && kind === other) hash = hashStep(hash, c);
          else if (characterKind(c) === kind) {
            plain = false;
            hash = hashStep(hash, c);
          } else break;
        }
        this.append(this.chunkTokens(text, from, to, plain, hash), spaces, nbsp);
        spaces = 0;
        nbsp = null;
      }
      from = to;
    }
  }

  /** The tokens of `text.slice(from, to)`; `plain`: all its characters are a-z; `hash`: its `hashOf`. */
  private chunkTokens(text: string, from: number, to: number, plain: boolean, hash: number): ChunkTokens {
    // Words in `addedInDoc` hold a character other than a-z, so a plain chunk holds none of them.
    const chunk = this.addedInDoc.length > 0 && !plain ? text.slice(from, to) : undefined;
    const depends = chunk !== undefined && this.addedInDoc.some((word) => chunk.includes(word));
    if (!depends) {
      const known = this.chunks.get(text, from, to, hash);
      if (known !== undefined) {
        const table = this.lexeme.hash;
        for (const [word, index] of known.added) {
          if (table[word] === undefined) {
            table[word] = index;
            this.replayed.push(word);
          }
          this.addedInDoc.push(word);
        }
        return known;
      }
    }
    const key = chunk ?? text.slice(from, to);
    const tokens = this.tokenizeAlone(key);
    if (!depends) this.chunks.set(key, tokens);
    return tokens;
  }

  /** wink's tokenizer on the chunk alone, after one space: the tokens that carry that space carry the document's. */
  private tokenizeAlone(chunk: string): ChunkTokens {
    const { list } = this.lexeme;
    const before = list.length;
    const rdd: RawDocument = { cache: this.cache, tokens: [], nonBreakingSpaces: {} };
    this.tokenize(docDataWrapper(rdd), ` ${chunk}`);
    const count = rdd.tokens.length / tkSize;
    rdd.numOfTokens = count;
    const added: [string, number][] = [];
    for (let i = before; i < list.length; i++) {
      const word = list[i]!;
      if (this.lexeme.hash[word] === i && !plainWord.test(word)) {
        added.push([word, i]);
        this.addedInDoc.push(word);
      }
    }
    const normals = mappers.mapRawTokens2UIdOfNormal(rdd);
    const defaultPos = mappers.mapRawTokens2UIdOfDefaultPOS(rdd);
    const numbers = new Int32Array(count * fields);
    const values: string[] = [];
    for (let i = 0; i < count; i++) {
      const raw = rdd.tokens;
      const hint = this.cache.property(raw[i * tkSize]!, "posHint");
      numbers.set(
        [
          raw[i * tkSize]!,
          raw[i * tkSize + 1]!,
          raw[i * tkSize + 2]!,
          normals[i]!,
          defaultPos[i]!,
          typeof hint === "number" && hint !== 0 ? hint + hintOffset : 0,
          (its.type(i, rdd) === "word" ? isWord : 0) | (raw[i * tkSize + 1]! > 0xffff ? inContraction : 0),
        ],
        i * fields,
      );
      values.push(its.value(i, rdd));
    }
    return { numbers, values, added: added.length > 0 ? added : noWords };
  }

  private append(chunk: ChunkTokens, spaces: number, nbsp: string | null): void {
    const { tokens, nonBreakingSpaces } = this.rdd;
    const { numbers, values } = chunk;
    for (let k = 0, at = 0; k < values.length; k++, at += fields) {
      const i = this.length++;
      const field = numbers[at + 1]!;
      const carriesSpace = (field & psMask) === 1;
      tokens.push(numbers[at]!, carriesSpace ? (field & ~psMask) | spaces : field, numbers[at + 2]!, 0);
      if (carriesSpace && nbsp !== null && spaces > 0) nonBreakingSpaces[i] = nbsp;
      this.normals[i] = numbers[at + 3]!;
      this.posTags[i] = numbers[at + 4]!;
      this.hints[i] = numbers[at + 5]!;
      this.values[i] = values[k]!;
      this.words[i] = (numbers[at + 6]! & isWord) !== 0;
      this.contractions[i] = (numbers[at + 6]! & inContraction) !== 0;
    }
  }

  /** wink's POS step of `readDoc`, with the transformer's hints applied up front. */
  private tag(): void {
    const n = this.length;
    const { posTags, normals, hints, transformed } = this;
    for (const column of [
      posTags,
      normals,
      hints,
      transformed,
      this.values,
      this.tags,
      this.words,
      this.contractions,
    ])
      column.length = n;
    for (const automaton of this.automata) {
      for (let i = 0; i < n; i++) {
        const tag = posTags[i]!;
        transformed[i] = tag === this.skippedTag || hints[i] === 0 ? tag : hints[i]!;
      }
      automaton.apply(transformed, n, posTags, this.allows);
    }
    this.rdd.numOfTokens = n;
    this.setter(this.rdd, posTags, tkSize, bits4lemma);
    // wink's its.pos, with the tag names looked up once.
    const tokens = this.rdd.tokens;
    for (let i = 0; i < n; i++) {
      const tag = (tokens[i * tkSize + 2]! & posMask) >>> bits4lemma;
      this.tags[i] = this.tagNames[tag] ??= this.cache.valueOf("pos", tag);
      this.tagIds[i] = tag;
    }
  }
}

interface PosModel {
  machines: string[];
  setter: FastWinkTagger["setter"];
}

/** The tagger's current document, read through its arrays (valid until the next `read`). */
class DocumentView implements TaggedDocument {
  constructor(private readonly tagger: FastWinkTagger) {}
  get length(): number {
    return this.tagger.length;
  }
  get values(): readonly string[] {
    return this.tagger.values;
  }
  get tags(): readonly string[] {
    return this.tagger.tags;
  }
  get tagIds(): readonly number[] {
    return this.tagger.tagIds;
  }
  get words(): readonly boolean[] {
    return this.tagger.words;
  }
  get contractions(): readonly boolean[] {
    return this.tagger.contractions;
  }
  lemma(i: number): string | undefined {
    return this.tagger.lemma(i);
  }
  normal(i: number): string {
    return this.tagger.normal(i);
  }
  starts(): Int32Array {
    return this.tagger.starts();
  }
}

let fastTagger: FastWinkTagger | undefined;

/** The thread-wide fast tagger, loaded on first use. */
export function fastWinkTagger(): FastWinkTagger {
  fastTagger ??= new FastWinkTagger();
  return fastTagger;
}
