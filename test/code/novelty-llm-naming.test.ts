import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  type LlmSettings,
  llmSettingsFromEnv,
  nameProposalsWithLlm,
  nameTopicWithLlm,
} from "../../src/novelty/llm-naming.js";
import type { NoveltyState, Proposal } from "../../src/novelty/pool.js";
import { ConfigError } from "../../src/util/errors.js";
import { createLogger } from "../../src/util/log.js";
import { ChatCompletionsDouble } from "../harness/chat-completions-double.js";

const topic = { terms: ["wallet", "bitcoin", "exchange"], examples: [["wallet", "bitcoin", "transfer"]] };
const log = createLogger("test", "silent");
const good =
  '{"name": "Crypto wallets", "description": "Tickets about cryptocurrency wallets and transfers."}';

describe("LLM naming against a chat-completions double", () => {
  let double: ChatCompletionsDouble;
  let settings: LlmSettings;
  before(async () => {
    double = await ChatCompletionsDouble.start();
  });
  beforeEach(() => {
    double.requests.length = 0;
    settings = { url: double.url, model: "test-model", apiKey: "k-123", timeoutMs: 500, retries: 2 };
  });
  after(() => double.stop());

  test("a valid JSON answer gives name and description; the request carries model, key and the terms", async () => {
    double.script({ content: good });
    assert.deepEqual(await nameTopicWithLlm(settings, topic, log), {
      name: "Crypto wallets",
      description: "Tickets about cryptocurrency wallets and transfers.",
    });
    const [request] = double.requests;
    assert.equal(request!.body.model, "test-model");
    assert.equal(request!.authorization, "Bearer k-123");
    assert.match(request!.body.messages!.at(-1)!.content, /wallet, bitcoin, exchange/);
  });

  test("JSON in a Markdown fence is accepted", async () => {
    double.script({ content: `\`\`\`json\n${good}\n\`\`\`` });
    assert.equal((await nameTopicWithLlm(settings, topic, log))?.name, "Crypto wallets");
  });

  test("malformed, off-schema and failed answers are retried; a later valid one wins", async () => {
    double.script({ content: "Crypto wallets!" }, { content: '{"name": ""}' }, { content: good });
    assert.equal((await nameTopicWithLlm(settings, topic, log))?.name, "Crypto wallets");
    assert.equal(double.requests.length, 3);
    double.script({ rawBody: "<html>bad gateway</html>" }, { status: 500 }, { content: good });
    assert.equal((await nameTopicWithLlm(settings, topic, log))?.name, "Crypto wallets");
  });

  test("a slow answer times out and is retried; all attempts failing gives null (keep the term-based name)", async () => {
    double.script({ content: good, delayMs: 5_000 }, { content: good });
    assert.equal((await nameTopicWithLlm(settings, topic, log))?.name, "Crypto wallets");
    double.script(
      { status: 500 },
      { content: '{"name": "x", "description": "y", "extra": 1}' },
      { content: good, delayMs: 5_000 },
    );
    assert.equal(await nameTopicWithLlm(settings, topic, log), null);
    assert.equal(double.requests.length, 5);
  });
});

describe("naming a run's proposals", () => {
  const proposal = (id: string): Proposal => ({
    id,
    status: "proposed",
    name: "wallet / bitcoin / exchange",
    suggestedDepartment: "Unrouted",
    origin: "top-terms",
    terms: topic.terms.map((term) => ({ term, weight: 1 })),
    phrases: [],
    coherence: 0,
    cohesion: 1,
    emergence: 1,
    size: 20,
    sizeByDate: { "2026-01-19": 20 },
    representatives: ["t1"],
    firstSeen: "2026-01-19",
    lastSeen: "2026-01-19",
    runs: 1,
    component: { terms: topic.terms, weights: [1, 1, 1] },
  });
  const state = (...proposals: Proposal[]): NoveltyState => ({
    date: "2026-01-19",
    nextProposal: 3,
    tickets: [{ id: "t1", date: "2026-01-19", tokens: ["wallet", "seed", "phrase"], proposal: "new-1" }],
    proposals,
  });

  test("new proposals get the model's name; one named in an earlier run keeps it without a request; failures keep the terms", async () => {
    const double = await ChatCompletionsDouble.start();
    try {
      const settings = { url: double.url, model: "m", timeoutMs: 500, retries: 0 };
      const earlier = { ...proposal("new-1"), name: "Crypto wallets", description: "Named before." };
      double.script(
        { content: '{"name": "Seed phrases", "description": "Lost wallet seed phrases."}' },
        { status: 500 },
      );
      const now = state(proposal("new-1"), proposal("new-2"), proposal("new-3"));
      await nameProposalsWithLlm(now, state(earlier), settings, log);
      assert.deepEqual(
        now.proposals.map((p) => [p.name, p.description]),
        [
          ["Crypto wallets", "Named before."],
          ["Seed phrases", "Lost wallet seed phrases."],
          ["wallet / bitcoin / exchange", undefined],
        ],
      );
      assert.equal(double.requests.length, 2);
      assert.match(double.requests[0]!.body.messages!.at(-1)!.content, /wallet seed phrase/);
    } finally {
      await double.stop();
    }
  });
});

describe("LLM naming configuration", () => {
  test("off without INFLOW_LLM_URL; URL and model required together; timeout validated", () => {
    assert.equal(llmSettingsFromEnv({}), null);
    assert.deepEqual(llmSettingsFromEnv({ INFLOW_LLM_URL: "http://llm:8000/v1/", INFLOW_LLM_MODEL: "m" }), {
      url: "http://llm:8000/v1",
      model: "m",
      apiKey: undefined,
      timeoutMs: 20_000,
      retries: 2,
    });
    assert.throws(() => llmSettingsFromEnv({ INFLOW_LLM_URL: "http://llm" }), ConfigError);
    assert.throws(
      () => llmSettingsFromEnv({ INFLOW_LLM_URL: "llm:8000", INFLOW_LLM_MODEL: "m" }),
      ConfigError,
    );
    assert.throws(
      () =>
        llmSettingsFromEnv({
          INFLOW_LLM_URL: "http://llm",
          INFLOW_LLM_MODEL: "m",
          INFLOW_LLM_TIMEOUT_MS: "soon",
        }),
      ConfigError,
    );
  });
});
