import type { Counter, Histogram } from "prom-client";
import type { ApiInstance } from "../instance.js";
import type { ApiMetrics } from "../metrics.js";
import { pathOf } from "./errors.js";

interface RequestSeries {
  duration: Histogram.Internal<"method" | "route" | "status_code">;
  answered: Counter.Internal;
}

/**
 * Per request: the latency histogram and request counter (labelled by the route pattern, so unknown
 * URLs collapse into "unmatched" instead of growing the label set), and one JSON access-log line
 * with method, path, status, duration and batch size — never the body, so never ticket text.
 */
export function observeRequests(app: ApiInstance, metrics: ApiMetrics, accessLog: boolean): void {
  // Each method × route × status series is resolved once, not looked up by its labels on every request
  // (bounded like the label set itself: the routes' patterns, "unmatched", the statuses answered).
  const series = new Map<string, RequestSeries>();
  const seriesOf = (method: string, route: string, statusCode: number): RequestSeries => {
    const key = `${method} ${statusCode} ${route}`;
    let found = series.get(key);
    if (!found) {
      const status = String(statusCode);
      found = {
        duration: metrics.requestDuration.labels(method, route, status),
        answered: metrics.requests.labels(method, route, status),
      };
      series.set(key, found);
    }
    return found;
  };
  app.addHook("onResponse", (request, reply, done) => {
    const ms = reply.elapsedTime;
    const { duration, answered } = seriesOf(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
    );
    duration.observe(ms / 1000);
    answered.inc();
    if (accessLog) {
      request.log.info(
        {
          method: request.method,
          path: pathOf(request.url),
          status: reply.statusCode,
          ms: Math.round(ms * 1000) / 1000,
          tickets: Array.isArray(request.body) ? request.body.length : undefined,
        },
        "request",
      );
    }
    done();
  });
}
