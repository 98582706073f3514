/**
 * Webhook signature schemes, verified over the raw body with constant-time comparison and, where the scheme carries
 * a timestamp, a ±5-minute window. Each returns null when valid, or the reason it is not (never thrown: the caller
 * answers 401 with it).
 */
import "server-only";
import { createHmac } from "node:crypto";
import { safeEqual } from "../../auth/crypto";

export const TOLERANCE_SECONDS = 5 * 60;

function within(nowMs: number, tsSeconds: number): boolean {
  return Number.isFinite(tsSeconds) && Math.abs(nowMs / 1000 - tsSeconds) <= TOLERANCE_SECONDS;
}

/**
 * Standard Webhooks (standardwebhooks.com): headers webhook-id, webhook-timestamp (seconds), webhook-signature
 * ("v1,<base64>" entries separated by spaces); HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64 key
 * after "whsec_".
 */
export function verifyStandardWebhook(secret: string, headers: Headers, body: Buffer, nowMs: number): string | null {
  const id = headers.get("webhook-id");
  const ts = headers.get("webhook-timestamp");
  const sig = headers.get("webhook-signature");
  if (!id || !ts || !sig) return "missing webhook-id, webhook-timestamp or webhook-signature header";
  if (!/^\d+$/.test(ts) || !within(nowMs, Number(ts))) return "webhook-timestamp is outside the ±5 minute window";
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  const expected = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64");
  const candidates = sig.split(" ").map((s) => s.trim()).filter(Boolean);
  for (const c of candidates) {
    const [version, value] = c.split(",", 2);
    if (version === "v1" && value && safeEqual(value, expected)) return null;
  }
  return "no valid v1 signature in webhook-signature";
}

/** Signs an outbound body the Standard Webhooks way (what verifyStandardWebhook and the reference library check). */
export function signStandardWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/**
 * HubSpot signature v3: X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret, method + uri + body + timestamp)),
 * X-HubSpot-Request-Timestamp in milliseconds. `uri` is the full URL HubSpot called.
 */
export function verifyHubspotV3(secret: string, headers: Headers, body: Buffer, method: string, uri: string, nowMs: number): string | null {
  const sig = headers.get("x-hubspot-signature-v3");
  const ts = headers.get("x-hubspot-request-timestamp");
  if (!sig || !ts) return "missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header";
  if (!/^\d+$/.test(ts) || !within(nowMs, Number(ts) / 1000)) return "X-HubSpot-Request-Timestamp is outside the ±5 minute window";
  const expected = createHmac("sha256", secret).update(`${method}${uri}`).update(body).update(ts).digest("base64");
  return safeEqual(sig, expected) ? null : "X-HubSpot-Signature-v3 does not match";
}

/**
 * Typeform: Typeform-Signature = "sha256=" + base64(HMAC-SHA256(secret, body)). The scheme carries no timestamp, so no
 * window applies; a replayed delivery is harmless because the payload's event_id makes ingestion idempotent (and
 * Typeform itself retries failed deliveries for hours, which a window would refuse).
 */
export function verifyTypeform(secret: string, headers: Headers, body: Buffer): string | null {
  const sig = headers.get("typeform-signature");
  if (!sig || !sig.startsWith("sha256=")) return "missing Typeform-Signature: sha256=… header";
  const expected = createHmac("sha256", secret).update(body).digest("base64");
  return safeEqual(sig.slice(7), expected) ? null : "Typeform-Signature does not match";
}

/**
 * Switchyard's own scheme for generic JSON and form sources: Switchyard-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of `${t}.${body}`>.
 */
export function verifySwitchyardSignature(secret: string, headers: Headers, body: Buffer, nowMs: number): string | null {
  const header = headers.get("switchyard-signature");
  if (!header) return "missing Switchyard-Signature header";
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = parts.t;
  const v1 = parts.v1;
  if (!t || !v1 || !/^\d+$/.test(t)) return "Switchyard-Signature must be t=<unix seconds>,v1=<hex>";
  if (!within(nowMs, Number(t))) return "Switchyard-Signature timestamp is outside the ±5 minute window";
  const expected = createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
  return safeEqual(v1.toLowerCase(), expected) ? null : "Switchyard-Signature does not match";
}

/** Signs a body the Switchyard way (for docs, tests and our own outbound webhooks). */
export function switchyardSignature(secret: string, body: string | Buffer, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex")}`;
}
