import type { Consumer } from "@platformatic/kafka";
import type { Logger } from "../../src/util/log.js";

/** How long before a failed rejoin is tried again. */
const rejoinDelayMs = 1000;

/**
 * Rejoins the group when the client's heartbeat fails for good, so the member neither leaves the group
 * silently nor keeps an assignment the group no longer gives it.
 *
 * @platformatic/kafka 1.35 (`Consumer#heartbeat`) answers a heartbeat error it does not retry and that
 * asks for no rejoin (its request timeout, for one) by cancelling its heartbeat timer and then refreshing
 * that cancelled timer: no heartbeat is ever sent again. The broker drops the member after its session
 * timeout; the client keeps its member id and assignment and goes on fetching those partitions, and only
 * a refused commit makes it rejoin. A member whose own partitions are drained then idles while the
 * partitions of the rebalance it missed wait, unread (seen with the broker stopped for longer than the
 * request timeout: `isActive()` false, the old assignment kept, no heartbeat after the broker answered
 * again; docs/stream.md). A rejoin restarts the heartbeats and brings the group's current assignment,
 * which the stream's own join handling then reads from the committed offsets. Remove once the client
 * schedules the next heartbeat after such an error.
 */
export function rejoinWhenHeartbeatsStop(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  log: Logger,
): void {
  let rejoining = false;
  // A join can fail the same way (the broker still not answering within the request timeout): again
  // a second later, until one succeeds or the consumer closes.
  const rejoin = () => {
    if (consumer.closed) return;
    consumer.joinGroup({}).then(
      () => {
        rejoining = false;
      },
      (error: unknown) => {
        if (consumer.closed) return;
        log.warn({ err: error }, "rejoining the group after a failed heartbeat failed; retrying in 1 s");
        setTimeout(rejoin, rejoinDelayMs).unref();
      },
    );
  };
  consumer.on("consumer:heartbeat:error", ({ error }: { error?: Error }) => {
    if (consumer.closed || rejoining) return;
    rejoining = true;
    log.warn(
      { err: error },
      "Kafka heartbeat failed and the client stopped heartbeating: rejoining the group",
    );
    rejoin();
  });
}
