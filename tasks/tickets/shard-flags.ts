import type { Argv } from "yargs";

/** `--shard i --shards n`: the steps Airflow maps over shards, one pod each (preprocess, assign). */
export interface ShardFlags {
  shard: number;
  shards: number;
}

export function withShardFlags<T>(argv: Argv<T>, what: string): Argv<T & ShardFlags> {
  return argv
    .option("shard", {
      type: "number",
      default: 0,
      describe: `This shard's index (0-based); ${what} are split across shards`,
    })
    .option("shards", {
      type: "number",
      default: 1,
      describe: "Number of shards (one pod each in Airflow)",
    })
    .check(({ shard, shards }) =>
      // Each flag's own range is in tasks/flag-bounds.ts; this one is across the two.
      shard < shards ? true : `--shard must be below --shards, got ${shard} of ${shards}`,
    );
}

/** The name of shard i of n's part of a partition (what completeShards expects). */
export function shardPart({ shard, shards }: ShardFlags): string {
  return `shard-${shard}-of-${shards}`;
}
