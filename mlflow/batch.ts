import type { MlflowMetric, MlflowParam, MlflowTag } from "./types.js";

/**
 * MLflow's limits per `runs/log-batch` request (REST API reference, "Request Limits"): at most 1000
 * metrics, 100 params, 100 tags, 1000 entities in total, and 1 MB of JSON.
 */
export const batchLimits = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  bytes: 1_000_000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

export interface LogBatch {
  metrics: MlflowMetric[];
  params: MlflowParam[];
  tags: MlflowTag[];
}

/**
 * Splits one batch into requests within MLflow's limits, keeping the order of each kind (a metric's
 * history is appended in request order). Each request takes up to 100 params and 100 tags, and fills
 * the rest with metrics until the entity count or the byte budget is reached.
 */
export function chunkBatch(batch: LogBatch, limits = batchLimits): LogBatch[] {
  const chunks: LogBatch[] = [];
  let m = 0;
  let p = 0;
  let t = 0;
  // Room left for the envelope ({"run_id":...,"metrics":[],...}) and separators.
  const budget = limits.bytes - 512;
  while (m < batch.metrics.length || p < batch.params.length || t < batch.tags.length) {
    const chunk: LogBatch = { metrics: [], params: [], tags: [] };
    let bytes = 0;
    let entities = 0;
    const fits = (item: object) => {
      const size = Buffer.byteLength(JSON.stringify(item)) + 1;
      if (entities > 0 && bytes + size > budget) return false;
      bytes += size;
      entities++;
      return true;
    };
    while (p < batch.params.length && chunk.params.length < limits.params && fits(batch.params[p]!))
      chunk.params.push(batch.params[p++]!);
    while (t < batch.tags.length && chunk.tags.length < limits.tags && fits(batch.tags[t]!))
      chunk.tags.push(batch.tags[t++]!);
    while (
      m < batch.metrics.length &&
      chunk.metrics.length < limits.metrics &&
      entities < limits.entities &&
      fits(batch.metrics[m]!)
    )
      chunk.metrics.push(batch.metrics[m++]!);
    chunks.push(chunk);
  }
  return chunks;
}

/**
 * Checks keys and values against MLflow's size limits before anything is sent, so a step fails with
 * the offending name instead of a server-side 400 halfway through its batches.
 */
export function validateBatch(batch: LogBatch, limits = batchLimits): void {
  const problems: string[] = [];
  for (const { key } of [...batch.metrics, ...batch.params, ...batch.tags]) {
    if (key.length === 0 || key.length > limits.keyLength)
      problems.push(`key "${key.slice(0, 60)}" must have 1 to ${limits.keyLength} characters`);
  }
  for (const { key, value } of batch.params) {
    if (value.length > limits.paramValueLength)
      problems.push(
        `param "${key}" has ${value.length} characters (MLflow keeps at most ${limits.paramValueLength})`,
      );
  }
  for (const { key, value } of batch.tags) {
    if (value.length > limits.tagValueLength)
      problems.push(
        `tag "${key}" has ${value.length} characters (MLflow keeps at most ${limits.tagValueLength})`,
      );
  }
  if (problems.length > 0) throw new Error(`MLflow would reject this batch: ${problems.join("; ")}`);
}
