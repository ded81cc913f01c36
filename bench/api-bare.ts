/**
 * bench:api's ceiling: a bare Fastify route on the same path that parses the same JSON body (Fastify's
 * own parser) and answers a constant prediction of the shape `inflow serve` answers, with no
 * validation, hooks, model or logging. What a Fastify server on this machine can do at most; `inflow
 * serve`'s throughput is reported as a share of it.
 *
 * Run: node --import tsx bench/api-bare.ts <port>   (bench/api.ts starts it)
 */
import Fastify from "fastify";

const port = Number(process.argv[2]);
const answer = {
  predictions: [
    {
      id: "ticket",
      topic_id: 0,
      topic: "Credit card",
      department: "Cards",
      confidence: 0.9,
      out_of_scope: 0.1,
      needs_review: false,
      truncated: false,
      model_version: "bench-1",
      explanation: [{ term: "card", weight: 1.5 }],
    },
  ],
};

const app = Fastify();
app.get("/api/health", async () => ({ status: "ok" }));
app.post("/api/predict", async () => answer);
await app.listen({ port, host: "127.0.0.1" });
