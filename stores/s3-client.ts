import { S3Client } from "@aws-sdk/client-s3";
import type { S3Settings } from "../src/store/s3-config.js";

/**
 * One SDK client per store. Credentials come from the SDK's standard chain (AWS_* variables,
 * AWS_PROFILE, web identity in Kubernetes). Retries: the SDK's own strategy with backoff on throttling,
 * 5xx and network errors; a connect timeout and an idle-socket timeout keep a hung server from
 * hanging the task forever.
 */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
    credentials: settings.credentials,
    requestChecksumCalculation: settings.requestChecksumCalculation,
    responseChecksumValidation: settings.responseChecksumValidation,
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
  });
}
