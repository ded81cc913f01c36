import type { Argv } from "yargs";
import { defaultNoveltySettings, type NoveltySettings } from "../../src/novelty/pool.js";

/** The novelty flags of every step that labels (label, and the topic decisions that relabel). */
export interface NoveltyFlags {
  "novelty-min-z": number;
  "novelty-window-days": number;
  "novelty-min-size": number;
  "refit-increase": number;
}

export function withNoveltyFlags<T>(argv: Argv<T>): Argv<T & NoveltyFlags> {
  const d = defaultNoveltySettings;
  return argv
    .option("novelty-min-z", {
      type: "number",
      default: d.signal.minZ,
      describe:
        "A ticket whose nearest tickets come from this run this many standard deviations above chance (against the topic model's training tickets) is novel",
    })
    .option("novelty-window-days", {
      type: "number",
      default: d.windowDays,
      describe: "Days novel tickets stay in the pool",
    })
    .option("novelty-min-size", {
      type: "number",
      default: d.minSize,
      describe: "Fewest tickets of a proposed topic",
    })
    .option("refit-increase", {
      type: "number",
      default: 0.15,
      describe: "Recommend a refit when the novelty share exceeds the model's own by this much",
    });
}

export function noveltySettingsFromFlags(flags: NoveltyFlags): NoveltySettings {
  return {
    ...defaultNoveltySettings,
    signal: { ...defaultNoveltySettings.signal, minZ: flags["novelty-min-z"] },
    windowDays: flags["novelty-window-days"],
    minSize: flags["novelty-min-size"],
  };
}
