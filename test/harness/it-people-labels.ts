import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import type { HumanLabel } from "../../src/review/human-labels.js";
import type { LabelledTicket } from "../../src/tickets/dataset.js";
import { preprocessTexts } from "../../src/tickets/quality.js";
import { Rng } from "../../src/util/random.js";
import { pipelineDefaults } from "../../tasks/tickets/defaults.js";

export const itTicketsFile = "data/it-service-tickets/tickets.csv.gz";

/**
 * A seeded sample of `count` IT tickets (all of them when more), every one in topic 0 as a one-topic
 * model would leave them, and people's labels on the first `perClass` of each true class (topic 1 + the
 * class's index): the setting of the router's choices on people's labels.
 */
export function itTicketsWithPeopleLabels(count: number, perClass: number) {
  const all = parse(gunzipSync(readFileSync(itTicketsFile)), { columns: true }) as Record<string, string>[];
  const rng = new Rng(3);
  const rows = all
    .map((r) => ({ r, key: rng.next() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map(({ r }, i) => ({ id: `t${i}`, text: r.Document!, truth: r.Topic_group! }));
  const classes = [...new Set(rows.map((r) => r.truth))].sort();
  const classOf = new Map(classes.map((c, k) => [c, k]));
  const tokens = preprocessTexts(
    rows.map((r) => r.text),
    pipelineDefaults().preprocess,
  );
  const tickets: LabelledTicket[] = rows.map((r, i) => ({
    id: r.id,
    tokens: tokens[i]!,
    topic: 0,
    confidence: 1,
  }));
  const human = new Map<string, HumanLabel>();
  const given = new Array<number>(classes.length).fill(0);
  for (const r of rows) {
    const c = classOf.get(r.truth)!;
    if (given[c]! >= perClass) continue;
    given[c]!++;
    const answer = { kind: "topic" as const, topic: 1 + c };
    human.set(r.id, { ticketId: r.id, answer, reviewer: "r", at: "", source: "console" });
  }
  return { rows, classes, classOf, tickets, human };
}
