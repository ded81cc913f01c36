import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/config/env.js";
import { ConfigError } from "../../src/util/errors.js";

/** The review console's settings (INFLOW_CONSOLE_*), validated once at start. */
export interface ConsoleConfig {
  host: string;
  port: number;
  store: string;
  rawStore: string;
  /** Sign-in token (a bearer header, or the login form that starts a cookie session). */
  token: string;
  /** True when the token was generated at start because none was configured (it is printed once). */
  tokenGenerated: boolean;
  /**
   * Header an authenticating reverse proxy (oauth2-proxy, an OIDC ingress) sets to the signed-in user,
   * e.g. X-Forwarded-User. Trusted only when configured: the console must then be reachable only
   * through that proxy, which strips the header from clients.
   */
  userHeader: string | null;
  /** Sets the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
}

export type ConsoleOverrides = Partial<Pick<ConsoleConfig, "host" | "port" | "store" | "rawStore">>;

export function loadConsoleConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConsoleOverrides = {},
): ConsoleConfig {
  const problems: string[] = [];
  let stores = { store: "", rawStore: "" };
  try {
    stores = loadConfig(env, { store: overrides.store, rawStore: overrides.rawStore });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split("\n  - ").slice(1));
  }
  const portText = env.INFLOW_CONSOLE_PORT?.trim() || "8010";
  const port = overrides.port ?? Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    problems.push(`INFLOW_CONSOLE_PORT must be an integer in [0, 65535], got "${portText}"`);
  const configured = env.INFLOW_CONSOLE_TOKEN?.trim() || null;
  if (configured !== null && configured.length < 16)
    problems.push(
      "INFLOW_CONSOLE_TOKEN must be at least 16 characters (or unset: one is generated and printed)",
    );
  const userHeader = env.INFLOW_CONSOLE_USER_HEADER?.trim().toLowerCase() || null;
  if (userHeader !== null && !/^[a-z0-9-]+$/.test(userHeader))
    problems.push(`INFLOW_CONSOLE_USER_HEADER must be a header name, got "${userHeader}"`);
  const secure = env.INFLOW_CONSOLE_SECURE_COOKIES?.trim() || "false";
  if (secure !== "true" && secure !== "false")
    problems.push(`INFLOW_CONSOLE_SECURE_COOKIES must be true or false, got "${secure}"`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  return {
    host: overrides.host ?? (env.INFLOW_CONSOLE_HOST?.trim() || "127.0.0.1"),
    port,
    store: stores.store,
    rawStore: stores.rawStore,
    token: configured ?? randomBytes(24).toString("base64url"),
    tokenGenerated: configured === null,
    userHeader,
    secureCookies: secure === "true",
  };
}
