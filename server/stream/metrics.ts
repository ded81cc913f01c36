import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram } from "prom-client";
import type { Logger } from "../../src/util/log.js";
import { ApiMetrics } from "../metrics.js";

/**
 * `inflow stream`'s Prometheus metrics: the model and prediction series `serve` exports (same names,
 * so the dashboards and alerts apply), plus records, lag and batch time. A contract with
 * monitoring/rules/stream.yml and the Grafana stream panels: change them together.
 */
export class StreamMetrics extends ApiMetrics {
  readonly records = new Counter({
    name: "inflow_stream_records_total",
    help: "Records consumed and acknowledged downstream, by role (router, sink) and result (routed, dead_letter, stored)",
    labelNames: ["role", "result"] as const,
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: "inflow_stream_consumer_lag",
    help: "Records in the input topic not yet committed by this member's group, by partition (sampled)",
    labelNames: ["group", "topic", "partition"] as const,
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: "inflow_stream_batch_duration_seconds",
    help: "One batch from read to commit (classify, produce and wait for acks, commit), by role",
    labelNames: ["role"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly commitFailures = new Counter({
    name: "inflow_stream_commit_failures_total",
    help: "Offset commits refused (a rebalance moved the partition): its records are replayed by the new owner",
    labelNames: ["role"] as const,
    registers: [this.registry],
  });
}

/** GET /metrics (Prometheus text) and GET /healthz on `port`; 0 = no listener. */
export async function serveMetrics(
  metrics: StreamMetrics,
  port: number,
  log: Logger,
): Promise<Server | null> {
  if (port === 0) return null;
  const server = createServer((request, response) => {
    if (request.url === "/metrics") {
      void metrics.registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
      });
    } else if (request.url === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "0.0.0.0", resolve));
  log.info({ port }, "metrics listening");
  return server;
}
