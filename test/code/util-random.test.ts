import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/random.js";

test("Rng.poisson: mean and variance both near λ, P(0) near e^-λ, same draws for the same seed", () => {
  for (const mean of [0.3, 2, 4.5]) {
    const rng = new Rng(11);
    const n = 40_000;
    let sum = 0;
    let sumSquares = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(mean);
      assert.ok(Number.isInteger(k) && k >= 0);
      sum += k;
      sumSquares += k * k;
      if (k === 0) zeros++;
    }
    const sampleMean = sum / n;
    const variance = sumSquares / n - sampleMean * sampleMean;
    // 5 standard errors: the mean's is sqrt(λ/n); the sample variance's sqrt((λ + 2λ²)/n) (μ₄ = λ + 3λ²).
    assert.ok(Math.abs(sampleMean - mean) < 5 * Math.sqrt(mean / n), `λ=${mean}: mean ${sampleMean}`);
    assert.ok(
      Math.abs(variance - mean) < 5 * Math.sqrt((mean + 2 * mean * mean) / n),
      `λ=${mean}: variance ${variance}`,
    );
    const p0 = Math.exp(-mean);
    assert.ok(Math.abs(zeros / n - p0) < 5 * Math.sqrt((p0 * (1 - p0)) / n), `λ=${mean}: P(0) ${zeros / n}`);
  }
  const a = new Rng(5);
  const b = new Rng(5);
  for (let i = 0; i < 100; i++) assert.equal(a.poisson(3), b.poisson(3));
});
