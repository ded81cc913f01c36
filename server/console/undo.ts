import type { HumanLabel } from "../../src/review/human-labels.js";

/**
 * The label the queue's undo (`u`) retracts: the reviewer's newest answer. Undefined when they gave
 * none or their newest entry is already a retraction (one undo; labelling again is the way back).
 */
export function undoableLabel(labels: readonly HumanLabel[], reviewer: string): HumanLabel | undefined {
  const last = labels.findLast((l) => l.reviewer === reviewer);
  return last?.answer.kind === "retract" ? undefined : last;
}
