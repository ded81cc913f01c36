import type { CommandModule } from "yargs";
import { streamDefaults as d } from "../server/stream/defaults.js";
import { ConfigError } from "../src/util/errors.js";
import { fail, failStart } from "./start-messages.js";

interface StreamOptions {
  role: "router" | "sink";
}

/**
 * `inflow stream`: a long-running Kafka consumer-group member. SIGTERM/SIGINT: finish the batch in
 * hand, commit it, leave the group, exit 0; if that takes longer than INFLOW_STREAM_SHUTDOWN_SECONDS
 * (no broker), exit 1 without committing. A member that stops consuming with records waiting
 * (INFLOW_STREAM_STALL_SECONDS) stops the same way and exits 1, and so does one whose send the broker
 * does not acknowledge (INFLOW_KAFKA_SEND_TIMEOUT_MS), without committing that batch. Bad
 * configuration exits 2.
 */
export const streamCommand: CommandModule<object, StreamOptions> = {
  command: "stream",
  describe: "Route tickets from Kafka (tickets.raw → tickets.routed), or sink raw tickets into the raw store",
  builder: (argv) =>
    argv
      .option("role", {
        choices: ["router", "sink"] as const,
        default: "router" as const,
        describe:
          "router: classify with the champion and produce routed tickets; sink: write raw tickets to the raw store",
      })
      .epilog(
        `Configured by environment: INFLOW_KAFKA_BROKERS (default ${d.brokers}), INFLOW_KAFKA_TOPIC_IN / _ROUTED / ` +
          `_DEAD_LETTER (${d.topicIn}, ${d.topicRouted}, ${d.topicDeadLetter}), INFLOW_KAFKA_GROUP (${d.groupId}), ` +
          `INFLOW_STREAM_SHUTDOWN_SECONDS (${d.shutdownSeconds}), INFLOW_STREAM_STALL_SECONDS (${d.stallSeconds}, 0: off), ` +
          `INFLOW_KAFKA_SEND_TIMEOUT_MS (${d.sendTimeoutMs}), ` +
          "the model and store as for `inflow serve`. Every variable: docs/stream.md.",
      ),
  handler: async (options) => {
    const { loadStreamConfig } = await import("../server/stream/config.js");
    const { runStream } = await import("../server/stream/run.js");
    const { createLogger } = await import("../src/util/log.js");
    // Unbuffered, unlike serve's access log: a stream's rare lines (a broker unreachable) must show
    // at once; JSON off a terminal, short lines on one.
    const log = createLogger("stream");
    let config: ReturnType<typeof loadStreamConfig>;
    try {
      config = loadStreamConfig(process.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failStart("stream", error.message);
    }
    const stop = new AbortController();
    const onSignal = (signal: string) => {
      log.info({ signal }, "signal received; finishing the batch in hand");
      stop.abort();
    };
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    process.once("SIGINT", () => onSignal("SIGINT"));
    // A store folder that is not there is bad configuration too, found only once the role opens it.
    const outcome = await runStream(options.role, config, log, stop.signal).catch((error: unknown) => {
      if (!(error instanceof ConfigError)) throw error;
      return failStart("stream", error.message);
    });
    const summary = "counts" in outcome ? outcome.counts : {};
    process.stdout.write(`${JSON.stringify({ status: outcome.status, role: options.role, ...summary })}\n`);
    log.flush();
    if (outcome.status === "send_failed" || outcome.status === "commit_refused")
      fail("stream", outcome.reason, 1);
    // 1: stopped by the stall watchdog, or without committing what was in flight (nothing lost).
    process.exit(outcome.status === "ok" ? 0 : 1);
  },
};
