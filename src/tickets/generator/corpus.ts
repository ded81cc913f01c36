/**
 * One pass over a generated corpus writing the tickets (CFPB export or JSONL) and, to a separate file
 * the pipeline never reads, their truth. Both files are published atomically, truth first.
 */

import { cfpbFooter, cfpbHeader, cfpbRow } from "./export.js";
import { type GenerateOptions, generateTickets } from "./generate.js";
import { AtomicTextFile } from "./write.js";

export interface CorpusPaths {
  tickets: string;
  truth: string;
  /** "cfpb": the seed's JSON array export; "jsonl": one GeneratedTicket per line. */
  format: "cfpb" | "jsonl";
}

export interface CorpusSummary {
  count: number;
  garbage: number;
  byDepartment: Record<string, number>;
}

export async function writeGeneratedCorpus(
  options: GenerateOptions,
  paths: CorpusPaths,
): Promise<CorpusSummary> {
  const ticketsFile = new AtomicTextFile(paths.tickets);
  const truthFile = new AtomicTextFile(paths.truth);
  const summary: CorpusSummary = { count: 0, garbage: 0, byDepartment: {} };
  try {
    if (paths.format === "cfpb") await ticketsFile.write(cfpbHeader);
    for (const { ticket, truth } of generateTickets(options)) {
      await ticketsFile.write(
        paths.format === "cfpb" ? cfpbRow(ticket, summary.count) : `${JSON.stringify(ticket)}\n`,
      );
      await truthFile.write(`${JSON.stringify(truth)}\n`);
      summary.count++;
      if (truth.garbage) summary.garbage++;
      summary.byDepartment[truth.department] = (summary.byDepartment[truth.department] ?? 0) + 1;
    }
    if (paths.format === "cfpb") await ticketsFile.write(cfpbFooter);
    await truthFile.commit();
    await ticketsFile.commit();
    return summary;
  } catch (error) {
    await Promise.all([ticketsFile.abort(), truthFile.abort()]);
    throw error;
  }
}
