import { createHmac, timingSafeEqual } from "node:crypto";

/** Zendesk: base64(HMAC-SHA256(secret, timestamp + raw body)) in X-Zendesk-Webhook-Signature. */
export function zendeskSignature(secret: string, timestamp: string, body: Buffer): string {
  return createHmac("sha256", secret).update(timestamp).update(body).digest("base64");
}

/** Jira admin webhooks and Inflow's generic webhook (WebSub form): "sha256=" + hex HMAC-SHA256 of the raw body. */
export function hubSignature(secret: string, body: Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Constant-time comparison of what was sent with what was expected (lengths may differ). */
export function sameSignature(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
