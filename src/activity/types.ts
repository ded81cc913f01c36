/**
 * One chat message reduced to what activity counting needs. `text` is personal data and is present
 * only when a source was asked for it explicitly (`includeText`).
 */
export interface MessageRecord {
  chatId: string;
  messageId: number;
  /** Unix seconds, UTC. */
  timestamp: number;
  senderId?: string;
  text?: string;
}
