import { taskResults } from "../../src/monitoring/task-results.js";
import { labelWithNovelty } from "../../src/novelty/label-run.js";
import { type NoveltyEnvironment, readNoveltyEnvironment } from "../../src/novelty/policy.js";
import { labellingLines } from "../../src/tickets/human-summary.js";
import { taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { type NoveltyFlags, noveltySettingsFromFlags, withNoveltyFlags } from "./novelty-flags.js";

/**
 * label: the current topic model (as of the logical date) applied to that date's preprocessed tickets,
 * then the novelty pool and proposed topics (docs/novelty.md).
 */
export const labelTask: TaskDefinition<NoveltyFlags, NoveltyEnvironment> = {
  pipeline: "tickets",
  step: "label",
  describe:
    "Give each preprocessed ticket of --date a topic with the newest topic model published on or before it; pool and cluster what fits no topic",
  options: (argv) => withNoveltyFlags(argv),
  settings: (env, _options, problems) => readNoveltyEnvironment(env, problems),
  async run({ date, runId, store, run, log, tell, measure, signal, settings: { policy, llm } }, options) {
    const model = await topicModelAsOf(store, date, false);
    if (!model)
      throw new InputError(
        `no topic model published on or before ${date}: run \`inflow tickets relabel --date ${date}\` first`,
      );
    const taxonomy = await taxonomyAsOf(store, date, false);
    if (!taxonomy) throw new InputError(`no taxonomy published on or before ${date}`);
    const result = await labelWithNovelty({
      store,
      date,
      runId,
      model,
      taxonomy,
      policy,
      settings: noveltySettingsFromFlags(options),
      refitIncrease: options["refit-increase"],
      llm,
      log,
      signal,
    });
    await run.logParams({
      topic_model: model.uri,
      taxonomy_version: taxonomy.value.version,
      tickets: result.tickets,
      auto_adopt: policy ? `runs=${policy.runs},size=${policy.size}` : "off",
    });
    await run.logMetrics({
      "label/tickets": result.tickets,
      "label/unassigned": result.unassigned,
      "label/unassigned_share": result.unassigned / Math.max(1, result.tickets),
      "novelty/share": result.noveltyShare,
      "novelty/proposals": result.proposals.length,
    });
    log.info({ tickets: result.tickets, unassigned: result.unassigned }, "labelled");
    measure(taskResults.labelledTickets, result.tickets);
    measure(taskResults.noveltyShare, result.noveltyShare);
    measure(taskResults.baselineNoveltyShare, result.baselineNoveltyShare);
    measure(taskResults.proposedTopics, result.proposals.length);
    for (const line of labellingLines(result, result.tickets, model.value.assignThreshold)) tell(line);
    for (const p of result.proposals)
      tell(`proposed topic ${p.id} "${p.name}": ${p.size} tickets, seen in ${p.runs} run(s)`);
    tell(`next: ${result.next} (${result.reason})`);
    return { ...result, topicModel: model.uri };
  },
};
