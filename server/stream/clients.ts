import { Consumer, type Message, ProduceAcks, Producer } from "@platformatic/kafka";
import type { StreamConfig } from "./config.js";

export type RawMessage = Message<Buffer, Buffer, Buffer, Buffer>;

/**
 * Both clients retry forever (1 s apart): a broker restart stalls the stream instead of failing it,
 * and SIGTERM is the way out. The producer is idempotent (acks from all in-sync replicas, one
 * sequence per partition), so its own retries never write a record twice.
 */
export function createProducer(config: StreamConfig, role: string): Producer<Buffer, Buffer, Buffer, Buffer> {
  return new Producer({
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: config.brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: true,
    retryDelay: 1000,
    autocreateTopics: true,
  });
}

export function createConsumer(
  config: StreamConfig,
  role: string,
  groupId: string,
): Consumer<Buffer, Buffer, Buffer, Buffer> {
  return new Consumer({
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: config.brokers,
    groupId,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: Math.max(1000, Math.floor(config.sessionTimeoutMs / 3)),
    rebalanceTimeout: config.sessionTimeoutMs * 3,
    retries: true,
    retryDelay: 1000,
    autocommit: false,
  });
}

/**
 * Commits, per partition, the offset after the last record of `records` (what the group resumes
 * from). Called only once the records' outputs are acknowledged: a crash before it replays them.
 */
export async function commitAfter(records: readonly RawMessage[]): Promise<void> {
  const last = new Map<string, RawMessage>();
  for (const record of records) last.set(`${record.topic}/${record.partition}`, record);
  await Promise.all(
    [...last.values()].map(
      (record) =>
        new Promise<void>((resolve, reject) => {
          record.commit((error) => (error ? reject(error) : resolve()));
        }),
    ),
  );
}
