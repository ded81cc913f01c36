/**
 * The routed tickets a load forecast learns from: every labelled partition up to D joined with its
 * preprocessed partition (where the arrival time is a carried field, e.g. `preprocess --carry
 * date_received`) and the taxonomy it was labelled with (topic → department). Partitions overlap
 * (each reads a window of raw days), so a ticket id counts once, with the routing of the newest
 * partition. Only arrivals before D are kept: a rerun of a past date never sees later tickets. The
 * partition of D itself must exist (the tickets up to midnight), or the newest days would read as empty.
 */
import { outputInputs, publishedDates } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { effectiveTopic, topicById } from "../topics/taxonomy.js";
import { InputError } from "../util/errors.js";
import { completeShards, kinds, type LabelledTicket, readAll, readOutputs } from "./dataset.js";
import type { TicketArrival } from "./load-forecast.js";
import { preprocessedTickets, taxonomyAsOf } from "./models.js";

export interface ArrivalHistory {
  arrivals: TicketArrival[];
  /** Departments of the newest taxonomy, plus any a ticket was routed to. */
  departments: string[];
  /** Labelled partitions read, ascending. */
  partitions: string[];
  /** Tickets left out: no topic (unassigned), no or unreadable time field, or arrived on/after D. */
  skipped: { unassigned: number; noTime: number; notBefore: number };
  inputs: { uri: string; sha256: string }[];
}

export async function routedArrivals(
  store: ArtifactStore,
  options: { date: string; from: string; timeField: string },
): Promise<ArrivalHistory> {
  const { date, from, timeField } = options;
  const partitions = (await publishedDates(store, kinds.labelled)).filter((d) => d >= from && d <= date);
  if (partitions.length === 0)
    throw new InputError(
      `no labelled tickets published from ${from} to ${date}: run \`inflow tickets label\` first`,
    );
  // Partition D holds the tickets up to midnight; without it the last days would look empty.
  if (partitions.at(-1) !== date)
    throw new Error(
      `labelled tickets end with the partition of ${partitions.at(-1)}: the days up to ${date} are not labelled yet ` +
        `(run \`inflow tickets label --date ${date}\` first); retry later`,
    );
  const end = Date.parse(`${date}T00:00:00Z`) / 1000;
  const latest = new Map<string, { at: number | null; department: string | null }>();
  const inputs: ArrivalHistory["inputs"] = [];
  const departments = new Set<string>();
  for (const partition of partitions) {
    const taxonomy = await taxonomyAsOf(store, partition, false);
    if (!taxonomy) throw new InputError(`no taxonomy published on or before ${partition}`);
    for (const d of taxonomy.value.departments) departments.add(d);
    const names = topicById(taxonomy.value);
    const manifests = await completeShards(store, kinds.labelled, partition);
    const labelled = await readAll(readOutputs<LabelledTicket>(store, manifests, "tickets.jsonl"));
    const pre = await preprocessedTickets(store, partition);
    const times = new Map(pre.tickets.map((t) => [t.id, t.fields[timeField]]));
    for (const t of labelled) {
      const text = times.get(t.id);
      const ms = text === undefined ? Number.NaN : Date.parse(text);
      latest.set(t.id, {
        at: Number.isFinite(ms) ? Math.floor(ms / 1000) : null,
        // A merged topic's tickets go where the topic it was merged into routes.
        department: names.get(effectiveTopic(taxonomy.value, t.topic) ?? -1)?.department ?? null,
      });
    }
    inputs.push(...outputInputs(store.uri, manifests, "tickets.jsonl"), ...pre.inputs, {
      uri: taxonomy.uri,
      sha256: taxonomy.sha256,
    });
  }
  const skipped = { unassigned: 0, noTime: 0, notBefore: 0 };
  const arrivals: TicketArrival[] = [];
  for (const { at, department } of latest.values()) {
    if (department === null) skipped.unassigned++;
    else if (at === null) skipped.noTime++;
    else if (at >= end) skipped.notBefore++;
    else {
      arrivals.push({ at, department });
      departments.add(department);
    }
  }
  if (arrivals.length === 0) {
    throw new InputError(
      `none of the ${latest.size} labelled tickets from ${from} to ${date} has a readable \`${timeField}\` ` +
        `before ${date}: carry the arrival time through preprocessing (\`inflow tickets preprocess --carry ${timeField}\`) ` +
        `or name the field with --time-field`,
    );
  }
  const unique = [...new Map(inputs.map((i) => [i.uri, i])).values()];
  return { arrivals, departments: [...departments].sort(), partitions, skipped, inputs: unique };
}
