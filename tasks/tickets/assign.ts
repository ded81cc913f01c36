import { assignParts } from "../../src/tickets/assign.js";
import { labellingLines } from "../../src/tickets/human-summary.js";
import { preprocessedPartition, taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { type ShardFlags, shardPart, withShardFlags } from "./shard-flags.js";

/**
 * assign: one shard of the date's preprocessed tickets labelled with the newest topic model on or before
 * --date. Airflow maps it over shards after `relabel --sample N --no-label` fitted the topics on a
 * stratified sample, so a date of more tickets than one pod holds is labelled by parallel pods, each
 * holding its shard only. Shard i of n takes the preprocessed parts j with j mod n = i and publishes the
 * labelled part shard-i-of-n; train reads the parts once all n are published.
 */
export const assignTask: TaskDefinition<ShardFlags> = {
  pipeline: "tickets",
  step: "assign",
  describe:
    "Label one shard of the preprocessed tickets of --date with the newest topic model (after relabel --no-label)",
  options: (argv) => withShardFlags(argv, "the preprocessed parts"),
  async run({ date, runId, store, run, log, tell, signal }, options) {
    const model = await topicModelAsOf(store, date, false);
    if (!model)
      throw new InputError(
        `no topic model published on or before ${date}: run \`inflow tickets relabel --date ${date} --no-label\` first`,
      );
    const taxonomy = await taxonomyAsOf(store, date, false);
    if (!taxonomy) throw new InputError(`no taxonomy published on or before ${date}`);
    const { manifests } = await preprocessedPartition(store, date);
    const mine = manifests.filter((_, j) => j % options.shards === options.shard);
    const part = shardPart(options);
    const result = await assignParts({
      store,
      date,
      runId,
      part,
      manifests: mine,
      model,
      taxonomy: taxonomy.value,
      signal,
    });
    await run.logParams({
      topic_model: model.uri,
      taxonomy_version: taxonomy.value.version,
      shard: options.shard,
      shards: options.shards,
      preprocessed_parts: mine.length,
    });
    await run.logMetrics({ "label/tickets": result.tickets, "label/unassigned": result.unassigned });
    log.info({ part, tickets: result.tickets, unassigned: result.unassigned }, "shard labelled");
    for (const line of labellingLines(result, result.tickets, model.value.assignThreshold)) tell(line);
    return { part, preprocessedParts: mine.length, ...result, topicModel: model.uri };
  },
};
