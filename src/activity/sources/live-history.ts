/**
 * Live chat history over MTProto, behind a narrow interface so the fetching logic (time window,
 * limit, FloodWait backoff, mapping) is testable without Telegram. `gramjs.ts` adapts gramjs's
 * TelegramClient to it.
 */
import type { MessageRecord } from "../types.js";

export interface HistoryMessage {
  id: number;
  /** Unix seconds. */
  date: number;
  senderId?: string;
  text?: string;
  isService: boolean;
}

export interface IterOptions {
  /** Exclusive: with `reverse`, only messages after this instant (unix seconds). */
  offsetDate?: number;
  /** Exclusive: with `reverse`, only messages with a greater id (used to resume). */
  offsetId?: number;
  /** Oldest first. */
  reverse: boolean;
  limit?: number;
}

export interface ChatHistoryClient {
  /** Resolves a link (https://t.me/name), @username, username or numeric id to a stable chat id. */
  resolveChat(ref: string): Promise<string>;
  iterMessages(chat: string, options: IterOptions): AsyncIterable<HistoryMessage>;
}

export interface FetchOptions {
  /** [from, to) unix seconds, e.g. `localDayRange(previous day, zone)`. */
  from: number;
  to: number;
  /** Stop after this many messages (guards runaway fetches); default 100,000. */
  limit?: number;
  includeService?: boolean;
  /** Keep message texts (personal data; default false). */
  includeText?: boolean;
  /** FloodWaits longer than this fail the fetch instead of sleeping (default 900 s). */
  maxFloodWaitSeconds?: number;
  /** FloodWaits tolerated in one fetch (default 5). */
  maxFloodWaits?: number;
  /** Injected for tests; default a real timer. */
  sleep?: (seconds: number) => Promise<void>;
}

/** A FloodWait from gramjs (`FloodWaitError`, `seconds`) or any error shaped like one. */
export function floodWaitSeconds(error: unknown): number | undefined {
  const e = error as { seconds?: unknown; errorMessage?: unknown; name?: unknown } | null;
  if (!e || typeof e.seconds !== "number") return undefined;
  const tag = `${String(e.errorMessage ?? "")} ${String(e.name ?? "")}`;
  return /FLOOD|FloodWait/i.test(tag) ? e.seconds : undefined;
}

export class FetchLimitError extends Error {}

const realSleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Messages of one chat in [from, to), oldest first. On a FloodWait the fetch sleeps the demanded
 * seconds (+1 s, growing by attempt: Telegram counts from its own clock) and resumes after the last
 * message it got, so nothing is fetched twice or skipped.
 */
export async function fetchChatWindow(
  client: ChatHistoryClient,
  chatRef: string,
  options: FetchOptions,
): Promise<MessageRecord[]> {
  const {
    from,
    to,
    limit = 100_000,
    maxFloodWaitSeconds = 900,
    maxFloodWaits = 5,
    sleep = realSleep,
  } = options;
  const chatId = await client.resolveChat(chatRef);
  const out: MessageRecord[] = [];
  let lastId: number | undefined;
  let floodWaits = 0;
  for (;;) {
    try {
      const iter: IterOptions = { reverse: true, limit: limit - out.length + 1 };
      if (lastId === undefined) iter.offsetDate = from - 1;
      else iter.offsetId = lastId;
      for await (const m of client.iterMessages(chatId, iter)) {
        if (m.date >= to) return out;
        lastId = m.id;
        if (m.date < from || (m.isService && !options.includeService)) continue;
        if (out.length >= limit)
          throw new FetchLimitError(`more than ${limit} messages in the window; raise the limit`);
        const record: MessageRecord = { chatId, messageId: m.id, timestamp: m.date };
        if (m.senderId !== undefined) record.senderId = m.senderId;
        if (options.includeText && m.text !== undefined) record.text = m.text;
        out.push(record);
      }
      return out;
    } catch (error) {
      const seconds = floodWaitSeconds(error);
      if (seconds === undefined) throw error;
      floodWaits++;
      if (floodWaits > maxFloodWaits || seconds > maxFloodWaitSeconds) {
        throw new Error(`Telegram FloodWait of ${seconds} s (attempt ${floodWaits}): giving up, retry later`);
      }
      await sleep(seconds + floodWaits);
    }
  }
}
