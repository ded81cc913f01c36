/**
 * The SIMD WebAssembly loops of src/linalg/dense.ts (source: dense.wat), bit-identical to the
 * scalar JavaScript they replaced and 2–4× faster on the randomized-SVD start of NMF (V8 neither
 * vectorizes those loops nor drops their bounds checks). Operands are copied into the module's
 * memory and results out: a copy costs a small fraction of the arithmetic on a tall-skinny matrix.
 */
import { denseWasm } from "./dense-wasm.js";

export interface DenseKernels {
  multiply(a: number, rows: number, l: number, b: number, cols: number, out: number): void;
  upperCrossProduct(a: number, b: number, rows: number, l: number, out: number): void;
  solveUpperRight(a: number, rows: number, l: number, r: number): void;
  applyReflector(
    target: number,
    rows: number,
    l: number,
    c: number,
    from: number,
    v0: number,
    beta: number,
    reflector: number,
    reflectorWidth: number,
    col: number,
    w: number,
  ): void;
}

/** A memory this size or smaller is kept for the next call; a larger one lives for its call only. */
const KEPT_BYTES = 16 * 2 ** 20;

let compiled: WebAssembly.Module | undefined;
let kept: Workspace | undefined;

/** The kernels over a memory, and a Float64Array over all of it (offsets in doubles = bytes / 8). */
export interface Workspace {
  readonly kernels: DenseKernels;
  readonly heap: Float64Array;
}

/** A workspace of at least `doubles` doubles (contents unspecified). */
export function denseWorkspace(doubles: number): Workspace {
  const bytes = doubles * 8;
  if (kept !== undefined && kept.heap.byteLength >= bytes) return kept;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  compiled ??= new WebAssembly.Module(Buffer.from(denseWasm, "base64"));
  const kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as DenseKernels;
  const workspace = { kernels, heap: new Float64Array(memory.buffer) };
  if (bytes <= KEPT_BYTES) kept = workspace;
  return workspace;
}

/** Offsets (in doubles, each 16-byte aligned) of consecutive arrays of the given lengths, and their total. */
export function layout(...lengths: number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const length of lengths) {
    offsets.push(total);
    total += length + (length % 2);
  }
  return { offsets, total };
}
