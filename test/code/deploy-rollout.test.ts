/**
 * `inflow deploy` (the built CLI, as GitHub Actions runs it) against the Kubernetes API double: a
 * rollout that completes, one that exceeds its progress deadline and is rolled back, bad input that
 * changes nothing. Plus the rollout-status rules and image references as data.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { V1Deployment, V1DeploymentStatus } from "@kubernetes/client-node";
import { isImageReference, resolveImage } from "../../src/deploy/image-reference.js";
import { rolloutState } from "../../src/deploy/rollout.js";
import { repoRoot } from "../harness/cli.js";
import { KubernetesApiDouble } from "../harness/kubernetes-api-double.js";

const current = "ghcr.io/acme/inflow-api:1111111";

function deploy(kubeconfig: string, ...args: string[]) {
  return deployWith({}, kubeconfig, ...args);
}

function deployWith(env: NodeJS.ProcessEnv, kubeconfig: string, ...args: string[]) {
  // Asynchronous: the double answers from this same process.
  return new Promise<{ status: number; summary: Record<string, unknown>; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, "bin/inflow.js"), "deploy", "--poll-seconds", "0.01", ...args],
      { env: { ...process.env, KUBECONFIG: kubeconfig, INFLOW_LOG_LEVEL: "warn", ...env } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.once("close", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      resolve({ status: code ?? -1, summary: last.startsWith("{") ? JSON.parse(last) : {}, stderr });
    });
  });
}

describe("inflow deploy against a Kubernetes API double", () => {
  let api: KubernetesApiDouble;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    api = await KubernetesApiDouble.start();
    dir = await mkdtemp(join(tmpdir(), "inflow-deploy-"));
    kubeconfig = await api.writeKubeconfig(dir);
  });
  after(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("a tag rolls the API container to that tag of its image and waits for every replica", async () => {
    api.addDeployment("inflow", "inflow-api", [
      { name: "api", image: current },
      { name: "proxy", image: "envoyproxy/envoy:v1.31.0" },
    ]);
    const result = await deploy(kubeconfig, "--image", "2222222");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.summary.rollout, "rolled-out");
    assert.equal(api.image("inflow", "inflow-api", "api"), "ghcr.io/acme/inflow-api:2222222");
    assert.equal(
      api.image("inflow", "inflow-api", "proxy"),
      "envoyproxy/envoy:v1.31.0",
      "other containers untouched",
    );
    const patches = api.calls.filter((c) => c.method === "PATCH");
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.contentType, "application/strategic-merge-patch+json");
    assert.ok(
      api.calls.filter((c) => c.method === "GET").length >= api.readsPerRollout + 1,
      "it waited for the controller",
    );
  });

  test("a rollout that exceeds its progress deadline is rolled back to the previous image: exit 1", async () => {
    api.addDeployment("prod", "inflow-api", [{ name: "api", image: current }]);
    api.failingImages.add("ghcr.io/acme/inflow-api:broken");
    const before = api.calls.length;
    const result = await deploy(
      kubeconfig,
      "--namespace",
      "prod",
      "--image",
      "ghcr.io/acme/inflow-api:broken",
    );
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.summary.rollout, "rolled-back");
    assert.match(String(result.summary.reason), /progress deadline exceeded/);
    assert.equal(api.image("prod", "inflow-api", "api"), current, "the previous image runs again");
    const images = api.calls
      .slice(before)
      .filter((c) => c.method === "PATCH")
      .map(
        (c) =>
          (c.body as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
            .containers[0]!.image,
      );
    assert.deepEqual(images, ["ghcr.io/acme/inflow-api:broken", current]);
  });

  test("a rollout slower than --timeout is rolled back too", async () => {
    api.addDeployment("slow", "inflow-api", [{ name: "api", image: current }]);
    api.readsPerRollout = 1_000_000;
    try {
      const result = await deploy(
        kubeconfig,
        "--namespace",
        "slow",
        "--image",
        "3333333",
        "--timeout",
        "0.3",
      );
      assert.equal(result.status, 1);
      assert.match(String(result.summary.reason), /timed out after 0.3 s/);
    } finally {
      api.readsPerRollout = 3;
    }
  });

  test("INFLOW_K8S_NAMESPACE names the namespace without --namespace; a malformed one exits 2 and asks nothing", async () => {
    api.addDeployment("staging", "inflow-api", [{ name: "api", image: current }]);
    const staged = await deployWith({ INFLOW_K8S_NAMESPACE: "staging" }, kubeconfig, "--image", "4444444");
    assert.equal(staged.status, 0, staged.stderr);
    assert.equal(api.image("staging", "inflow-api", "api"), "ghcr.io/acme/inflow-api:4444444");
    const calls = api.calls.length;
    const bad = await deployWith({ INFLOW_K8S_NAMESPACE: "Staging_1" }, kubeconfig, "--image", "5555555");
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(
      String(bad.summary.error),
      /INFLOW_K8S_NAMESPACE must be a Kubernetes namespace name .*got "Staging_1"/,
    );
    assert.equal(api.calls.length, calls, "Kubernetes was not asked");
  });

  test("no kubeconfig anywhere is configuration (exit 2) and says where one is looked for", async () => {
    const home = await mkdtemp(join(tmpdir(), "inflow-deploy-home-"));
    try {
      const { status, summary } = await deployWith({ HOME: home }, "", "--image", "abc");
      assert.equal(status, 2);
      assert.match(String(summary.error), /^no kubeconfig found: set KUBECONFIG, write ~\/\.kube\/config/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("bad input exits 2 and patches nothing: missing deployment, missing container, malformed image", async () => {
    api.addDeployment("inflow", "other", [{ name: "api", image: current }]);
    const before = api.calls.filter((c) => c.method === "PATCH").length;
    const missing = await deploy(kubeconfig, "--image", "2222222", "--deployment", "nope");
    assert.equal(missing.status, 2);
    assert.match(String(missing.summary.error), /no Deployment "nope" in namespace "inflow"/);
    const container = await deploy(
      kubeconfig,
      "--image",
      "2222222",
      "--deployment",
      "other",
      "--container",
      "web",
    );
    assert.equal(container.status, 2);
    assert.match(String(container.summary.error), /no container "web" \(it has: api\)/);
    for (const image of ["Ghcr.io/Acme/API:1", "registry/inflow api:1", "tag with space", ":nope"]) {
      const bad = await deploy(kubeconfig, "--image", image, "--deployment", "other");
      assert.equal(bad.status, 2, image);
    }
    assert.equal(api.calls.filter((c) => c.method === "PATCH").length, before);
  });
});

test("image references: registries with ports, digests, bare tags resolved against the running image", () => {
  for (const ok of [
    "nginx",
    "ghcr.io/acme/inflow-api:0123abc",
    "localhost:5000/inflow/api:v1.2.3",
    `cr.yandex/crp1/inflow@sha256:${"a".repeat(64)}`,
  ]) {
    assert.ok(isImageReference(ok), ok);
  }
  for (const bad of ["acme/UPPER:1", "a//b", "repo:tag with space", "repo@sha256:short"]) {
    assert.ok(!isImageReference(bad), bad);
  }
  assert.equal(resolveImage("abc123", "localhost:5000/inflow/api:v1"), "localhost:5000/inflow/api:abc123");
  assert.equal(resolveImage("abc123", `ghcr.io/a/b@sha256:${"f".repeat(64)}`), "ghcr.io/a/b:abc123");
  assert.throws(() => resolveImage("-bad", current), /not an image tag/);
});

test("rollout status reads like `kubectl rollout status`", () => {
  const d = (status: V1DeploymentStatus, generation = 2): V1Deployment => ({
    metadata: { generation },
    spec: { replicas: 3, selector: {}, template: {} },
    status,
  });
  assert.equal(rolloutState(d({ observedGeneration: 1 })).done, false);
  assert.equal(
    rolloutState(d({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 3 })).done,
    false,
  );
  assert.equal(
    rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).done,
    false,
  );
  assert.equal(
    rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).done,
    false,
  );
  assert.equal(
    rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 })).done,
    true,
  );
  const stuck = rolloutState(
    d({
      observedGeneration: 2,
      conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
    }),
  );
  assert.ok(!stuck.done && stuck.failed);
});
