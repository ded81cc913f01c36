/**
 * gramjs (MTProto user session) adapter for `ChatHistoryClient`. Credentials from the standard
 * environment: TELEGRAM_API_ID, TELEGRAM_API_HASH, TELEGRAM_SESSION (a StringSession string).
 */
import { Api, TelegramClient } from "telegram";
import { StringSession } from "telegram/sessions/index.js";
import type { ChatHistoryClient, HistoryMessage } from "./live-history.js";

export interface GramjsCredentials {
  apiId: number;
  apiHash: string;
  session: string;
}

/**
 * How gramjs should see a chat reference: a numeric id as a number (marked ids like -100… kept),
 * links and @names as the bare username (gramjs resolves t.me links and usernames itself).
 */
export function chatEntityLike(ref: string): string | number {
  const s = ref.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/t\.me\/(\+|joinchat\/)/i.test(s)) {
    throw new RangeError("invite links cannot be read; join the chat and pass its @username or id");
  }
  const link = /^(?:https?:\/\/)?(?:www\.)?t(?:elegram)?\.me\/([A-Za-z0-9_]+)/i.exec(s);
  if (link) return link[1]!;
  return s.replace(/^@/, "");
}

/** gramjs Message / MessageService → the narrow record. */
export function fromGramjsMessage(m: Api.TypeMessage): HistoryMessage | null {
  if (m instanceof Api.MessageEmpty) return null;
  const out: HistoryMessage = { id: m.id, date: m.date, isService: m instanceof Api.MessageService };
  const sender = m.senderId ?? m.fromId;
  if (sender !== undefined && sender !== null) out.senderId = senderString(sender);
  if (m instanceof Api.Message) out.text = m.message;
  return out;
}

function senderString(sender: unknown): string {
  if (sender instanceof Api.PeerUser) return `user${sender.userId.toString()}`;
  if (sender instanceof Api.PeerChannel) return `channel${sender.channelId.toString()}`;
  if (sender instanceof Api.PeerChat) return `chat${sender.chatId.toString()}`;
  return `user${String(sender)}`;
}

export function gramjsHistoryClient(client: TelegramClient): ChatHistoryClient {
  return {
    async resolveChat(ref) {
      const entity = await client.getEntity(chatEntityLike(ref));
      return (await client.getPeerId(entity)).toString();
    },
    async *iterMessages(chat, { offsetDate, offsetId, reverse, limit }) {
      const params: Parameters<TelegramClient["iterMessages"]>[1] = { reverse };
      if (offsetDate !== undefined) params.offsetDate = offsetDate;
      if (offsetId !== undefined) params.offsetId = offsetId;
      if (limit !== undefined) params.limit = limit;
      for await (const m of client.iterMessages(chatEntityLike(chat), params)) {
        const mapped = fromGramjsMessage(m);
        if (mapped) yield mapped;
      }
    },
  };
}

/** Connects a user session; the caller disconnects. FloodWaits are left to `fetchChatWindow`. */
export async function connectGramjs(credentials: GramjsCredentials): Promise<TelegramClient> {
  const client = new TelegramClient(
    new StringSession(credentials.session),
    credentials.apiId,
    credentials.apiHash,
    {
      connectionRetries: 5,
      floodSleepThreshold: 0,
    },
  );
  await client.connect();
  return client;
}
