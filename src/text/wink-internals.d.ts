/**
 * The parts of wink-nlp's own modules that src/text/wink-tagger.ts composes (wink-nlp 2.4; the package
 * has no `exports` map, so these files are its public layout). Typed as far as the tagger uses them.
 */
declare module "wink-nlp/src/cache.js" {
  /** wink's lexicon over a loaded core model: lookups, lazily added out-of-vocabulary words, properties. */
  export interface WinkCache {
    value(index: number): string;
    property(index: number, name: string): number | string | null;
    valueOf(feature: string, index: number): string;
    isMemberPOS(lexeme: number, pos: number): boolean;
  }
  export default function Cache(model: unknown, featureFn: unknown): WinkCache;
}

declare module "wink-nlp/src/compile-trex.js" {
  export interface CompiledTrex {
    helpers: { splitter: RegExp };
  }
  export default function compileTRex(trex: unknown): CompiledTrex;
}

declare module "wink-nlp/src/tokenizer.js" {
  import type { CompiledTrex } from "wink-nlp/src/compile-trex.js";
  import type { DocDataWrapper } from "wink-nlp/src/dd-wrapper.js";
  export default function tokenizer(
    trex: CompiledTrex,
    categories: unknown,
    preserve: unknown,
  ): (doc: DocDataWrapper, text: string) => void;
}

/** wink's raw document data: 4 numbers per token (lexeme, spaces and expansion, pos and lemma, flags). */
declare module "wink-nlp/src/dd-wrapper.js" {
  import type { WinkCache } from "wink-nlp/src/cache.js";
  export interface RawDocument {
    cache: WinkCache;
    tokens: number[];
    nonBreakingSpaces: Record<number, string>;
    numOfTokens?: number;
  }
  export interface DocDataWrapper {
    readonly brand: "DocDataWrapper";
  }
  export default function docDataWrapper(data: RawDocument): DocDataWrapper;
}

declare module "wink-nlp/src/tokens-mappers.js" {
  import type { RawDocument } from "wink-nlp/src/dd-wrapper.js";

  const mappers: {
    mapRawTokens2UIdOfNormal(rdd: RawDocument): number[];
    mapRawTokens2UIdOfDefaultPOS(rdd: RawDocument): number[];
  };
  export default mappers;
}

declare module "wink-nlp/src/its.js" {
  import type { RawDocument } from "wink-nlp/src/dd-wrapper.js";

  const its: {
    pos(index: number, rdd: RawDocument): string;
    type(index: number, rdd: RawDocument): string;
    value(index: number, rdd: RawDocument): string;
    normal(index: number, rdd: RawDocument): string;
    lemma(index: number, rdd: RawDocument, addons: unknown): string | undefined;
  };
  export default its;
}

declare module "wink-nlp/src/constants.js" {
  const constants: { tkSize: number; bits4lemma: number; posMask: number; psMask: number };
  export default constants;
}
