import assert from "node:assert/strict";
import { test } from "node:test";
import { assembleKernel, watFiles } from "../../scripts/build-kernels.js";
import { gram } from "../../src/linalg/dense.js";
import { denseWasm } from "../../src/linalg/kernels/dense-wasm.js";
import { type Csr, gatherRow, scatterRow } from "../../src/topics/csr.js";
import { sharedMemory, sparseKernels } from "../../src/topics/kernels/sparse.js";
import { sparseWasm } from "../../src/topics/kernels/sparse-wasm.js";
import { updateRow } from "../../src/topics/nmf-sweep.js";
import { Rng } from "../../src/util/random.js";

test("the committed kernel binaries are the assembly of their .wat sources", async () => {
  assert.deepEqual(watFiles(), ["src/topics/kernels/sparse.wat", "src/linalg/kernels/dense.wat"]);
  for (const [file, committed] of [
    ["src/topics/kernels/sparse.wat", sparseWasm],
    ["src/linalg/kernels/dense.wat", denseWasm],
  ] as const) {
    assert.deepEqual(
      Buffer.from(committed, "base64"),
      Buffer.from(await assembleKernel(file)),
      `${file} changed: run npm run build:kernels`,
    );
  }
});

const WIDTHS = [1, 2, 5, 8, 12, 22];

test("wasm gather/scatter kernels are bit-identical to the JavaScript ones, for even and odd widths and empty rows", () => {
  const rng = new Rng(3);
  for (const k of WIDTHS) {
    const { x, kernels, csr, views } = workspace(rng, 57, 31, {
      dense: 31 * k,
      source: 57 * k,
      gathered: 57 * k,
      scattered: 31 * k,
    });
    const { dense, source, gathered, scattered } = views;
    fillNormal(rng, dense);
    fillNormal(rng, source);

    kernels.gatherRows(...csr, 0, x.rows, dense.byteOffset, k, gathered.byteOffset);
    const expected = new Float64Array(x.rows * k);
    for (let i = 0; i < x.rows; i++) gatherRow(x, i, dense, k, expected, i * k);
    assert.deepEqual(gathered, expected, `gather, k = ${k}`);

    kernels.scatterRows(...csr, 0, x.rows, source.byteOffset, k, scattered.byteOffset);
    const expectedScatter = new Float64Array(x.cols * k);
    for (let i = 0; i < x.rows; i++) scatterRow(x, i, source, i * k, k, expectedScatter);
    assert.deepEqual(scattered, expectedScatter, `scatter, k = ${k}`);

    // A range of rows writes only its rows' outputs.
    gathered.fill(7);
    kernels.gatherRows(...csr, 5, 6, dense.byteOffset, k, gathered.byteOffset);
    assert.deepEqual(gathered.subarray(5 * k, 6 * k), expected.subarray(5 * k, 6 * k));
    assert.ok(
      gathered.subarray(0, 5 * k).every((v) => v === 7) && gathered.subarray(6 * k).every((v) => v === 7),
    );
  }
});

test("the wasm W half-step is bit-identical to gather + updateRow + scatter + Gram in JavaScript, with and without l1", () => {
  const rng = new Rng(8);
  for (const k of WIDTHS) {
    for (const l1 of [0, 0.05]) {
      const rows = 40;
      const cols = 23;
      const { x, kernels, csr, views } = workspace(rng, rows, cols, {
        ht: cols * k,
        w: rows * k,
        g: k * k,
        xh: k,
        gradient: k,
        xtw: cols * k,
        wtw: k * k,
      });
      for (let i = 0; i < views.ht.length; i++) views.ht[i] = rng.next();
      for (let i = 0; i < views.w.length; i++) views.w[i] = rng.next() < 0.3 ? 0 : rng.next();
      gram(views.ht, cols, k, views.g);
      for (let t = 0; t < k; t++) views.g[t * k + t]! += 0.01;
      const w = views.w.slice();
      const xtw = new Float64Array(cols * k);
      const wtw = new Float64Array(k * k);
      const xh = new Float64Array(k);
      const gradient = new Float64Array(k);
      let violation = 0;
      for (let i = 3; i < rows; i++) {
        gatherRow(x, i, views.ht, k, xh, 0);
        if (l1 !== 0) for (let c = 0; c < k; c++) xh[c]! -= l1;
        violation += updateRow(w, i * k, k, views.g, xh, 0, gradient);
        scatterRow(x, i, w, i * k, k, xtw);
        for (let r = 0; r < k; r++) {
          const v = w[i * k + r]!;
          if (v !== 0) for (let c = r; c < k; c++) wtw[r * k + c]! += v * w[i * k + c]!;
        }
      }
      const at = (name: keyof typeof views): number => views[name].byteOffset;
      const result = kernels.sweepRows(
        ...csr,
        3,
        rows,
        at("ht"),
        k,
        at("w"),
        at("g"),
        l1,
        at("xh"),
        at("gradient"),
        at("xtw"),
        at("wtw"),
      );
      const label = `k = ${k}, l1 = ${l1}`;
      assert.equal(result, violation, label);
      assert.deepEqual(views.w, w, label);
      assert.deepEqual(views.xtw, xtw, label);
      assert.deepEqual(views.wtw, wtw, label);
    }
  }
});

