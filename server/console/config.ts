import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { readConfig } from "../../src/config/env.js";
import { Port, readSettings, setting, Text, throwIfProblems } from "../../src/config/variables.js";

/** The review console's settings (INFLOW_CONSOLE_*), validated once at start. */
export interface ConsoleConfig {
  host: string;
  port: number;
  store: string;
  rawStore: string;
  /** Sign-in token (a bearer header, or the login form that starts a cookie session). */
  token: string;
  /** True when the token was generated at start because none was configured (shown once: see `inflow console`). */
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

const consoleSettings = {
  host: setting("INFLOW_CONSOLE_HOST", Text(), "127.0.0.1"),
  port: setting("INFLOW_CONSOLE_PORT", Port, 8010),
  token: setting(
    "INFLOW_CONSOLE_TOKEN",
    Text({
      minLength: 16,
      description:
        "at least 16 characters (or unset: one is generated, printed on a terminal, else written to a private file)",
    }),
    null,
    { secret: true },
  ),
  userHeader: setting(
    "INFLOW_CONSOLE_USER_HEADER",
    Text({ pattern: "^[A-Za-z0-9-]+$", description: "a header name" }),
    null,
  ),
  secureCookies: setting("INFLOW_CONSOLE_SECURE_COOKIES", Type.Boolean(), false),
};

export function loadConsoleConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConsoleOverrides = {},
): ConsoleConfig {
  const problems: string[] = [];
  const { store, rawStore } = readConfig(
    env,
    { store: overrides.store, rawStore: overrides.rawStore },
    problems,
  );
  const { host, port, token, userHeader, secureCookies } = readSettings(env, consoleSettings, problems);
  throwIfProblems(problems);
  return {
    host: overrides.host ?? host,
    port: overrides.port ?? port,
    store,
    rawStore,
    token: token ?? randomBytes(24).toString("base64url"),
    tokenGenerated: token === null,
    userHeader: userHeader?.toLowerCase() ?? null,
    secureCookies,
  };
}
