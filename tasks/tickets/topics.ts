import type { Argv, CommandModule } from "yargs";
import { adoptProposals, openProposal } from "../../src/novelty/adopt-run.js";
import { type NoveltyEnvironment, readNoveltyEnvironment } from "../../src/novelty/policy.js";
import { adoptable, type Decision, type Proposal } from "../../src/novelty/pool.js";
import { proposalsAsOf, publishDecision } from "../../src/novelty/store.js";
import { InputError } from "../../src/util/errors.js";
import { type TaskContext, type TaskDefinition, taskCommand } from "../task.js";
import { type NoveltyFlags, noveltySettingsFromFlags, withNoveltyFlags } from "./novelty-flags.js";

/** `inflow tickets topics list|accept|reject|adopt`: decisions on proposed topics (docs/novelty.md). */

interface Decided {
  id: string;
  reason: string;
}

const withDecision = <T>(argv: Argv<T>) =>
  argv
    .positional("id", { type: "string", demandOption: true, describe: "Proposal id, e.g. new-3" })
    .option("reason", { type: "string", demandOption: true, describe: "Why (kept with the decision)" });

const listTask: TaskDefinition<object> = {
  pipeline: "tickets",
  step: "topics-list",
  command: "topics list",
  describe: "Show the proposed topics as of --date, with decisions taken",
  options: (argv) => argv,
  async run({ date, store }) {
    const { date: found, proposals } = await proposalsAsOf(store, date);
    return {
      proposalsDate: found,
      proposals: proposals.map(({ component, ...shown }) => shown),
    };
  },
};

const acceptTask: TaskDefinition<Decided & NoveltyFlags, NoveltyEnvironment> = {
  pipeline: "tickets",
  step: "topics-accept",
  command: "topics accept",
  describe: "Adopt a proposed topic: a new topic id, every other topic kept, the date relabelled",
  options: (argv) => withNoveltyFlags(withDecision(argv)),
  settings: (env, _options, problems) => readNoveltyEnvironment(env, problems),
  async run({ date, runId, store, run, log, settings: environment }, options) {
    const proposal = await openProposal(store, date, options.id);
    const result = await adopt(
      { store, date, runId, log },
      options,
      [proposal],
      "person",
      options.reason,
      environment,
    );
    await run.logParams({ proposal: proposal.id, topicId: result.adopted[0]!.topicId });
    return result;
  },
};

const rejectTask: TaskDefinition<Decided> = {
  pipeline: "tickets",
  step: "topics-reject",
  command: "topics reject",
  describe: "Reject a proposed topic: it and its tickets are not proposed again",
  options: (argv) => withDecision(argv),
  async run({ date, runId, store, log }, options) {
    const proposal = await openProposal(store, date, options.id);
    await publishDecision(
      store,
      {
        proposal: proposal.id,
        decision: "rejected",
        date,
        reason: options.reason,
        by: "person",
        snapshot: proposal,
      },
      runId,
    );
    log.info({ proposal: proposal.id }, "proposal rejected");
    return { rejected: proposal.id, name: proposal.name };
  },
};

const adoptTask: TaskDefinition<NoveltyFlags, NoveltyEnvironment> = {
  pipeline: "tickets",
  step: "topics-adopt",
  command: "topics adopt",
  describe: "Adopt every proposal of --date that meets INFLOW_TOPICS_AUTO_ADOPT, then relabel the date",
  options: (argv) => withNoveltyFlags(argv),
  settings: (env, _options, problems) => readNoveltyEnvironment(env, problems),
  async run({ date, runId, store, log, settings: environment }, options) {
    const { policy } = environment;
    if (!policy) throw new InputError("INFLOW_TOPICS_AUTO_ADOPT is off: nothing is adopted without a person");
    const { date: found, proposals } = await proposalsAsOf(store, date);
    const ready = found === date ? adoptable({ date, nextProposal: 0, tickets: [], proposals }, policy) : [];
    if (ready.length === 0) {
      log.info({ date }, "no proposal meets the adoption policy");
      return { adopted: [], relabelled: false };
    }
    const reason = `INFLOW_TOPICS_AUTO_ADOPT runs=${policy.runs},size=${policy.size}`;
    return adopt({ store, date, runId, log }, options, ready, "policy", reason, environment);
  },
};

/** Adopts and relabels (src/novelty/adopt-run.ts); the summary shows the adoption, then the relabelling. */
async function adopt(
  { store, date, runId, log }: Pick<TaskContext, "store" | "date" | "runId" | "log">,
  options: NoveltyFlags,
  chosen: Proposal[],
  by: Decision["by"],
  reason: string,
  { policy, llm }: NoveltyEnvironment,
) {
  const result = await adoptProposals({
    store,
    date,
    runId,
    proposals: chosen,
    by,
    reason,
    policy,
    settings: noveltySettingsFromFlags(options),
    refitIncrease: options["refit-increase"],
    llm,
    log,
  });
  const { topics, proposals, ...relabelled } = result.relabelled;
  return {
    adopted: result.adopted,
    topicModel: result.topicModel,
    relabelled: true,
    ...relabelled,
    topics,
    proposals,
  };
}

const named = <O, S>(task: TaskDefinition<O, S>, command: string): CommandModule => ({
  ...taskCommand(task),
  command,
});

export const topicsCommand: CommandModule = {
  command: "topics",
  describe: "Proposed topics: list them, accept or reject one, or adopt under the automatic policy",
  builder: (y) =>
    y
      .command(named(listTask, "list"))
      .command(named(acceptTask, "accept <id>"))
      .command(named(rejectTask, "reject <id>"))
      .command(named(adoptTask, "adopt"))
      .demandCommand(1, "Choose list, accept, reject or adopt"),
  handler: () => {},
};