test("the wasm H half-step is bit-identical to summing the partials + updateRow + Gram in JavaScript", () => {
  const rng = new Rng(9);
  for (const k of WIDTHS) {
    for (const l1 of [0, 0.05]) {
      const cols = 29;
      const parts = 3;
      const { kernels, views } = workspace(rng, 2, 2, {
        xtwParts: parts * cols * k,
        ht: cols * k,
        g: k * k,
        xw: k,
        gradient: k,
        hht: k * k,
      });
      for (let i = 0; i < views.xtwParts.length; i++) views.xtwParts[i] = rng.next();
      for (let i = 0; i < views.ht.length; i++) views.ht[i] = rng.next() < 0.3 ? 0 : rng.next();
      const w = Float64Array.from({ length: 11 * k }, () => rng.next());
      gram(w, 11, k, views.g);
      for (let t = 0; t < k; t++) views.g[t * k + t]! += 0.01;
      const ht = views.ht.slice();
      const hht = new Float64Array(k * k);
      const xw = new Float64Array(k);
      const gradient = new Float64Array(k);
      let violation = 0;
      for (let j = 2; j < cols; j++) {
        for (let c = 0; c < k; c++) {
          let sum = views.xtwParts[j * k + c]!;
          for (let p = 1; p < parts; p++) sum += views.xtwParts[p * cols * k + j * k + c]!;
          xw[c] = sum - l1;
        }
        violation += updateRow(ht, j * k, k, views.g, xw, 0, gradient);
        for (let r = 0; r < k; r++) {
          const v = ht[j * k + r]!;
          if (v !== 0) for (let c = r; c < k; c++) hht[r * k + c]! += v * ht[j * k + c]!;
        }
      }
      const at = (name: keyof typeof views): number => views[name].byteOffset;
      const result = kernels.sweepColumns(
        at("xtwParts"),
        parts,
        cols * k * 8,
        2,
        cols,
        at("ht"),
        k,
        at("g"),
        l1,
        at("xw"),
        at("gradient"),
        at("hht"),
      );
      const label = `k = ${k}, l1 = ${l1}`;
      assert.equal(result, violation, label);
      assert.deepEqual(views.ht, ht, label);
      assert.deepEqual(views.hht, hht, label);
    }
  }
});

test("a working set over WebAssembly's 4 GiB is refused with a clear error", () => {
  assert.throws(
    () => sharedMemory(5 * 2 ** 30, { name: "NMF", remedy: "fit on a sample" }),
    /the NMF working set needs 5\.0 GiB, over WebAssembly's 4 GiB: fit on a sample/,
  );
});

/** A random CSR (every seventh row empty) and named float arrays, all in one shared memory. */
function workspace<Name extends string>(rng: Rng, rows: number, cols: number, floats: Record<Name, number>) {
  const entries: [number, number, number][] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 7 === 3) continue;
    for (let j = 0; j < cols; j++) if (rng.next() < 0.2) entries.push([i, j, rng.next() * 3 - 1]);
  }
  const total = entries.length;
  let bytes = 0;
  const place = (size: number): number => {
    const at = Math.ceil(bytes / 16) * 16;
    bytes = at + size;
    return at;
  };
  const csr = [place(4 * (rows + 1)), place(4 * total), place(8 * total)] as const;
  const names = Object.keys(floats) as Name[];
  const offsets = names.map((name) => place(8 * floats[name]));
  const memory = sharedMemory(bytes, { name: "test", remedy: "none" });
  const x: Csr = {
    rows,
    cols,
    indptr: new Int32Array(memory.buffer, csr[0], rows + 1),
    indices: new Int32Array(memory.buffer, csr[1], total),
    data: new Float64Array(memory.buffer, csr[2], total),
  };
  entries.forEach(([i, j, v], p) => {
    x.indptr[i + 1] = p + 1;
    x.indices[p] = j;
    x.data[p] = v;
  });
  for (let i = 1; i <= rows; i++) x.indptr[i] = Math.max(x.indptr[i]!, x.indptr[i - 1]!);
  const views = Object.fromEntries(
    names.map((name, n) => [name, new Float64Array(memory.buffer, offsets[n], floats[name])]),
  ) as Record<Name, Float64Array>;
  return { x, kernels: sparseKernels(memory), csr, views };
}

function fillNormal(rng: Rng, array: Float64Array): void {
  for (let i = 0; i < array.length; i++) array[i] = rng.normal();
}
