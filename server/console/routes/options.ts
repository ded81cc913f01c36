import type { ReviewWorkspace } from "../../../src/review/workspace.js";
import type { Logger } from "../../../src/util/log.js";
import type { Skips } from "../skips.js";

/** What the console's change and API routes work with. */
export interface RouteOptions {
  workspace: ReviewWorkspace;
  skips: Skips;
  log: Logger;
}
