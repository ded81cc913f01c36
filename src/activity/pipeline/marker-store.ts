/** Sent markers of the morning report kept in the artifact store (one small JSON object per chat and date). */
import type { ArtifactStore } from "../../store/store.js";
import type { SentMarker, SentMarkerStore } from "../../telegram/sent-marker.js";
import { destinationKey } from "./layout.js";

export class StoreMarkerStore implements SentMarkerStore {
  /** `prefix`: the chat's report-sent folder (see layout.ts). */
  constructor(
    private readonly store: ArtifactStore,
    private readonly prefix: string,
  ) {}

  key(chatId: string, date: string): string {
    return `${this.prefix}/to=${destinationKey(chatId)}/${date}.json`;
  }

  async get(chatId: string, date: string): Promise<SentMarker | undefined> {
    const key = this.key(chatId, date);
    if (!(await this.store.exists(key))) return undefined;
    return JSON.parse((await this.store.get(key)).toString("utf8")) as SentMarker;
  }

  async put(marker: SentMarker): Promise<void> {
    await this.store.put(this.key(marker.chatId, marker.date), `${JSON.stringify(marker, null, 2)}\n`);
  }
}
