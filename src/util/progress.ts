import cliProgress from "cli-progress";
import type { Logger } from "./log.js";

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/**
 * A progress bar when a person watches (stderr is a TTY), otherwise a JSON log line every `logEvery` items
 * so pod logs show progress without terminal escape codes.
 */
export function createProgress(log: Logger, label: string, total?: number, logEvery = 10_000): Progress {
  let done = 0;
  if (process.stderr.isTTY && process.env.CI !== "true") {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: total
          ? `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`
          : `${label} {value} items {duration_formatted}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0);
    return {
      tick(by = 1) {
        done += by;
        bar.update(done);
      },
      stop() {
        bar.stop();
      },
    };
  }
  let nextLog = logEvery;
  return {
    tick(by = 1) {
      done += by;
      if (done >= nextLog) {
        log.info({ step: label, done, total }, "progress");
        nextLog += logEvery;
      }
    },
    stop() {
      log.info({ step: label, done, total }, "progress done");
    },
  };
}
