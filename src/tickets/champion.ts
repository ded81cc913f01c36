import { type RoutingModel, readPublishedRoutingModel } from "../classify/model.js";
import { findOutput, publishedDates, readManifest, readVerified } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { kinds } from "./dataset.js";

/** What evaluate decided for a date; a promoted record makes its model the champion from that date on. */
export interface PromotionRecord {
  date: string;
  promote: boolean;
  reason: string;
  challenger: { version: string; uri: string; key: string; sha256: string };
  champion: { version: string; uri: string } | null;
}

/** The pointer the API follows: the champion of the newest promoted date (written last, one atomic object). */
export const championPointerKey = "tickets/champion.json";

/**
 * The champion as of `date`: the model of the newest promoted record strictly before it (backfills see
 * history), or on or before it with `including` (what serves on that date: evaluate promotes before
 * the date's routing starts).
 */
export async function championAsOf(
  store: ArtifactStore,
  date: string,
  { including = false }: { including?: boolean } = {},
): Promise<{ record: PromotionRecord; model: RoutingModel } | null> {
  const dates = (await publishedDates(store, kinds.promotion))
    .filter((d) => d < date || (including && d === date))
    .reverse();
  for (const day of dates) {
    const manifest = await readManifest(store, kinds.promotion, day);
    const output = findOutput(manifest, "decision.json");
    if (!output) continue;
    const record = JSON.parse((await readVerified(store, output)).toString("utf8")) as PromotionRecord;
    if (!record.promote) continue;
    const model = await readPublishedRoutingModel(store, record.challenger, record.challenger.uri);
    return { record, model };
  }
  return null;
}

/** The store's champion pointer (the promotion record it holds), or null before the first promotion. */
export async function readChampionPointer(store: ArtifactStore): Promise<PromotionRecord | null> {
  if (!(await store.exists(championPointerKey))) return null;
  return JSON.parse((await store.get(championPointerKey)).toString("utf8")) as PromotionRecord;
}

/** Moves the champion pointer to this record unless a newer date already holds it (a backfill must not roll it back). */
export async function movePointer(store: ArtifactStore, record: PromotionRecord): Promise<boolean> {
  const current = await readChampionPointer(store);
  if (current && current.date > record.date) return false;
  await store.put(championPointerKey, `${JSON.stringify(record, null, 2)}\n`);
  return true;
}
