import type { CommandModule } from "yargs";
import { throwIfProblems } from "../src/config/variables.js";
import { deploySettings, readDeploySettings } from "../src/deploy/settings.js";
import { isPermanent } from "../src/util/errors.js";
import { createLogger } from "../src/util/log.js";

interface DeployArgs {
  image: string;
  namespace?: string;
  deployment: string;
  container: string;
  timeout: number;
  "poll-seconds": number;
}

/**
 * `inflow deploy --image TAG`: roll the API Deployment to an image, wait for the rollout, roll back on
 * failure. Exit 0 rolled out (or already running it), 1 failed (rolled back; retryable), 2 bad input
 * (no such Deployment or container, malformed image). Last stdout line: a JSON summary.
 */
export const deployCommand: CommandModule<object, DeployArgs> = {
  command: "deploy",
  describe: "Roll the API Deployment to a new image (kubeconfig: KUBECONFIG, ~/.kube/config or in-cluster)",
  builder: (argv) =>
    argv
      .option("image", {
        type: "string",
        demandOption: true,
        describe: "Image reference, or a bare tag (e.g. a commit sha) for the image the Deployment runs",
      })
      .option("namespace", {
        type: "string",
        describe: `Namespace (env ${deploySettings.namespace.env}, default ${deploySettings.namespace.default})`,
      })
      .option("deployment", { type: "string", default: "inflow-api", describe: "Deployment name" })
      .option("container", { type: "string", default: "api", describe: "Container whose image is set" })
      .option("timeout", { type: "number", default: 300, describe: "Seconds to wait for the rollout" })
      .option("poll-seconds", {
        type: "number",
        default: 2,
        describe: "Seconds between status reads",
      }),
  handler: async (args) => {
    // Loaded here so the pipeline steps never load the Kubernetes client.
    const { kubernetesDeploymentApi } = await import("../src/deploy/deployment-api.js");
    const { deployImage } = await import("../src/deploy/rollout.js");
    const log = createLogger("deploy");
    let summary: Record<string, unknown>;
    let exitCode: number;
    try {
      // Read and checked before Kubernetes is asked anything: a bad namespace is configuration (exit 2).
      const problems: string[] = [];
      const settings = readDeploySettings(process.env, problems);
      throwIfProblems(problems);
      const result = await deployImage(
        kubernetesDeploymentApi(),
        {
          namespace: args.namespace ?? settings.namespace,
          deployment: args.deployment,
          container: args.container,
          image: args.image,
          timeoutSeconds: args.timeout,
          pollSeconds: args["poll-seconds"],
        },
        (waiting) => log.info({ waiting }, "rollout in progress"),
      );
      exitCode = result.status === "rolled-out" || result.status === "unchanged" ? 0 : 1;
      const { status: rollout, ...details } = result;
      summary = { status: exitCode === 0 ? "ok" : "error", rollout, deployment: args.deployment, ...details };
      if (exitCode !== 0) log.error({ reason: result.reason, status: result.status }, "rollout failed");
    } catch (error) {
      exitCode = isPermanent(error) ? 2 : 1;
      const message = error instanceof Error ? error.message : String(error);
      log.error({ err: error, exitCode }, "deploy failed");
      summary = { status: "error", deployment: args.deployment, exitCode, error: message };
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = exitCode;
  },
};
