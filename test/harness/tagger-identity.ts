/**
 * The fast tagger against wink's own document API (the exact path), on texts of the panel: the
 * shared check of test/code/text-tagger.test.ts (samples) and test/data/preprocess-fast-path.test.ts
 * (whole corpora).
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { createTaggedTerms, type PreprocessOptions, prepareText } from "../../src/text/preprocess.js";
import { FreshDocumentReader, type TaggedDocument } from "../../src/text/wink.js";
import { FastWinkTagger } from "../../src/text/wink-tagger.js";
import { type PanelCorpus, realDatasets } from "../../src/tickets/quality-data.js";

/** Every text of a panel corpus (out-of-scope rows included), or every `step`-th one. */
export function panelTexts(corpus: PanelCorpus, step = 1): string[] {
  const { file, textColumn } = realDatasets[corpus];
  const rows = parse(gunzipSync(readFileSync(new URL(`../../data/${file}`, import.meta.url))), {
    columns: true,
  }) as Record<string, string>[];
  return rows.filter((_, i) => i % step === 0).map((row) => row[textColumn]!);
}

/** A token-by-token description of a tagged document: value, tag, type, contraction flag, offset. */
function describe(doc: TaggedDocument): string {
  const starts = doc.starts();
  const parts: string[] = [];
  for (let i = 0; i < doc.length; i++) {
    parts.push(
      `${doc.values[i]}/${doc.tags[i]}/${doc.words[i] ? "w" : "-"}${doc.contractions[i] ? "c" : ""}@${starts[i]}`,
    );
  }
  return parts.join(" ");
}

let readers: { exact: FreshDocumentReader; fast: FastWinkTagger } | undefined;

/**
 * The first texts (at most `limit` of them) on which the two paths differ, in tokens or in terms. The
 * two readers live as long as the test file: each is meant to read any document as a fresh one would.
 */
export function differences(texts: string[], options: Partial<PreprocessOptions>, limit = 5): string[] {
  readers ??= { exact: new FreshDocumentReader(), fast: new FastWinkTagger() };
  const { exact, fast } = readers;
  const exactTerms = createTaggedTerms(options, exact);
  const fastTerms = createTaggedTerms(options, fast);
  const found: string[] = [];
  for (const text of texts) {
    const prepared = prepareText(text);
    if (
      describe(exact.read(prepared)) !== describe(fast.read(prepared)) ||
      exactTerms(prepared).join(" ") !== fastTerms(prepared).join(" ")
    ) {
      found.push(text);
      if (found.length >= limit) break;
    }
  }
  return found;
}
