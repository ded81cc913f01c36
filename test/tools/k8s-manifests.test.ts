/**
 * k8s/: every overlay built by the real kustomize (scripts/setup-tools.sh puts it in .tools/bin), and
 * every manifest validated against the Kubernetes OpenAPI schemas bundled in `kubernetes-models`
 * (Prometheus Operator CRDs: `@kubernetes-models/prometheus-operator`), offline. Then what the other
 * parts rely on: the API's probes and hardening, the Service the ServiceMonitor selects, RBAC for
 * KubernetesPodOperator, the Pushgateway address task pods get, secrets that are only placeholders.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { streamDefaults } from "../../server/stream/defaults.js";
import { repoRoot } from "../harness/cli.js";

const kustomize = join(repoRoot, ".tools/bin/kustomize");
const skip = existsSync(kustomize) ? false : "run `bash scripts/setup-tools.sh` first";

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are read as data and checked field by field
  spec?: any;
  data?: Record<string, string>;
}

function build(dir: string): Manifest[] {
  const text = execFileSync(kustomize, ["build", dir], { encoding: "utf8" });
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest);
}

/** The model class for a manifest, from the package that bundles its schema. */
async function modelFor(m: Manifest): Promise<new (value: unknown) => { validate(): void }> {
  const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : ["", m.apiVersion];
  const module =
    group === "monitoring.coreos.com"
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${m.kind}`
      : group === "keda.sh"
        ? `@kubernetes-models/keda/${group}/${version}/${m.kind}`
        : `kubernetes-models/${group ? `${group}/` : ""}${version}/${m.kind}`;
  const loaded = (await import(module)) as Record<string, new (value: unknown) => { validate(): void }>;
  const model = loaded[m.kind];
  assert.ok(model, `a schema for ${m.apiVersion} ${m.kind}`);
  return model;
}

async function validate(m: Manifest): Promise<void> {
  const Model = await modelFor(m);
  new Model(m).validate();
}

const find = (ms: Manifest[], kind: string, name: string) => {
  const found = ms.find((m) => m.kind === kind && m.metadata.name === name);
  assert.ok(found, `${kind}/${name}`);
  return found;
};

describe("k8s manifests", { skip }, () => {
  let work: string;
  const overlays: Record<string, Manifest[]> = {};

  before(() => {
    // prod reads git-ignored env files: build a copy with the committed examples in their place.
    work = mkdtempSync(join(tmpdir(), "inflow-k8s-"));
    cpSync(join(repoRoot, "k8s"), join(work, "k8s"), { recursive: true });
    for (const name of ["secrets.env", "alertmanager.env"]) {
      cpSync(join(work, "k8s/overlays/prod", `${name}.example`), join(work, "k8s/overlays/prod", name));
    }
    for (const overlay of ["base", "overlays/dev", "overlays/prod"]) {
      overlays[overlay] = build(join(work, "k8s", overlay));
    }
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test("every overlay builds and every manifest is valid against its schema", async () => {
    for (const [overlay, manifests] of Object.entries(overlays)) {
      assert.ok(manifests.length >= 15, overlay);
      for (const m of manifests) {
        await assert.doesNotReject(validate(m), `${overlay}: ${m.kind}/${m.metadata.name}`);
        const namespace = m.metadata.name === "inflow-prometheus-adapter-rules" ? "monitoring" : "inflow";
        if (m.kind !== "Namespace") assert.equal(m.metadata.namespace, namespace, `${overlay} ${m.kind}`);
      }
    }
  });

  test("the validator rejects a wrong manifest (it can fail)", async () => {
    const api = structuredClone(find(overlays.base!, "Deployment", "inflow-api"));
    api.spec.template.spec.containers[0].ports[0].containerPort = "eight thousand";
    await assert.rejects(validate(api), /containerPort/);
  });

  test("the API Deployment: probes, resources, non-root, read-only root with a /tmp emptyDir, no capabilities", () => {
    for (const manifests of Object.values(overlays)) {
      const pod = find(manifests, "Deployment", "inflow-api").spec.template.spec;
      const api = pod.containers[0];
      assert.equal(api.readinessProbe.httpGet.path, "/api/ready");
      assert.equal(api.livenessProbe.httpGet.path, "/api/health");
      assert.ok(api.resources.requests.cpu && api.resources.requests.memory && api.resources.limits.memory);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
      assert.equal(api.securityContext.readOnlyRootFilesystem, true);
      assert.equal(api.securityContext.allowPrivilegeEscalation, false);
      assert.deepEqual(api.securityContext.capabilities.drop, ["ALL"]);
      const tmp = api.volumeMounts.find((v: { mountPath: string }) => v.mountPath === "/tmp");
      assert.ok(
        pod.volumes.find((v: { name: string; emptyDir?: object }) => v.name === tmp.name && v.emptyDir),
      );
    }
  });

  test("the ServiceMonitor finds the API Service by its name label and the internal metrics port", () => {
    const ms = overlays.base!;
    const monitor = find(ms, "ServiceMonitor", "inflow-api");
    const service = find(ms, "Service", "inflow-api");
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) {
      assert.equal(service.metadata.labels?.[key], value);
    }
    assert.ok(service.spec.ports.some((p: { name: string }) => p.name === monitor.spec.endpoints[0].port));
    const api = find(ms, "Deployment", "inflow-api").spec.template.spec.containers[0];
    const metricsPort = api.env.find((e: { name: string }) => e.name === "INFLOW_METRICS_PORT")?.value;
    assert.equal(
      api.ports.find((p: { name: string }) => p.name === monitor.spec.endpoints[0].port)?.containerPort,
      Number(metricsPort),
    );
    const pushgateway = find(ms, "Service", "inflow-pushgateway");
    assert.equal(pushgateway.metadata.labels?.["app.kubernetes.io/name"], "prometheus-pushgateway");
    assert.ok(find(ms, "PrometheusRule", "inflow"));
    const config = find(ms, "ConfigMap", "inflow-config").data!;
    assert.equal(
      config.INFLOW_PUSHGATEWAY_URL,
      `http://inflow-pushgateway:${pushgateway.spec.ports[0].port}`,
    );
  });

  test("RBAC lets Airflow's service account run KubernetesPodOperator pods, and nothing more", () => {
    const ms = overlays.base!;
    const role = find(ms, "Role", "inflow-pod-launcher");
    const rules =
      role.spec ?? (role as unknown as { rules: { resources: string[]; verbs: string[] }[] }).rules;
    const verbs = (resource: string) =>
      (rules as { resources: string[]; verbs: string[] }[])
        .filter((r) => r.resources.includes(resource))
        .flatMap((r) => r.verbs);
    for (const verb of ["create", "get", "list", "watch", "patch", "delete"])
      assert.ok(verbs("pods").includes(verb), verb);
    assert.deepEqual(verbs("pods/log"), ["get"]);
    assert.ok(verbs("pods/exec").includes("create"), "the XCom sidecar is read through exec");
    assert.deepEqual(verbs("events"), ["list"]);
    assert.ok(
      !(rules as { resources: string[] }[]).some((r) => r.resources.includes("secrets")),
      "no secret access",
    );
    const binding = find(ms, "RoleBinding", "inflow-pod-launcher") as unknown as {
      subjects: { kind: string; name: string }[];
    };
    assert.deepEqual(
      binding.subjects.map((s) => s.name),
      ["inflow-airflow"],
    );
    assert.ok(find(ms, "ServiceAccount", "inflow-task"));
  });

  test("HPA on CPU everywhere; prod adds the per-pod prediction rate from prometheus-adapter", () => {
    const cpu = (m: Manifest) => m.spec.metrics.find((x: { type: string }) => x.type === "Resource");
    assert.equal(cpu(find(overlays.base!, "HorizontalPodAutoscaler", "inflow-api")).resource.name, "cpu");
    const prod = find(overlays["overlays/prod"]!, "HorizontalPodAutoscaler", "inflow-api");
    const pods = prod.spec.metrics.find((x: { type: string }) => x.type === "Pods");
    assert.equal(pods.pods.metric.name, "inflow_predictions_per_second");
    const adapter = find(overlays["overlays/prod"]!, "ConfigMap", "inflow-prometheus-adapter-rules");
    assert.match(adapter.data!["config.yaml"]!, /as: inflow_predictions_per_second/);
    assert.equal(prod.spec.minReplicas, 3);
    assert.equal(find(overlays["overlays/dev"]!, "Deployment", "inflow-api").spec.replicas, 1);
  });

  test("stream: router and sink run `inflow stream`, scraped on their metrics port; prod scales the router on lag", () => {
    for (const manifests of Object.values(overlays)) {
      for (const [name, role] of [
        ["inflow-stream", "router"],
        ["inflow-stream-sink", "sink"],
      ] as const) {
        const pod = find(manifests, "Deployment", name).spec.template.spec;
        const container = pod.containers[0];
        assert.deepEqual(container.command.slice(2), ["stream", "--role", role]);
        const env = Object.fromEntries(
          container.env.map((e: { name: string; value?: string }) => [e.name, e.value]),
        );
        assert.equal(Number(env.INFLOW_STREAM_METRICS_PORT), container.ports[0].containerPort);
        assert.equal(container.livenessProbe.httpGet.path, "/healthz");
        assert.equal(container.securityContext.readOnlyRootFilesystem, true);
        const shutdownSeconds = Number(env.INFLOW_STREAM_SHUTDOWN_SECONDS ?? streamDefaults.shutdownSeconds);
        assert.ok(
          pod.terminationGracePeriodSeconds > shutdownSeconds,
          "the bounded SIGTERM shutdown (INFLOW_STREAM_SHUTDOWN_SECONDS) fits the grace period",
        );
      }
      const monitor = find(manifests, "ServiceMonitor", "inflow-stream");
      const service = find(manifests, "Service", "inflow-stream");
      assert.equal(service.spec.ports[0].name, monitor.spec.endpoints[0].port);
    }
    const scaled = find(overlays["overlays/prod"]!, "ScaledObject", "inflow-stream");
    assert.equal(scaled.spec.scaleTargetRef.name, "inflow-stream");
    const trigger = scaled.spec.triggers[0];
    assert.equal(trigger.type, "kafka");
    assert.equal(trigger.metadata.consumerGroup, streamDefaults.groupId);
    assert.equal(trigger.metadata.topic, streamDefaults.topicIn);
    assert.equal(trigger.metadata.allowIdleConsumers, "false", "at most one pod per partition");
    const router = find(overlays["overlays/prod"]!, "Deployment", "inflow-stream").spec.template.spec;
    const brokers = router.containers[0].env.find((e: { name: string }) => e.name === "INFLOW_KAFKA_BROKERS");
    assert.equal(trigger.metadata.bootstrapServers, brokers.value);
    assert.ok(!overlays.base!.some((m) => m.kind === "ScaledObject"), "base needs no KEDA");
  });

  test("Secrets hold placeholders or development values only, under the names pods read", () => {
    for (const [overlay, manifests] of Object.entries(overlays)) {
      const secret = find(manifests, "Secret", "inflow-secrets") as unknown as {
        data: Record<string, string>;
      };
      const values = Object.values(secret.data).map((v) => Buffer.from(v, "base64").toString("utf8"));
      for (const value of values) {
        assert.ok(
          value === "" || /^REPLACE_ME/.test(value) || value === "minioadmin",
          `${overlay}: ${value}`,
        );
      }
      assert.ok(find(manifests, "Secret", "alertmanager-telegram"));
    }
  });
});
