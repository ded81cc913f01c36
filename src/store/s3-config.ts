import { ConfigError } from "../util/errors.js";

/** How to reach S3 or an S3-compatible server (MinIO, Yandex Object Storage), from the standard AWS_* variables. */
export interface S3Settings {
  /** A custom endpoint; undefined means AWS itself. */
  endpoint?: string;
  region: string;
  /** Path-style URLs (endpoint/bucket/key): what most S3-compatible servers expect. */
  forcePathStyle: boolean;
  /** SDK attempts per request (first try included), with exponential backoff on throttling, 5xx and network errors. */
  maxAttempts: number;
  /** "adaptive" also slows the client down when the server throttles. */
  retryMode: "standard" | "adaptive";
  /**
   * The SDK's flexible checksums (CRC32 on every upload by default); "WHEN_REQUIRED" for S3-compatible
   * servers that reject them. From AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION.
   */
  requestChecksumCalculation: ChecksumMode;
  responseChecksumValidation: ChecksumMode;
  /** Static keys when AWS_ACCESS_KEY_ID is set; otherwise the SDK's chain (AWS_PROFILE, web identity, ...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export type ChecksumMode = "WHEN_SUPPORTED" | "WHEN_REQUIRED";

export interface S3Location {
  bucket: string;
  /** "" or a key prefix ending in "/". */
  prefix: string;
}

const defaultMaxAttempts = 6;
const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const retryModes = ["standard", "adaptive"] as const;
const checksumModes: readonly string[] = ["WHEN_SUPPORTED", "WHEN_REQUIRED"];

/** Reads the S3 settings and lists every problem found (empty when valid). */
export function readS3Settings(env: NodeJS.ProcessEnv): { settings: S3Settings; problems: string[] } {
  const problems: string[] = [];
  const endpointName = env.AWS_ENDPOINT_URL_S3 ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
  const endpoint = env[endpointName] || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    problems.push(`${endpointName} must be an http:// or https:// URL, got "${endpoint}"`);
  }
  const pathStyleText = env.INFLOW_S3_FORCE_PATH_STYLE;
  if (pathStyleText !== undefined && !["true", "false"].includes(pathStyleText)) {
    problems.push(`INFLOW_S3_FORCE_PATH_STYLE must be true or false, got "${pathStyleText}"`);
  }
  const attemptsText = env.AWS_MAX_ATTEMPTS;
  const maxAttempts = attemptsText === undefined ? defaultMaxAttempts : Number(attemptsText);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    problems.push(`AWS_MAX_ATTEMPTS must be a positive integer, got "${attemptsText}"`);
  }
  const retryMode = (env.AWS_RETRY_MODE ?? "adaptive") as S3Settings["retryMode"];
  if (!retryModes.includes(retryMode)) {
    problems.push(`AWS_RETRY_MODE must be standard or adaptive, got "${retryMode}"`);
  }
  const checksums = (name: string): ChecksumMode => {
    const value = (env[name] ?? "WHEN_SUPPORTED").toUpperCase();
    if (!checksumModes.includes(value)) {
      problems.push(`${name} must be when_supported or when_required, got "${env[name]}"`);
    }
    return value as ChecksumMode;
  };
  const requestChecksumCalculation = checksums("AWS_REQUEST_CHECKSUM_CALCULATION");
  const responseChecksumValidation = checksums("AWS_RESPONSE_CHECKSUM_VALIDATION");
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
    problems.push("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
  }
  return {
    settings: {
      endpoint,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
      forcePathStyle: pathStyleText === undefined ? endpoint !== undefined : pathStyleText === "true",
      maxAttempts,
      retryMode,
      requestChecksumCalculation,
      responseChecksumValidation,
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? {
              accessKeyId: env.AWS_ACCESS_KEY_ID,
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
              sessionToken: env.AWS_SESSION_TOKEN || undefined,
            }
          : undefined,
    },
    problems,
  };
}

/** The settings, or a ConfigError listing every problem. */
export function s3Settings(env: NodeJS.ProcessEnv): S3Settings {
  const { settings, problems } = readS3Settings(env);
  if (problems.length > 0) throw new ConfigError(`Invalid S3 configuration:\n  - ${problems.join("\n  - ")}`);
  return settings;
}

/** Problems with an s3://bucket[/prefix] URI (empty when valid). */
export function s3UriProblems(name: string, uri: string): string[] {
  const match = /^s3:\/\/([^/]*)(\/.*)?$/.exec(uri);
  if (!match) return [`${name} must look like s3://bucket[/prefix], got "${uri}"`];
  const problems: string[] = [];
  if (!bucketName.test(match[1]!) || match[1]!.includes("..")) {
    problems.push(`${name}: "${match[1]}" is not a valid bucket name (3-63 of a-z, 0-9, ".", "-")`);
  }
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (prefix !== "" && prefix.split("/").some((part) => part === ".." || part === "." || part === "")) {
    problems.push(`${name}: prefix "${prefix}" has empty, "." or ".." segments`);
  }
  return problems;
}

export function parseS3Uri(uri: string): S3Location {
  const problems = s3UriProblems("store URI", uri);
  if (problems.length > 0) throw new ConfigError(problems.join("; "));
  const [, bucket, rest] = /^s3:\/\/([^/]*)(\/.*)?$/.exec(uri)!;
  const prefix = (rest ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket: bucket!, prefix: prefix ? `${prefix}/` : "" };
}

/** Where requests go, for messages: the custom endpoint, or AWS's regional one. */
export function endpointLabel(settings: S3Settings): string {
  return settings.endpoint ?? `https://s3.${settings.region}.amazonaws.com`;
}
