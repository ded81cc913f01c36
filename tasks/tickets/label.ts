import { withTempDir } from "../../src/tickets/dataset.js";
import { topicLine, unassignedLine } from "../../src/tickets/human-summary.js";
import { publishLabelled } from "../../src/tickets/labelled.js";
import { preprocessedTickets, taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { labelDocuments } from "../../src/topics/artifact.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";

/** label: the current topic model (as of the logical date) applied to that date's preprocessed tickets. */
export const labelTask: TaskDefinition<object> = {
  pipeline: "tickets",
  step: "label",
  describe:
    "Give each preprocessed ticket of --date a topic with the newest topic model published on or before it",
  options: (argv) => argv,
  async run({ date, runId, store, run, log, tell }) {
    const model = await topicModelAsOf(store, date, false);
    if (!model)
      throw new InputError(
        `no topic model published on or before ${date}: run \`inflow tickets relabel --date ${date}\` first`,
      );
    const taxonomy = await taxonomyAsOf(store, date, false);
    if (!taxonomy) throw new InputError(`no taxonomy published on or before ${date}`);
    const data = await preprocessedTickets(store, date);
    const assignment = labelDocuments(
      model.value,
      data.tickets.map((t) => t.tokens),
    );
    await run.logParams({
      topicModel: model.uri,
      taxonomyVersion: taxonomy.value.version,
      tickets: data.tickets.length,
    });
    const result = await withTempDir((dir) =>
      publishLabelled({
        store,
        date,
        runId,
        dir,
        tickets: data.tickets,
        assignment,
        taxonomy: taxonomy.value,
        topicModelVersion: model.value.version,
        lineage: [
          ...data.inputs,
          { uri: model.uri, sha256: model.sha256 },
          { uri: taxonomy.uri, sha256: taxonomy.sha256 },
        ],
      }),
    );
    await run.logMetrics({
      tickets: data.tickets.length,
      unassigned: result.unassigned,
      unassignedShare: result.unassigned / Math.max(1, data.tickets.length),
    });
    log.info({ tickets: data.tickets.length, unassigned: result.unassigned }, "labelled");
    for (const topic of result.topics) tell(topicLine(topic, data.tickets.length));
    tell(
      unassignedLine(
        result.unassigned,
        data.tickets.length,
        model.value.assignThreshold,
        "they are labelled unassigned and left out of training",
      ),
    );
    return {
      tickets: data.tickets.length,
      unassigned: result.unassigned,
      topics: result.topics,
      topicModel: model.uri,
    };
  },
};
