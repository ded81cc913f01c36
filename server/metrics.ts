import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Prediction } from "../src/classify/model-predict.js";
import type { LoadFailureReason, ModelEvents, ServedModel } from "./model/served.js";

/**
 * The API's Prometheus metrics. Names and labels are a contract with monitoring/ (alert rules and
 * Grafana dashboards): change them only together.
 */
export class ApiMetrics implements ModelEvents {
  readonly registry = new Registry();
  readonly predictions = new Counter({
    name: "inflow_predictions_total",
    help: "Tickets classified, by predicted topic and routing department",
    labelNames: ["topic_id", "topic", "department"] as const,
    registers: [this.registry],
  });
  readonly lowConfidence = new Counter({
    name: "inflow_low_confidence_predictions_total",
    help: "Tickets classified below the taxonomy's review threshold (needs_review), by topic",
    labelNames: ["topic"] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "inflow_http_request_duration_seconds",
    help: "HTTP request duration from arrival to response sent",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: "inflow_http_requests_total",
    help: "HTTP requests answered",
    labelNames: ["method", "route", "status_code"] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: "inflow_predict_batch_size",
    help: "Tickets per /api/predict request",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: "inflow_model_info",
    help: "The served routing model (value 1; its identity in the labels)",
    labelNames: ["version", "topic_model_version", "trained_date"] as const,
    registers: [this.registry],
  });
  readonly preprocessInfo = new Gauge({
    name: "inflow_predict_preprocess_info",
    help: "How the served model turns text into terms (value 1): mode exact or lexicon (INFLOW_API_PREPROCESS)",
    labelNames: ["mode"] as const,
    registers: [this.registry],
  });
  readonly modelTrained = new Gauge({
    name: "inflow_model_trained_timestamp_seconds",
    help: "When the served model's version was published (Unix seconds)",
    registers: [this.registry],
  });
  readonly modelLoaded = new Gauge({
    name: "inflow_model_loaded_timestamp_seconds",
    help: "When the served model was loaded by this process (Unix seconds)",
    registers: [this.registry],
  });
  readonly loadFailures = new Counter({
    name: "inflow_model_load_failures_total",
    help: "Model loads that failed (the previous model kept serving), by reason: unavailable, invalid, warmup",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: "inflow_model_reloads_total",
    help: "Successful model loads (the first one included)",
    registers: [this.registry],
  });

  /** Per-topic counter children of the served model, resolved once per model instead of per ticket. */
  #topicCounters = new Map<number, TopicCounters>();

  constructor(collectProcessMetrics = true) {
    // Unprefixed, as stock Node.js dashboards and alerts expect them (process_*, nodejs_*).
    if (collectProcessMetrics) collectDefaultMetrics({ register: this.registry });
    this.loadFailures.inc({ reason: "unavailable" }, 0);
    this.loadFailures.inc({ reason: "invalid" }, 0);
    this.loadFailures.inc({ reason: "warmup" }, 0);
    this.reloads.inc(0);
  }

  countPrediction(p: Prediction): void {
    let counters = this.#topicCounters.get(p.topicId);
    // Names are checked too: a request still running on the previous model may name a topic differently.
    if (!counters || counters.topic !== p.topicName || counters.department !== p.department) {
      counters = {
        topic: p.topicName,
        department: p.department,
        predicted: this.predictions.labels(String(p.topicId), p.topicName, p.department),
        lowConfidence: this.lowConfidence.labels(p.topicName),
      };
      this.#topicCounters.set(p.topicId, counters);
    }
    counters.predicted.inc();
    if (p.needsReview) counters.lowConfidence.inc();
  }

  loaded(served: ServedModel, previous: ServedModel | null): void {
    if (previous) this.modelInfo.remove(infoLabels(previous));
    this.modelInfo.set(infoLabels(served), 1);
    this.preprocessInfo.reset();
    this.preprocessInfo.set({ mode: served.preprocess }, 1);
    const trained = Date.parse(served.model.createdAt ?? "");
    if (Number.isFinite(trained)) this.modelTrained.set(trained / 1000);
    this.modelLoaded.set(served.loadedAt.getTime() / 1000);
    this.reloads.inc();
  }

  failed(reason: LoadFailureReason): void {
    this.loadFailures.inc({ reason });
  }
}

interface TopicCounters {
  topic: string;
  department: string;
  predicted: Counter.Internal;
  lowConfidence: Counter.Internal;
}

function infoLabels(served: ServedModel): Record<"version" | "topic_model_version" | "trained_date", string> {
  return {
    version: served.model.version,
    topic_model_version: served.model.topicModelVersion,
    trained_date: served.model.date,
  };
}
