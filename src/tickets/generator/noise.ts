/**
 * The messiness of real complaint text: typos, shouting or all-lowercase writers, and garbage rows
 * (empty, whitespace, numbers, nulls, symbol soup, one-word notes) that the pipeline must reject.
 */
import type { Rng } from "../../util/random.js";
import { pick } from "./template.js";

export const garbageKinds = ["empty", "whitespace", "number", "null", "symbols", "short"] as const;
export type GarbageKind = (typeof garbageKinds)[number];

const garbageWeights: Record<GarbageKind, number> = {
  empty: 0.3,
  whitespace: 0.14,
  number: 0.12,
  null: 0.14,
  symbols: 0.15,
  short: 0.15,
};

const whitespaceTexts = [" ", "   ", "\n", "\t", " \n \t ", "\r\n\r\n"] as const;
const symbolTexts = [
  "???",
  "...",
  "!!!",
  "$$$",
  "1234567890",
  "00000",
  "--",
  "#",
  "(XXX) XXX-XXXX",
  "12/12",
  "$0.00",
  "*",
];
const shortTexts = [
  "help",
  "see attached",
  "N/A",
  "fraud",
  "test",
  "XXXX",
  "call me",
  "na",
  "none",
  "refund",
] as const;

export function pickGarbageKind(rng: Rng): GarbageKind {
  let u = rng.next();
  for (const kind of garbageKinds) {
    u -= garbageWeights[kind];
    if (u < 0) return kind;
  }
  return "short";
}

export function garbageText(kind: GarbageKind, rng: Rng): unknown {
  switch (kind) {
    case "empty":
      return "";
    case "whitespace":
      return pick(rng, whitespaceTexts);
    case "number":
      return rng.next() < 0.5 ? rng.int(100000) : rng.int(1000) / 100;
    case "null":
      return null;
    case "symbols":
      return symbolTexts[rng.int(symbolTexts.length)]!.replace("X", String(rng.int(10)));
    case "short":
      return pick(rng, shortTexts);
  }
}

/**
 * About `rate` typos per word: swap two neighbouring lowercase letters, drop one, or double one.
 * Only lowercase letters are touched, so redactions (XXXX) and word boundaries survive.
 */
export function addTypos(text: string, words: number, rate: number, rng: Rng): string {
  let remaining = rng.poisson(words * rate);
  let attempts = remaining * 4;
  while (remaining > 0 && attempts-- > 0) {
    const i = rng.int(text.length - 1);
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    if (!isLower(a) || !isLower(b)) continue;
    const kind = rng.int(3);
    if (kind === 0 && a !== b) text = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
    else if (kind === 1) text = text.slice(0, i + 1) + text.slice(i + 2);
    else text = text.slice(0, i + 1) + text[i] + text.slice(i + 1);
    remaining--;
  }
  return text;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
