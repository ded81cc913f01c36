/**
 * The few Kubernetes calls `inflow deploy` makes, behind a narrow interface, and their implementation
 * with @kubernetes/client-node (kubeconfig from KUBECONFIG, ~/.kube/config or the in-cluster service
 * account, as kubectl finds it).
 */
import {
  ApiException,
  AppsV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from "@kubernetes/client-node";
import { ConfigError } from "../util/errors.js";

export type { V1Deployment };

export interface DeploymentApi {
  /** The Deployment, or null when it does not exist. */
  read(namespace: string, name: string): Promise<V1Deployment | null>;
  /** Sets one container's image (strategic merge patch: the other containers are untouched). */
  setImage(namespace: string, name: string, container: string, image: string): Promise<V1Deployment>;
}

export function kubernetesDeploymentApi(config: KubeConfig = defaultKubeConfig()): DeploymentApi {
  const apps = config.makeApiClient(AppsV1Api);
  return {
    async read(namespace, name) {
      try {
        return await apps.readNamespacedDeployment({ name, namespace });
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return null;
        throw error;
      }
    },
    setImage(namespace, name, container, image) {
      const body = {
        metadata: { annotations: { "inflow.io/deployed-image": image } },
        spec: { template: { spec: { containers: [{ name: container, image }] } } },
      };
      return apps.patchNamespacedDeployment(
        { name, namespace, body, fieldManager: "inflow-deploy" },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      );
    },
  };
}

/** The client's last resort when it finds no kubeconfig: plain HTTP to localhost:8080, as kubectl once did. */
const NO_KUBECONFIG = { context: "loaded-context", server: "http://localhost:8080" };

function defaultKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  // Without this, the first call failed with "HTTP protocol is not allowed when skipTLSVerify is not
  // set or false", exit 1 (worth a retry), which says nothing of the missing configuration.
  if (
    config.getCurrentContext() === NO_KUBECONFIG.context &&
    config.getCurrentCluster()?.server === NO_KUBECONFIG.server
  )
    throw new ConfigError(
      "no kubeconfig found: set KUBECONFIG, write ~/.kube/config, or run inside the cluster (its service account)",
    );
  return config;
}
