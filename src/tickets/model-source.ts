import { readFile } from "node:fs/promises";
import { openRoutingModel, type RoutingModel, readPublishedRoutingModel } from "../classify/model.js";
import { publishedObject } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { InputError } from "../util/errors.js";
import { championAsOf, championPointerKey, type PromotionRecord } from "./champion.js";

/**
 * Where a routing model comes from: "champion" (the store's champion pointer; with `asOf`, the
 * champion serving on that date, so a past date reads no later promotion), an object URI inside
 * the store (`<store uri>/<key>`), or a local file path. Store objects are checked against the sha256
 * the pointer or their publication records: a model changed after publication is refused.
 */
export async function loadRoutingModel(
  source: string,
  store: ArtifactStore,
  asOf?: string,
): Promise<{ model: RoutingModel; uri: string }> {
  if (source === "champion" && asOf) {
    const champion = await championAsOf(store, asOf, { including: true });
    if (!champion)
      throw new InputError(
        `no champion promoted on or before ${asOf} in ${store.uri}: run evaluate first, or give a later --date`,
      );
    return { model: champion.model, uri: champion.record.challenger.uri };
  }
  if (source === "champion") {
    if (!(await store.exists(championPointerKey))) {
      throw new InputError(`no champion in ${store.uri}: run evaluate to promote a model first`);
    }
    const record = JSON.parse((await store.get(championPointerKey)).toString("utf8")) as PromotionRecord;
    return {
      model: await readPublishedRoutingModel(store, record.challenger, record.challenger.uri),
      uri: record.challenger.uri,
    };
  }
  const prefix = `${store.uri.replace(/\/$/, "")}/`;
  if (source.startsWith(prefix)) {
    const key = source.slice(prefix.length);
    const published = await publishedObject(store, key);
    if (published) return { model: await readPublishedRoutingModel(store, published, source), uri: source };
    const body = await store.get(key);
    return { model: openRoutingModel(body.toString("utf8"), source, null), uri: source };
  }
  if (/^[a-z0-9]+:\/\//.test(source))
    throw new InputError(`model URI ${source} is not inside the store ${store.uri}`);
  const text = await readFile(source, "utf8").catch((error) => {
    throw new InputError(`cannot read model file ${source}: ${(error as Error).message}`);
  });
  return { model: openRoutingModel(text, source, null), uri: source };
}
