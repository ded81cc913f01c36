import { join } from "node:path";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { renderTopicSizes } from "../charts/index.js";
import type { Manifest } from "../store/publish.js";
import { Publication } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import type { TopicAssignment } from "../topics/artifact.js";
import { type Taxonomy, topicById } from "../topics/taxonomy.js";
import { JsonlWriter } from "../util/jsonl.js";
import { kinds, type LabelledTicket, type PreprocessedTicket } from "./dataset.js";

export interface TopicSummary {
  id: number;
  name: string;
  department: string;
  size: number;
  share: number;
  meanConfidence: number;
  topTerms: string[];
}

const parquetRowGroup = 50_000;

/**
 * Publishes a labelled partition: the tickets with their topic as JSONL (what train reads) and as
 * Parquet with names and departments (for analytics), plus the topic-size table and chart.
 */
export async function publishLabelled(args: {
  store: ArtifactStore;
  date: string;
  runId: string;
  /** The partition's part ("shard-i-of-n" when shards are labelled in parallel pods); default: whole. */
  part?: string;
  dir: string;
  tickets: PreprocessedTicket[];
  assignment: TopicAssignment;
  taxonomy: Taxonomy;
  topicModelVersion: string;
  lineage: Manifest["inputs"];
  extraOutputs?: { name: string; body: string | Uint8Array }[];
  /** More of the run's topic report, written into topics.json (e.g. proposed topics). */
  report?: Record<string, unknown>;
  stats?: Record<string, unknown>;
}): Promise<{ manifest: Manifest; topics: TopicSummary[]; unassigned: number }> {
  const { tickets, assignment, taxonomy } = args;
  const names = topicById(taxonomy);
  const jsonl = new JsonlWriter(join(args.dir, "tickets.jsonl"));
  for (let i = 0; i < tickets.length; i++) {
    const row: LabelledTicket = {
      id: tickets[i]!.id,
      tokens: tickets[i]!.tokens,
      topic: assignment.topic[i]!,
      confidence: assignment.confidence[i]!,
    };
    await jsonl.write(row);
  }
  await jsonl.close();

  const parquetPath = join(args.dir, "tickets.parquet");
  const writer = new ParquetWriter({
    writer: fileWriter(parquetPath),
    schema: [
      { name: "root", num_children: 8 },
      { name: "id", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "date", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "topic_id", type: "INT32", repetition_type: "REQUIRED" },
      { name: "topic_name", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "department", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "confidence", type: "DOUBLE", repetition_type: "REQUIRED" },
      { name: "token_count", type: "INT32", repetition_type: "REQUIRED" },
      {
        name: "topic_model_version",
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        repetition_type: "REQUIRED",
      },
    ],
    createdBy: "inflow",
  });
  for (let start = 0; start < tickets.length; start += parquetRowGroup) {
    const end = Math.min(tickets.length, start + parquetRowGroup);
    const slice = tickets.slice(start, end);
    const topics = Array.from(assignment.topic.subarray(start, end));
    await writer.write({
      rowGroupSize: parquetRowGroup,
      columnData: [
        { name: "id", data: slice.map((t) => t.id) },
        { name: "date", data: slice.map(() => args.date) },
        { name: "topic_id", data: topics },
        { name: "topic_name", data: topics.map((t) => names.get(t)?.name ?? "unassigned") },
        { name: "department", data: topics.map((t) => names.get(t)?.department ?? "unassigned") },
        { name: "confidence", data: Array.from(assignment.confidence.subarray(start, end)) },
        { name: "token_count", data: slice.map((t) => t.tokens.length) },
        { name: "topic_model_version", data: slice.map(() => args.topicModelVersion) },
      ],
    });
  }
  await writer.finish();

  const { topics, unassigned } = summarizeTopics(assignment, taxonomy);
  const publication = new Publication(args.store, kinds.labelled, args.date, args.runId, args.part);
  await publication.putFile("tickets.jsonl", jsonl.path);
  await publication.putFile("tickets.parquet", parquetPath);
  await publication.put(
    "topics.json",
    `${JSON.stringify({ topics, unassigned, ...args.report }, null, 2)}\n`,
  );
  await publication.put(
    "topic-sizes.png",
    renderTopicSizes({
      title: `Tickets per topic, ${args.date}`,
      topics: topics.map((t) => ({ name: `${t.id}: ${t.name}`, size: t.size })),
    }),
  );
  for (const extra of args.extraOutputs ?? []) await publication.put(extra.name, extra.body);
  const manifest = await publication.publish(
    {
      inputs: args.lineage,
      params: { topicModelVersion: args.topicModelVersion, taxonomyVersion: taxonomy.version },
    },
    { tickets: tickets.length, unassigned, topics: topics.length, ...args.stats },
  );
  return { manifest, topics, unassigned };
}

export function summarizeTopics(
  assignment: TopicAssignment,
  taxonomy: Taxonomy,
): { topics: TopicSummary[]; unassigned: number } {
  const sizes = new Map<number, { size: number; confidence: number }>();
  let unassigned = 0;
  for (let i = 0; i < assignment.topic.length; i++) {
    const topic = assignment.topic[i]!;
    if (topic < 0) {
      unassigned++;
      continue;
    }
    const entry = sizes.get(topic) ?? { size: 0, confidence: 0 };
    entry.size++;
    entry.confidence += assignment.confidence[i]!;
    sizes.set(topic, entry);
  }
  const total = assignment.topic.length || 1;
  const topics = taxonomy.topics.map((t) => {
    const entry = sizes.get(t.id) ?? { size: 0, confidence: 0 };
    return {
      id: t.id,
      name: t.name,
      department: t.department,
      size: entry.size,
      share: entry.size / total,
      meanConfidence: entry.size ? entry.confidence / entry.size : 0,
      topTerms: t.topTerms,
    };
  });
  return { topics, unassigned };
}
