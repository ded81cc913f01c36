import { readSettings, type Settings, setting, Text } from "../config/variables.js";

/** `inflow deploy`'s configuration: where the API Deployment lives (the DAGs' task pods run there too). */
export const deploySettings = {
  namespace: setting(
    "INFLOW_K8S_NAMESPACE",
    Text({
      // Kubernetes' rule for a namespace name (an RFC 1123 label).
      pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
      description: "a Kubernetes namespace name (lower-case letters, digits and '-', at most 63)",
    }),
    "inflow",
  ),
};

export type DeploySettings = Settings<typeof deploySettings>;

export function readDeploySettings(env: NodeJS.ProcessEnv, problems: string[]): DeploySettings {
  return readSettings(env, deploySettings, problems);
}
