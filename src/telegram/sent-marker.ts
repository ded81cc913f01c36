/**
 * Idempotent posting: a report for (chat, date) is posted at most once, whatever reruns or retries
 * happen. The Bot API has no idempotency key, so the sender keeps a marker per (chat, date) that
 * the caller persists (in the artifact store) and consults before sending:
 *
 *   no marker or "failed"  → send: first write "sending", post, then write "sent" with the ids;
 *                             if Telegram answers with an error, write "failed" (nothing was posted).
 *   "sent"                 → skip: already posted.
 *   "sending"              → refuse: a previous run died between posting and recording the
 *                             outcome, so the post may exist. Reposting could double-post; an
 *                             operator checks the channel and reruns with `force`.
 */

export type MarkerState = "sending" | "sent" | "failed";

export interface SentMarker {
  chatId: string;
  date: string;
  state: MarkerState;
  /** ISO time of the last state change. */
  at: string;
  messageIds?: number[];
  error?: string;
}

export interface SentMarkerStore {
  get(chatId: string, date: string): Promise<SentMarker | undefined>;
  put(marker: SentMarker): Promise<void>;
}

export type ReportDecision = "send" | "skip-sent" | "refuse-uncertain";

export function decideReport(marker: SentMarker | undefined, force = false): ReportDecision {
  if (force || !marker || marker.state === "failed") return "send";
  return marker.state === "sent" ? "skip-sent" : "refuse-uncertain";
}

/** In-memory store, for tests and single-process use. */
export class MemoryMarkerStore implements SentMarkerStore {
  private readonly markers = new Map<string, SentMarker>();
  async get(chatId: string, date: string) {
    return this.markers.get(`${chatId}\u0000${date}`);
  }
  async put(marker: SentMarker) {
    this.markers.set(`${marker.chatId}\u0000${marker.date}`, { ...marker });
  }
}
