/**
 * The SIMD WebAssembly versions of gatherRow / scatterRow (src/topics/csr.ts) over a shared
 * WebAssembly.Memory, bit-identical to them and ~2× faster: V8 does not vectorize the JavaScript
 * loops and bounds-checks every access, while these run two doubles per instruction (measured on the
 * 100k-document bench corpus, width 12: gather 22 → 14 ms, scatter 24 → 14 ms; width 22: 40 → 21 ms
 * and 48 → 21 ms). Source: sparse.wat; all pointers are byte offsets into the memory.
 */
import { sparseWasm } from "./sparse-wasm.js";

export interface SparseKernels {
  /** out[0..k) = row i of X · dense (dense cols×k). */
  gatherRow(
    indptr: number,
    indices: number,
    data: number,
    i: number,
    dense: number,
    k: number,
    out: number,
  ): void;
  /** out (cols×k) += (row i of X)ᵀ · source[0..k). */
  scatterRow(
    indptr: number,
    indices: number,
    data: number,
    i: number,
    source: number,
    k: number,
    out: number,
  ): void;
  /** Rows [r0, r1) of X·dense into out (rows×k). */
  gatherRows(
    indptr: number,
    indices: number,
    data: number,
    r0: number,
    r1: number,
    dense: number,
    k: number,
    out: number,
  ): void;
  /**
   * The W half-step of NMF's coordinate descent over rows [r0, r1) (see sparse.wat); returns the
   * rows' summed projected-gradient violation. `xh` and `gradient` are k doubles of scratch.
   */
  sweepRows(
    indptr: number,
    indices: number,
    data: number,
    r0: number,
    r1: number,
    ht: number,
    k: number,
    w: number,
    hht: number,
    l1: number,
    xh: number,
    gradient: number,
    xtw: number,
    wtw: number,
  ): number;
  /** out (cols×k) += (rows [r0, r1) of X)ᵀ · source (rows×k). */
  scatterRows(
    indptr: number,
    indices: number,
    data: number,
    r0: number,
    r1: number,
    source: number,
    k: number,
    out: number,
  ): void;
}

/** Largest memory a wasm32 module can address: 65,536 pages of 64 KiB. */
export const MAX_MEMORY_BYTES = 65536 * 65536;

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, SparseKernels>();

/** A shared memory of at least `bytes` (zeroed), for sparseKernels. */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  if (bytes > MAX_MEMORY_BYTES) {
    throw new RangeError(
      `the NMF working set needs ${(bytes / 2 ** 30).toFixed(1)} GiB, over WebAssembly's 4 GiB: ` +
        "reduce the vocabulary (min_df, max_df) or fit on a sample",
    );
  }
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The kernels over `memory`, instantiated once per memory and thread. */
export function sparseKernels(memory: WebAssembly.Memory): SparseKernels {
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    compiled ??= new WebAssembly.Module(Buffer.from(sparseWasm, "base64"));
    kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SparseKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}
