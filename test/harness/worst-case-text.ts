import type { Rng } from "../../src/util/random.js";

/** At least `chars` characters of random lowercase words (3–32 letters): every word new to the lexicon and to wink. */
export function uniqueWords(rng: Rng, chars: number): string {
  let text = "";
  while (text.length < chars) {
    let word = "";
    for (let i = 0, n = 3 + rng.int(30); i < n; i++) word += String.fromCharCode(97 + rng.int(26));
    text += `${word} `;
  }
  return text;
}
