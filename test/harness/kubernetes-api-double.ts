/**
 * A test double of the Kubernetes API server for the calls `inflow deploy` makes (GET and strategic
 * merge PATCH of apps/v1 Deployments), on loopback over plain HTTP, with a kubeconfig pointing at it.
 * It plays the Deployment controller too: after a PATCH that changes the pod template, the status
 * moves on one step per read, until every replica runs the new image, or, for an image scripted to
 * fail, until the Progressing condition reports ProgressDeadlineExceeded (as a crash-looping pod would).
 */
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface RecordedCall {
  method: string;
  path: string;
  contentType?: string;
  body?: unknown;
}

interface Container {
  name: string;
  image: string;
}

interface Deployment {
  apiVersion: "apps/v1";
  kind: "Deployment";
  metadata: { name: string; namespace: string; generation: number; annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    conditions: { type: string; status: string; reason: string; message: string }[];
  };
}

const path = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/?]+)/;

export class KubernetesApiDouble {
  readonly calls: RecordedCall[] = [];
  /** Images whose pods never become ready. */
  readonly failingImages = new Set<string>();
  /** Reads it takes the controller to finish (or fail) a rollout. */
  readsPerRollout = 3;
  url = "";
  private readonly deployments = new Map<string, Deployment>();
  private readonly progress = new Map<string, number>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
  }

  static async start(): Promise<KubernetesApiDouble> {
    const double = new KubernetesApiDouble();
    await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
    double.url = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
    return double;
  }

  /** A Deployment fully rolled out on `containers`. */
  addDeployment(namespace: string, name: string, containers: Container[], replicas = 2): void {
    this.deployments.set(`${namespace}/${name}`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, generation: 1 },
      spec: { replicas, template: { spec: { containers } } },
      status: {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: "rolled out" },
        ],
      },
    });
  }

  image(namespace: string, name: string, container: string): string | undefined {
    return this.deployments
      .get(`${namespace}/${name}`)
      ?.spec.template.spec.containers.find((c) => c.name === container)?.image;
  }

  /** A kubeconfig naming this server, as kubectl would use it. */
  async writeKubeconfig(dir: string): Promise<string> {
    const file = join(dir, "kubeconfig");
    await writeFile(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `  - name: double\n    cluster:\n      server: ${this.url}\n      insecure-skip-tls-verify: true`,
        "users:",
        "  - name: deployer\n    user:\n      token: test-token",
        "contexts:",
        "  - name: double\n    context:\n      cluster: double\n      user: deployer",
        "current-context: double",
        "",
      ].join("\n"),
    );
    return file;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const text = await new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (chunk: Buffer) => {
        data += chunk;
      });
      req.on("end", () => resolve(data));
    });
    const call: RecordedCall = { method: req.method ?? "", path: req.url ?? "" };
    if (req.headers["content-type"]) call.contentType = req.headers["content-type"];
    if (text) call.body = JSON.parse(text);
    this.calls.push(call);
    const match = path.exec(call.path);
    const key = match ? `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}` : "";
    const deployment = this.deployments.get(key);
    if (!match || !deployment) return notFound(match?.[2] ?? call.path);
    if (call.method === "GET") {
      this.advance(key, deployment);
      return { status: 200, body: deployment };
    }
    if (call.method === "PATCH") {
      if (call.contentType !== "application/strategic-merge-patch+json") {
        return { status: 415, body: status(415, "UnsupportedMediaType", `unexpected ${call.contentType}`) };
      }
      this.patch(key, deployment, call.body as PatchBody);
      return { status: 200, body: deployment };
    }
    return { status: 405, body: status(405, "MethodNotAllowed", call.method) };
  }

  private patch(key: string, d: Deployment, body: PatchBody): void {
    d.metadata.annotations = { ...d.metadata.annotations, ...body.metadata?.annotations };
    let changed = false;
    for (const patch of body.spec?.template?.spec?.containers ?? []) {
      const container = d.spec.template.spec.containers.find((c) => c.name === patch.name);
      if (container && patch.image && patch.image !== container.image) {
        container.image = patch.image;
        changed = true;
      }
    }
    if (!changed) return;
    d.metadata.generation++;
    d.status.updatedReplicas = 0;
    d.status.replicas = d.spec.replicas;
    d.status.conditions = [
      { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "progressing" },
    ];
    this.progress.set(key, 0);
  }

  /** The controller's view after one more read. */
  private advance(key: string, d: Deployment): void {
    const step = this.progress.get(key);
    if (step === undefined) return;
    d.status.observedGeneration = d.metadata.generation;
    const failing = d.spec.template.spec.containers.some((c) => this.failingImages.has(c.image));
    if (step + 1 < this.readsPerRollout) {
      this.progress.set(key, step + 1);
      d.status.updatedReplicas = failing ? 1 : Math.min(d.spec.replicas, step + 1);
      d.status.replicas = d.spec.replicas + 1;
      d.status.availableReplicas = d.spec.replicas;
      return;
    }
    this.progress.delete(key);
    if (failing) {
      d.status.conditions = [
        {
          type: "Progressing",
          status: "False",
          reason: "ProgressDeadlineExceeded",
          message: `ReplicaSet "${d.metadata.name}-new" has timed out progressing.`,
        },
      ];
      return;
    }
    Object.assign(d.status, {
      replicas: d.spec.replicas,
      updatedReplicas: d.spec.replicas,
      availableReplicas: d.spec.replicas,
    });
    d.status.conditions = [
      { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: "rolled out" },
    ];
  }
}

interface PatchBody {
  metadata?: { annotations?: Record<string, string> };
  spec?: { template?: { spec?: { containers?: Partial<Container>[] } } };
}

function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

function notFound(name: string) {
  return { status: 404, body: status(404, "NotFound", `deployments.apps "${name}" not found`) };
}
