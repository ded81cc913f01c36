/**
 * Podman for the image test: builds images/Dockerfile's targets the way CI would (runc runtime, host
 * network for npm, the machine's CA bundle as a build secret; podman passes proxy variables to RUN
 * steps itself) on a base image built locally when no
 * registry is reachable (scripts/build-base-image.sh), and runs containers from them.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./cli.js";

const run = promisify(execFile);
const env = { ...process.env, CONTAINERS_CONF: join(repoRoot, "images/containers.conf") };

/** Why podman cannot build and run images here, or undefined when it can. */
export function podmanUnavailable(): string | undefined {
  const info = spawnSync("podman", ["info", "--format", "{{.Host.OCIRuntime.Name}}"], {
    env,
    encoding: "utf8",
  });
  if (info.error) return "podman is not installed (bash scripts/setup-podman.sh installs it)";
  if (info.status !== 0) return `podman cannot run here: ${info.stderr.trim().split("\n").at(-1)}`;
  if (spawnSync("debootstrap", ["--version"]).error)
    return "debootstrap is not installed (scripts/setup-podman.sh)";
  return undefined;
}

/** Runs podman and returns its stdout; a failure carries podman's stderr. */
export async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run("podman", args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 1_800_000 });
  return stdout;
}

/** The CA bundle npm trusts here (the TLS-inspecting proxy's root is in it), passed as a build secret. */
function caBundle(): string {
  const candidates = [
    process.env.NODE_EXTRA_CA_CERTS,
    process.env.npm_config_cafile,
    "/etc/ssl/certs/ca-certificates.crt",
  ];
  const found = candidates.find((path) => path !== undefined && path !== "" && existsSync(path));
  if (found === undefined) throw new Error("no CA bundle for npm inside the build");
  return found;
}

/** Builds the local base image once (kept across runs), then one target of images/Dockerfile as `tag`. */
export async function buildTarget(target: "task" | "api", tag: string): Promise<void> {
  await run("bash", [join(repoRoot, "scripts/build-base-image.sh")], { env, timeout: 1_800_000 });
  await podman(
    "build",
    "--network=host",
    `--secret=id=ca,src=${caBundle()}`,
    "--file",
    join(repoRoot, "images/Dockerfile"),
    "--target",
    target,
    "--tag",
    tag,
    repoRoot,
  );
}
