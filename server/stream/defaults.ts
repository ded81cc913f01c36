/**
 * The stream's defaults, in a module of their own (no imports): the config reads them, and
 * `inflow stream --help` names them without loading the stream's code into every CLI start.
 */
export const streamDefaults = {
  brokers: "localhost:9092",
  topicIn: "tickets.raw",
  topicRouted: "tickets.routed",
  topicDeadLetter: "tickets.dead-letter",
  groupId: "inflow-router",
  sinkGroupId: "inflow-raw-sink",
  sessionTimeoutMs: 10_000,
  /** The Kafka client's own request timeout: a send the broker holds longer fails and stops the router. */
  sendTimeoutMs: 30_000,
  batchSize: 500,
  sinkFlushRecords: 5000,
  sinkFlushSeconds: 60,
  metricsPort: 9464,
  /** Below Kubernetes' default terminationGracePeriodSeconds (30), so the pod is never SIGKILLed first. */
  shutdownSeconds: 20,
  stallSeconds: 120,
} as const;
