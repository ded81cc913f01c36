/**
 * Container image references as `docker`/Kubernetes accept them (distribution's reference grammar,
 * lower-case repository, optional registry host:port, tag and/or sha256 digest), and the `--image`
 * value of `inflow deploy`: a whole reference, or a bare tag (e.g. a commit sha) for the image the
 * Deployment already runs.
 */
import { InputError } from "../util/errors.js";

const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const host =
  "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)";
const tag = "[\\w][\\w.-]{0,127}";
const digest = "sha256:[0-9a-f]{64}";

const referencePattern = new RegExp(
  `^(?:${host}/)?${component}(?:/${component})*(?::${tag})?(?:@${digest})?$`,
);
const tagPattern = new RegExp(`^${tag}$`);

export function isImageReference(value: string): boolean {
  return value.length <= 255 && referencePattern.test(value);
}

/** The repository part of a reference (everything before its tag or digest). */
export function repositoryOf(reference: string): string {
  const withoutDigest = reference.split("@")[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * The image to deploy: `requested` when it names a repository (has a "/"), else `requested` is a tag
 * for the current image's repository. Throws InputError (exit 2) for anything else.
 */
export function resolveImage(requested: string, current: string): string {
  if (requested.includes("/")) {
    if (!isImageReference(requested)) throw new InputError(`not an image reference: "${requested}"`);
    return requested;
  }
  if (!tagPattern.test(requested)) {
    throw new InputError(
      `not an image tag or reference: "${requested}" (a tag is [A-Za-z0-9_.-], at most 128)`,
    );
  }
  return `${repositoryOf(current)}:${requested}`;
}
