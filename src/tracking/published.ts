import { findOutput, type Manifest } from "../store/publish.js";
import type { TrackerRun } from "./tracker.js";

/**
 * Attaches outputs that are already published to the tracked run, each pointing at its store object:
 * the store is the record, the tracker a view of it (artifacts are published before they are logged).
 */
export async function logPublished(
  run: TrackerRun,
  storeUri: string,
  manifest: Manifest,
  files: Record<string, string | Uint8Array>,
  contentType?: string,
): Promise<void> {
  for (const [name, body] of Object.entries(files)) {
    const output = findOutput(manifest, name);
    if (!output)
      throw new Error(`${name} is not among the published outputs of ${manifest.kind} ${manifest.date}`);
    await run.logArtifact({ name, body, contentType, storeUri: `${storeUri}/${output.key}` });
  }
}
