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

/** Unique random words and a 20k-character word in one batch: the tagger's worst case. */
export function worstCaseBatch(rng: Rng): { id: number; text: string }[] {
  const batch = Array.from({ length: 6 }, (_, id) => ({ id, text: uniqueWords(rng, 15_000) }));
  batch.push({ id: 6, text: `card ${"q".repeat(20_000)} fee` });
  return batch;
}

/** Probes `url`/api/health back to back until `request` is answered; returns the answer and the count. */
export async function healthAnswersDuring(
  url: string,
  request: Promise<Response>,
): Promise<{ response: Response; answered: number }> {
  let done = false;
  const answered = request.finally(() => {
    done = true;
  });
  let count = 0;
  while (!done) {
    const health = await fetch(`${url}/api/health`);
    if (health.status !== 200) throw new Error(`/api/health answered ${health.status}`);
    await health.arrayBuffer();
    if (!done) count++;
  }
  return { response: await answered, answered: count };
}
