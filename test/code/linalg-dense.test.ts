import assert from "node:assert/strict";
import { test } from "node:test";
import { gram, householderQr, multiply, solveUpperRight, upperCrossProduct } from "../../src/linalg/dense.js";
import { Rng } from "../../src/util/random.js";

// The scalar JavaScript the WebAssembly kernels replaced: they must give the same bits.

function multiplyReference(a: Float64Array, rows: number, l: number, b: Float64Array, cols: number) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let p = 0; p < l; p++) {
      const v = a[i * l + p]!;
      if (v !== 0) for (let c = 0; c < cols; c++) out[i * cols + c]! += v * b[p * cols + c]!;
    }
  return out;
}

function upperCrossReference(a: Float64Array, b: Float64Array, rows: number, l: number, out: Float64Array) {
  for (let i = 0; i < rows; i++)
    for (let r = 0; r < l; r++) {
      const v = a[i * l + r]!;
      if (v !== 0) for (let c = r; c < l; c++) out[r * l + c]! += v * b[i * l + c]!;
    }
  return out;
}

function solveUpperRightReference(a: Float64Array, rows: number, l: number, r: Float64Array): void {
  for (let row = 0; row < rows; row++)
    for (let j = 0; j < l; j++) {
      let v = a[row * l + j]!;
      for (let p = 0; p < j; p++) v -= a[row * l + p]! * r[p * l + j]!;
      a[row * l + j] = v / r[j * l + j]!;
    }
}

function householderReference(a: Float64Array, rows: number, l: number) {
  const work = a.slice();
  const head = new Float64Array(l);
  const beta = new Float64Array(l);
  const w = new Float64Array(l);
  const r = new Float64Array(l * l);
  const reflect = (target: Float64Array, c: number, from: number, v0: number, b: number): void => {
    w.fill(0);
    for (let i = c; i < rows; i++) {
      const vi = i === c ? v0 : work[i * l + c]!;
      if (vi !== 0) for (let j = from; j < l; j++) w[j]! += vi * target[i * l + j]!;
    }
    for (let j = from; j < l; j++) w[j]! *= b;
    for (let i = c; i < rows; i++) {
      const vi = i === c ? v0 : work[i * l + c]!;
      if (vi !== 0) for (let j = from; j < l; j++) target[i * l + j]! -= vi * w[j]!;
    }
  };
  for (let c = 0; c < l; c++) {
    const alpha = work[c * l + c]!;
    let sigma = 0;
    for (let i = c + 1; i < rows; i++) sigma += work[i * l + c]! * work[i * l + c]!;
    const norm = Math.sqrt(alpha * alpha + sigma);
    if (norm === 0) continue;
    const diag = alpha > 0 ? -norm : norm;
    head[c] = alpha - diag;
    beta[c] = 2 / (head[c]! * head[c]! + sigma);
    r[c * l + c] = diag;
    reflect(work, c, c + 1, head[c]!, beta[c]!);
    for (let j = c + 1; j < l; j++) r[c * l + j] = work[c * l + j]!;
  }
  const q = new Float64Array(rows * l);
  for (let c = 0; c < l; c++) q[c * l + c] = 1;
  for (let c = l - 1; c >= 0; c--) if (beta[c] !== 0) reflect(q, c, c, head[c]!, beta[c]!);
  return { q, r };
}

/** Gaussian entries, a quarter of them zero (the kernels skip zeros as the JavaScript did). */
function matrix(rng: Rng, length: number): Float64Array {
  return Float64Array.from({ length }, () => (rng.next() < 0.25 ? 0 : rng.normal()));
}

function upperTriangular(rng: Rng, l: number): Float64Array {
  const r = new Float64Array(l * l);
  for (let i = 0; i < l; i++)
    for (let j = i; j < l; j++) r[i * l + j] = i === j ? 1 + rng.next() : rng.normal();
  return r;
}

const WIDTHS = [1, 2, 3, 8, 11, 18, 22];

test("the WebAssembly dense kernels are bit-identical to the scalar JavaScript, odd and even widths", () => {
  const rng = new Rng(5);
  for (const l of WIDTHS) {
    for (const rows of [l, 37, 300]) {
      const label = `${rows}×${l}`;
      const a = matrix(rng, rows * l);
      const b = matrix(rng, rows * l);
      const small = matrix(rng, l * 5);
      assert.deepEqual(multiply(a, rows, l, small, 5), multiplyReference(a, rows, l, small, 5), label);
      const start = matrix(rng, l * l);
      assert.deepEqual(
        upperCrossProduct(a, b, rows, l, start.slice()),
        upperCrossReference(a, b, rows, l, start.slice()),
        label,
      );
      assert.deepEqual(gram(a, rows, l, new Float64Array(l * l)), gramOf(a, rows, l), label);
      const r = upperTriangular(rng, l);
      const solved = a.slice();
      const expected = a.slice();
      solveUpperRight(solved, rows, l, r);
      solveUpperRightReference(expected, rows, l, r);
      assert.deepEqual(solved, expected, label);
      const qr = householderQr(a, rows, l);
      const reference = householderReference(a, rows, l);
      assert.deepEqual(qr.q, reference.q, label);
      assert.deepEqual(qr.r, reference.r, label);
    }
  }
});

test("row-blocked kernels give the same bits on a matrix spanning several blocks", () => {
  const rng = new Rng(6);
  const l = 4;
  const rows = 300_000; // over 2^20 doubles of rows in every kernel, so the work runs in blocks
  const a = matrix(rng, rows * l);
  const small = matrix(rng, l * 3);
  assert.deepEqual(multiply(a, rows, l, small, 3), multiplyReference(a, rows, l, small, 3));
  const r = upperTriangular(rng, l);
  const solved = a.slice();
  const expected = a.slice();
  solveUpperRight(solved, rows, l, r);
  solveUpperRightReference(expected, rows, l, r);
  assert.deepEqual(solved, expected);
  assert.deepEqual(
    upperCrossProduct(a, a, rows, l),
    upperCrossReference(a, a, rows, l, new Float64Array(l * l)),
  );
});

function gramOf(a: Float64Array, rows: number, l: number): Float64Array {
  const out = upperCrossReference(a, a, rows, l, new Float64Array(l * l));
  for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) out[r * l + c] = out[c * l + r]!;
  return out;
}
