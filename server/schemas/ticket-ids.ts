/** Ticket ids as the caller sent them: a string, or an integer that JSON numbers keep exactly. */
type TicketId = string | number;

/**
 * Why a batch's ids cannot be answered faithfully, or null. Integers above 2^53 − 1 were already
 * rounded by JSON parsing (echoing them would return another id), and duplicate ids would make the
 * answers impossible to match to tickets: both are 400s naming the items.
 */
export function ticketIdProblem(ids: readonly TicketId[]): string | null {
  if (safeAndDistinct(ids)) return null;
  const unsafe = ids.flatMap((id, i) => (typeof id === "number" && !Number.isSafeInteger(id) ? [i] : []));
  if (unsafe.length > 0) {
    return (
      `${list(unsafe.map((i) => `body/${i}`))}: integer ids beyond ${Number.MAX_SAFE_INTEGER} cannot be ` +
      "kept exactly in JSON; send these ids as strings"
    );
  }
  const seen = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const key = `${typeof id}:${id}`;
    seen.set(key, [...(seen.get(key) ?? []), i]);
  });
  const repeated = [...seen.values()].filter((at) => at.length > 1);
  if (repeated.length === 0) return null;
  return `duplicate ticket ids in the batch: ${list(
    repeated.map((at) => `${JSON.stringify(ids[at[0]!])} (${at.map((i) => `body/${i}`).join(", ")})`),
  )}; give each ticket its own id`;
}

/**
 * The usual case, checked in one pass without building any list: every id exact and none repeated (a
 * Set tells 1 from "1" as the problem's `${typeof id}:${id}` keys do).
 */
function safeAndDistinct(ids: readonly TicketId[]): boolean {
  const seen = ids.length > 1 ? new Set<TicketId>() : null;
  for (const id of ids) {
    if (typeof id === "number" && !Number.isSafeInteger(id)) return false;
    if (seen) {
      if (seen.has(id)) return false;
      seen.add(id);
    }
  }
  return true;
}

/** The first five, and how many more. */
function list(items: string[]): string {
  return items.length <= 5
    ? items.join(", ")
    : `${items.slice(0, 5).join(", ")} and ${items.length - 5} more`;
}
