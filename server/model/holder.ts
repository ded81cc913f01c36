import type { PreprocessMode } from "../../src/classify/lexicon.js";
import { defaultTextLimits, type TextLimits } from "../../src/text/limits.js";
import { InputError } from "../../src/util/errors.js";
import type { Logger } from "../../src/util/log.js";
import { serverDefaults } from "../config.js";
import type { PredictionPool } from "./prediction-pool.js";
import { buildServingPredictor } from "./predictor.js";
import type { LoadFailureReason, ModelEvents, ServedModel } from "./served.js";
import { type ModelSource, SourceUnavailableError } from "./source.js";

export type RefreshResult = "loaded" | "unchanged" | "failed";

/**
 * Holds the served model and replaces it when the source changes: load, verify (checksum, schema,
 * shapes), warm up (in the main thread and in every worker of the pool, when there is one), then
 * swap with one reference assignment. A request reads `current` once and
 * keeps that model to the end, so a swap never fails or mixes versions inside a request. A failed
 * load leaves the old model serving; a version that failed verification is not retried until the
 * source changes again, so one bad deploy counts once.
 */
export class ModelHolder {
  #current: ServedModel | null = null;
  #rejected: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  #refreshing: Promise<RefreshResult> | null = null;

  constructor(
    private readonly source: ModelSource,
    private readonly events: ModelEvents,
    private readonly log: Logger,
    private readonly explainTerms = 5,
    private readonly preprocess: PreprocessMode = serverDefaults.preprocess,
    private readonly limits: TextLimits = defaultTextLimits,
    private readonly pool: PredictionPool | null = null,
  ) {}

  get current(): ServedModel | null {
    return this.#current;
  }

  /** Checks the source once; concurrent calls share one check. */
  refresh(): Promise<RefreshResult> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Polls every `seconds` (after each check completes, so slow loads never overlap). */
  startPolling(seconds: number): void {
    if (seconds <= 0 || this.#timer) return;
    const tick = () => {
      this.#timer = setTimeout(() => void this.refresh().finally(schedule), seconds * 1000);
      this.#timer.unref();
    };
    const schedule = () => {
      if (this.#timer) tick();
    };
    tick();
  }

  stopPolling(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #refresh(): Promise<RefreshResult> {
    let fingerprint: string;
    try {
      fingerprint = await this.source.fingerprint();
    } catch (error) {
      return this.#fail(error instanceof SourceUnavailableError ? "unavailable" : "invalid", error);
    }
    if (fingerprint === this.#current?.fingerprint || fingerprint === this.#rejected) return "unchanged";
    let loaded: Awaited<ReturnType<ModelSource["load"]>>;
    try {
      loaded = await this.source.load();
    } catch (error) {
      if (error instanceof InputError) this.#rejected = fingerprint;
      return this.#fail(error instanceof InputError ? "invalid" : "unavailable", error);
    }
    let served: ServedModel;
    try {
      const options = { preprocess: this.preprocess, limits: this.limits, explainTerms: this.explainTerms };
      const { predictor, termSteps } = buildServingPredictor(loaded.model, options);
      const pool = this.pool;
      await pool?.load(fingerprint, loaded.model, options);
      served = {
        model: loaded.model,
        predictor,
        termSteps,
        offload: pool && {
          workers: pool.workers,
          predict: (texts) => pool.predict(fingerprint, texts),
          backlogChars: () => pool.backlogChars(),
        },
        preprocess: this.preprocess,
        fingerprint,
        uri: loaded.uri,
        loadedAt: new Date(),
      };
    } catch (error) {
      this.#rejected = fingerprint;
      return this.#fail("warmup", error);
    }
    const previous = this.#current;
    this.#current = served;
    this.#rejected = null;
    this.log.info(
      {
        version: served.model.version,
        previous: previous?.model.version ?? null,
        uri: served.uri,
        fingerprint,
      },
      "model loaded",
    );
    this.events.loaded(served, previous);
    return "loaded";
  }

  #fail(reason: LoadFailureReason, error: unknown): RefreshResult {
    const err = error instanceof Error ? error : new Error(String(error));
    this.log.error(
      {
        reason,
        source: this.source.description,
        error: err.message,
        serving: this.#current?.model.version ?? null,
      },
      "model load failed; keeping the served model",
    );
    this.events.failed(reason, err);
    return "failed";
  }
}
