import type { Predictor } from "../../src/classify/model-predict.js";

/** Short tickets of every seed topic, plus an empty one: each must give a finite, valid prediction. */
const warmupTexts = [
  "The bank closed my checking account and kept the deposit without notice.",
  "My credit card was charged an annual fee and the interest rate went up.",
  "Someone stole my identity and opened an account; the bank denied my fraud dispute.",
  "The mortgage servicer added escrow charges and started foreclosure on my home.",
  "A debt collector keeps calling about a debt that is not mine and reported it to the bureau.",
  "",
];

/**
 * Runs the new predictor before it serves: proves the preprocessing configuration and shapes work
 * end to end, and lets the JIT compile the hot path so the first real requests are not the slow ones.
 */
export function warmUp(predictor: Predictor, rounds = 20): void {
  for (let round = 0; round < rounds; round++) {
    for (const text of warmupTexts) {
      const p = predictor.predict(text);
      if (!(p.confidence >= 0 && p.confidence <= 1) || !Number.isInteger(p.topicId)) {
        throw new Error(`warm-up prediction is invalid (confidence ${p.confidence}, topic ${p.topicId})`);
      }
      for (const e of p.explanation) {
        if (!Number.isFinite(e.weight))
          throw new Error(`warm-up explanation weight is not finite for "${e.term}"`);
      }
    }
  }
}
