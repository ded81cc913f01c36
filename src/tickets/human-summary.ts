/** Lines of a step's human summary about topics and the tickets no topic claimed. */

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

/** Why tickets are unassigned, and what becomes of them: every ticket is accounted for. */
export function unassignedLine(unassigned: number, tickets: number, threshold: number, fate: string): string {
  const why =
    threshold > 0
      ? `their strongest topic holds less than ${threshold} of their topic weight (the assign threshold), or they have none`
      : "none of their terms is in the topic model's vocabulary, so they have no topic weight";
  return `${unassigned} of ${tickets} tickets (${percent(unassigned, tickets)}) are unassigned: ${why}; ${fate}`;
}

/** One topic's line: id, name, department and size. */
export function topicLine(
  topic: { id: number; name: string; department: string; size: number },
  tickets: number,
): string {
  return `topic ${topic.id} "${topic.name}" → ${topic.department}: ${topic.size} tickets (${percent(topic.size, tickets)})`;
}

/** A representative ticket's text on one line, cut to `max` characters (for a terminal, never a log). */
export function ticketExcerpt(id: string, text: string, max = 160): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `    [${id}] ${line.length > max ? `${line.slice(0, max - 1)}…` : line}`;
}

/** The lines of one labelling (label, assign): each topic's, then the unassigned tickets'. */
export function labellingLines(
  result: {
    topics: readonly { id: number; name: string; department: string; size: number }[];
    unassigned: number;
  },
  tickets: number,
  threshold: number,
): string[] {
  return [
    ...result.topics.map((topic) => topicLine(topic, tickets)),
    unassignedLine(
      result.unassigned,
      tickets,
      threshold,
      "they are labelled unassigned and left out of training",
    ),
  ];
}
