import assert from "node:assert/strict";
import { test } from "node:test";
import { assembleKernel, watFiles } from "../../scripts/build-kernels.js";
import { gatherRow, scatterRow } from "../../src/topics/csr.js";
import { sharedMemory, sparseKernels } from "../../src/topics/kernels/sparse.js";
import { sparseWasm } from "../../src/topics/kernels/sparse-wasm.js";
import { Rng } from "../../src/util/random.js";

test("the committed kernel binary is the assembly of its .wat source", async () => {
  assert.deepEqual(watFiles(), ["sparse.wat"]);
  assert.deepEqual(
    Buffer.from(sparseWasm, "base64"),
    Buffer.from(await assembleKernel("sparse.wat")),
    "sparse.wat changed: run npm run build:kernels",
  );
});

test("wasm gather/scatter kernels are bit-identical to the JavaScript ones, for even and odd widths and empty rows", () => {
  const rng = new Rng(3);
  const rows = 57;
  const cols = 31;
  for (const k of [1, 2, 5, 8, 12, 22]) {
    // Random CSR with some empty rows, its arrays and the dense operands in one shared memory.
    const entries: [number, number, number][] = [];
    for (let i = 0; i < rows; i++) {
      if (i % 7 === 3) continue;
      for (let j = 0; j < cols; j++) if (rng.next() < 0.2) entries.push([i, j, rng.next() * 3 - 1]);
    }
    const total = entries.length;
    const offsets = {
      indptr: 0,
      indices: 512,
      data: align(512 + 4 * total),
      dense: 0,
      source: 0,
      gathered: 0,
      scattered: 0,
    };
    offsets.dense = align(offsets.data + 8 * total);
    offsets.source = align(offsets.dense + 8 * cols * k);
    offsets.gathered = align(offsets.source + 8 * rows * k);
    offsets.scattered = align(offsets.gathered + 8 * rows * k);
    const memory = sharedMemory(offsets.scattered + 8 * cols * k);
    const x = {
      rows,
      cols,
      indptr: new Int32Array(memory.buffer, offsets.indptr, rows + 1),
      indices: new Int32Array(memory.buffer, offsets.indices, total),
      data: new Float64Array(memory.buffer, offsets.data, total),
    };
    entries.forEach(([i, j, v], p) => {
      x.indptr[i + 1] = p + 1;
      x.indices[p] = j;
      x.data[p] = v;
    });
    for (let i = 1; i <= rows; i++) x.indptr[i] = Math.max(x.indptr[i]!, x.indptr[i - 1]!);
    const dense = new Float64Array(memory.buffer, offsets.dense, cols * k);
    const source = new Float64Array(memory.buffer, offsets.source, rows * k);
    for (const operand of [dense, source]) for (let i = 0; i < operand.length; i++) operand[i] = rng.normal();
    const gathered = new Float64Array(memory.buffer, offsets.gathered, rows * k).fill(Number.NaN);
    const scattered = new Float64Array(memory.buffer, offsets.scattered, cols * k);
    const kernels = sparseKernels(memory);
    const at = [offsets.indptr, offsets.indices, offsets.data] as const;

    kernels.gatherRows(...at, 0, rows, offsets.dense, k, offsets.gathered);
    const expected = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) gatherRow(x, i, dense, k, expected, i * k);
    assert.deepEqual(gathered, expected, `gather, k = ${k}`);

    kernels.scatterRows(...at, 0, rows, offsets.source, k, offsets.scattered);
    const expectedScatter = new Float64Array(cols * k);
    for (let i = 0; i < rows; i++) scatterRow(x, i, source, i * k, k, expectedScatter);
    assert.deepEqual(scattered, expectedScatter, `scatter, k = ${k}`);

    // Single rows write only their k outputs.
    const row = 5;
    gathered.fill(7);
    kernels.gatherRow(...at, row, offsets.dense, k, offsets.gathered + 8 * k);
    assert.deepEqual(gathered.subarray(k, 2 * k), expected.subarray(row * k, row * k + k));
    assert.ok(
      gathered.subarray(0, k).every((v) => v === 7) && gathered.subarray(2 * k).every((v) => v === 7),
    );
  }
});

test("a working set over WebAssembly's 4 GiB is refused with a clear error", () => {
  assert.throws(() => sharedMemory(5 * 2 ** 30), /5\.0 GiB, over WebAssembly's 4 GiB/);
});

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
