import { Admin } from "@platformatic/kafka";
import type { StreamConfig } from "./config.js";

/**
 * Whether the brokers answer this process on a connection of its own: a new client, one metadata
 * request for the input topic, no retries, closed after. True only if answered within `withinMs`. The stall
 * watchdog's evidence that the broker is up while the member's own client gets no answer (a wedged
 * client) rather than down for everyone (an outage). A new client: a pooled connection could share
 * the wedge it is asked about.
 */
export async function freshConnectionAnswers(
  { brokers, clientId, topicIn }: Pick<StreamConfig, "brokers" | "clientId" | "topicIn">,
  withinMs: number,
): Promise<boolean> {
  const admin = new Admin({
    clientId: `${clientId}-probe`,
    bootstrapBrokers: brokers,
    retries: 0,
    connectTimeout: withinMs,
    requestTimeout: withinMs,
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs);
  });
  try {
    const answered = admin.metadata({ topics: [topicIn] }).then(
      () => true,
      () => false,
    );
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
    // Closing a client whose request is still pending must not hold the sample up.
    admin.close().catch(() => {});
  }
}
