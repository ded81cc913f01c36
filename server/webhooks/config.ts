import {
  envText,
  IntegerIn,
  readSettings,
  setting,
  Text,
  throwIfProblems,
} from "../../src/config/variables.js";

/** A help desk's REST API, where the department and tags are written back. */
export interface HelpDeskApi {
  baseUrl: string;
  /** The value of the Authorization header (Basic, built from the documented email + API token form). */
  authorization: string;
}

export interface ZendeskSettings extends HelpDeskApi {
  /** The webhook's signing secret (Zendesk admin → Webhooks → signing secret). */
  secret: string;
  /** Department → Zendesk group id; departments not listed only get tags. */
  groups: Record<string, number>;
}

export interface JiraSettings extends HelpDeskApi {
  /** The secret set on the admin webhook; Jira signs the body with it (X-Hub-Signature). */
  secret: string;
  /** A select custom field (e.g. customfield_10050) set to the department; unset: labels only. */
  departmentField: string | null;
}

/** The help-desk webhooks (INFLOW_ZENDESK_*, INFLOW_JIRA_*, INFLOW_WEBHOOK_*); a route exists only when its secret is set. */
export interface WebhookConfig {
  zendesk: ZendeskSettings | null;
  jira: JiraSettings | null;
  /** Secret of the generic JSON webhook (X-Inflow-Signature: sha256=<hex HMAC of the body>). */
  genericSecret: string | null;
  /** Signed timestamps older (or further ahead) than this are refused as replays. */
  toleranceSeconds: number;
  /** One write-back call may take this long before it is abandoned and retried. */
  attemptTimeoutMs: number;
  /** All attempts of one write-back together, so the webhook answers before the sender gives up (Zendesk: 12 s). */
  budgetMs: number;
}

const Secret = Text({ minLength: 16, description: "at least 16 characters" });

const webhookSettings = {
  zendeskSecret: setting("INFLOW_ZENDESK_WEBHOOK_SECRET", Secret, null, { secret: true }),
  jiraSecret: setting("INFLOW_JIRA_WEBHOOK_SECRET", Secret, null, { secret: true }),
  genericSecret: setting("INFLOW_WEBHOOK_SECRET", Secret, null, { secret: true }),
  toleranceSeconds: setting("INFLOW_WEBHOOK_TOLERANCE_SECONDS", IntegerIn(1, 86_400), 300),
  budgetMs: setting("INFLOW_WEBHOOK_BUDGET_MS", IntegerIn(100, 60_000), 8000),
};

export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const problems: string[] = [];
  const config = readWebhookConfig(env, problems);
  throwIfProblems(problems);
  return config;
}

/** Same, adding its problems to `problems` (`inflow serve` lists the API's and the webhooks' together). */
export function readWebhookConfig(env: NodeJS.ProcessEnv, problems: string[]): WebhookConfig {
  const api = (product: string, emailSeparator: string): HelpDeskApi | null => {
    const baseUrl = envText(env, `INFLOW_${product}_URL`);
    const email = envText(env, `INFLOW_${product}_EMAIL`);
    const token = envText(env, `INFLOW_${product}_API_TOKEN`);
    if (!baseUrl || !email || !token) {
      problems.push(
        `INFLOW_${product}_URL, _EMAIL and _API_TOKEN are all needed with INFLOW_${product}_WEBHOOK_SECRET`,
      );
      return null;
    }
    if (!/^https?:\/\/[^/]+/.test(baseUrl)) problems.push(`INFLOW_${product}_URL must be an http(s) URL`);
    const credentials = Buffer.from(`${email}${emailSeparator}${token}`).toString("base64");
    return { baseUrl: baseUrl.replace(/\/+$/, ""), authorization: `Basic ${credentials}` };
  };
  // A desk's route is wanted once its secret is set; the secret itself is checked with the other settings.
  // Zendesk's API token authentication: "{email}/token:{api_token}".
  const zendeskApi = envText(env, "INFLOW_ZENDESK_WEBHOOK_SECRET") ? api("ZENDESK", "/token:") : null;
  const jiraWanted = envText(env, "INFLOW_JIRA_WEBHOOK_SECRET") !== undefined;
  const jiraApi = jiraWanted ? api("JIRA", ":") : null;
  const field = envText(env, "INFLOW_JIRA_DEPARTMENT_FIELD") ?? null;
  if (jiraWanted && field !== null && !/^customfield_\d+$/.test(field)) {
    problems.push(`INFLOW_JIRA_DEPARTMENT_FIELD must look like customfield_10050, got "${field}"`);
  }
  const { zendeskSecret, jiraSecret, genericSecret, toleranceSeconds, budgetMs } = readSettings(
    env,
    webhookSettings,
    problems,
  );
  const zendesk: ZendeskSettings | null =
    zendeskApi && zendeskSecret
      ? { ...zendeskApi, secret: zendeskSecret, groups: groupsOf(env.INFLOW_ZENDESK_GROUPS, problems) }
      : null;
  const jira: JiraSettings | null =
    jiraApi && jiraSecret ? { ...jiraApi, secret: jiraSecret, departmentField: field } : null;
  const config: WebhookConfig = {
    zendesk,
    jira,
    genericSecret,
    toleranceSeconds,
    attemptTimeoutMs: 3000,
    budgetMs,
  };
  return config;
}

function groupsOf(text: string | undefined, problems: string[]): Record<string, number> {
  if (text === undefined || text.trim() === "") return {};
  try {
    const groups = JSON.parse(text!) as unknown;
    if (
      typeof groups === "object" &&
      groups !== null &&
      !Array.isArray(groups) &&
      Object.values(groups).every((id) => Number.isSafeInteger(id))
    ) {
      return groups as Record<string, number>;
    }
  } catch {
    // reported below
  }
  problems.push('INFLOW_ZENDESK_GROUPS must be a JSON object {"<department>": <group id>, ...}');
  return {};
}

/** Whether any webhook route is configured (the API registers the webhook plugin only then). */
export function anyWebhook(config: WebhookConfig): boolean {
  return config.zendesk !== null || config.jira !== null || config.genericSecret !== null;
}
