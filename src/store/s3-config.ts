import { Type } from "@sinclair/typebox";
import { configurationMessage, IntegerIn, OneOf, readSettings, setting, Text } from "../config/variables.js";
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

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** The SDK reads these in either case (AWS documents them in lower case). */
const checksumModes = ["WHEN_SUPPORTED", "WHEN_REQUIRED", "when_supported", "when_required"] as const;

/** The standard AWS_* variables the SDK itself reads, and Inflow's one addition (path-style URLs). */
const s3Variables = {
  endpoint: setting(
    ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
    Text({ pattern: "^https?://[^/\\s]+", description: "an http:// or https:// URL" }),
    null,
  ),
  region: setting(["AWS_REGION", "AWS_DEFAULT_REGION"], Text(), "us-east-1"),
  forcePathStyle: setting("INFLOW_S3_FORCE_PATH_STYLE", Type.Boolean(), null),
  maxAttempts: setting("AWS_MAX_ATTEMPTS", IntegerIn(1, 100), 6),
  retryMode: setting("AWS_RETRY_MODE", OneOf(["standard", "adaptive"] as const), "adaptive"),
  requestChecksumCalculation: setting(
    "AWS_REQUEST_CHECKSUM_CALCULATION",
    OneOf(checksumModes),
    "WHEN_SUPPORTED",
  ),
  responseChecksumValidation: setting(
    "AWS_RESPONSE_CHECKSUM_VALIDATION",
    OneOf(checksumModes),
    "WHEN_SUPPORTED",
  ),
  accessKeyId: setting("AWS_ACCESS_KEY_ID", Text(), null, { secret: true }),
  secretAccessKey: setting("AWS_SECRET_ACCESS_KEY", Text(), null, { secret: true }),
  sessionToken: setting("AWS_SESSION_TOKEN", Text(), null, { secret: true }),
};

/** Reads the S3 settings and lists every problem found (empty when valid). */
export function readS3Settings(env: NodeJS.ProcessEnv): { settings: S3Settings; problems: string[] } {
  const problems: string[] = [];
  const read = readSettings(env, s3Variables, problems);
  if ((read.accessKeyId === null) !== (read.secretAccessKey === null)) {
    problems.push("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
  }
  const endpoint = read.endpoint ?? undefined;
  return {
    settings: {
      endpoint,
      region: read.region,
      forcePathStyle: read.forcePathStyle ?? endpoint !== undefined,
      maxAttempts: read.maxAttempts,
      retryMode: read.retryMode,
      requestChecksumCalculation: read.requestChecksumCalculation.toUpperCase() as ChecksumMode,
      responseChecksumValidation: read.responseChecksumValidation.toUpperCase() as ChecksumMode,
      credentials:
        read.accessKeyId !== null && read.secretAccessKey !== null
          ? {
              accessKeyId: read.accessKeyId,
              secretAccessKey: read.secretAccessKey,
              sessionToken: read.sessionToken ?? undefined,
            }
          : undefined,
    },
    problems,
  };
}

/** The settings, or a ConfigError listing every problem. */
export function s3Settings(env: NodeJS.ProcessEnv): S3Settings {
  const { settings, problems } = readS3Settings(env);
  if (problems.length > 0) throw new ConfigError(configurationMessage(problems));
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
