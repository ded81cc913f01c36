/**
 * Rolling the API Deployment to a new image and watching it the way `kubectl rollout status` does:
 * the controller has seen the new generation, every replica is updated and available, no old replica
 * is left; `Progressing=False, reason ProgressDeadlineExceeded` (or our own timeout) is a failure, and
 * a failure rolls back to the image that ran before.
 */
import { InputError } from "../util/errors.js";
import type { DeploymentApi, V1Deployment } from "./deployment-api.js";
import { resolveImage } from "./image-reference.js";

export interface DeployOptions {
  namespace: string;
  deployment: string;
  container: string;
  image: string;
  timeoutSeconds: number;
  pollSeconds: number;
}

export type RolloutState = { done: true } | { done: false; failed?: string; waiting: string };

export interface DeployResult {
  status: "rolled-out" | "unchanged" | "rolled-back" | "rollback-failed";
  previousImage: string;
  image: string;
  reason?: string;
  seconds: number;
}

/** Where a rollout stands, from the Deployment's status alone. */
export function rolloutState(d: V1Deployment): RolloutState {
  const generation = d.metadata?.generation ?? 0;
  const status = d.status ?? {};
  if ((status.observedGeneration ?? 0) < generation)
    return { done: false, waiting: "controller has not seen the change" };
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return {
      done: false,
      failed: `progress deadline exceeded: ${progressing.message ?? ""}`.trim(),
      waiting: "",
    };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < desired) return { done: false, waiting: `${updated} of ${desired} replicas updated` };
  if ((status.replicas ?? 0) > updated)
    return { done: false, waiting: `${(status.replicas ?? 0) - updated} old replicas left` };
  if ((status.availableReplicas ?? 0) < updated) {
    return {
      done: false,
      waiting: `${status.availableReplicas ?? 0} of ${updated} updated replicas available`,
    };
  }
  return { done: true };
}

function containerImage(d: V1Deployment, container: string): string | undefined {
  return d.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Polls until the rollout is done (null) or failed (the reason). */
export async function waitForRollout(
  api: DeploymentApi,
  options: Pick<DeployOptions, "namespace" | "deployment" | "timeoutSeconds" | "pollSeconds">,
  onWaiting: (message: string) => void = () => {},
): Promise<string | null> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let last = "";
  for (;;) {
    const current = await api.read(options.namespace, options.deployment);
    if (!current) return "the Deployment disappeared during the rollout";
    const state = rolloutState(current);
    if (state.done) return null;
    if (state.failed) return state.failed;
    if (state.waiting !== last) {
      last = state.waiting;
      onWaiting(last);
    }
    if (Date.now() >= deadline) return `timed out after ${options.timeoutSeconds} s (${state.waiting})`;
    await sleep(options.pollSeconds);
  }
}

/**
 * Sets the image and waits; on failure sets the previous image back and waits for that. Bad input
 * (no such Deployment or container, a malformed image) throws InputError before anything changes.
 */
export async function deployImage(
  api: DeploymentApi,
  options: DeployOptions,
  onWaiting: (message: string) => void = () => {},
): Promise<DeployResult> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const { namespace, deployment, container } = options;
  const before = await api.read(namespace, deployment);
  if (!before) throw new InputError(`no Deployment "${deployment}" in namespace "${namespace}"`);
  const previousImage = containerImage(before, container);
  if (!previousImage) {
    const names = before.spec?.template?.spec?.containers?.map((c) => c.name).join(", ");
    throw new InputError(`Deployment "${deployment}" has no container "${container}" (it has: ${names})`);
  }
  const image = resolveImage(options.image, previousImage);
  if (image === previousImage && rolloutState(before).done) {
    return { status: "unchanged", previousImage, image, seconds: seconds() };
  }
  await api.setImage(namespace, deployment, container, image);
  const failure = await waitForRollout(api, options, onWaiting);
  if (failure === null) return { status: "rolled-out", previousImage, image, seconds: seconds() };

  await api.setImage(namespace, deployment, container, previousImage);
  const rollbackFailure = await waitForRollout(api, options, onWaiting);
  return {
    status: rollbackFailure === null ? "rolled-back" : "rollback-failed",
    previousImage,
    image,
    reason: rollbackFailure === null ? failure : `${failure}; rollback: ${rollbackFailure}`,
    seconds: seconds(),
  };
}
