/**
 * Inbound HTTP concerns shared by the lead and webhook endpoints: API-key and source authentication, per-key and
 * per-source rate limits, and the dependencies ingestion runs with in this process.
 */
import "server-only";
import type { Kysely } from "kysely";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { z } from "zod";
import type { Database } from "@/db/types";
import { decryptSecret, hashApiKey } from "../../auth/crypto";
import { HttpError } from "../../http/problem";
import { verifyHubspotV3, verifyStandardWebhook, verifySwitchyardSignature, verifyTypeform } from "./signatures";
import type { IngestDeps } from "./ingest-lead.service";

export interface ApiKeyAuth {
  workspaceId: string;
  keyId: string;
  rateLimitPerMinute: number;
}

const lastUsedWrites = new Map<string, number>();

/**
 * Valid keys seen in the last 30 s, by hash: a lead costs one lookup less. Revoking a key clears it here at once;
 * other processes notice within KEY_CACHE_MS.
 */
const KEY_CACHE_MS = 30_000;
const keyCache = new Map<string, { auth: ApiKeyAuth; until: number }>();

export function forgetApiKey(keyId: string): void {
  for (const [hash, entry] of keyCache) if (entry.auth.keyId === keyId) keyCache.delete(hash);
}

/** `Authorization: Bearer sy_…` → the key's workspace; 401 for a missing, unknown or revoked key. */
export async function authenticateApiKey(db: Kysely<Database>, authorization: string | null, now: Date): Promise<ApiKeyAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) {
    throw new HttpError(401, "Unauthorized", "Send an API key as `Authorization: Bearer <key>`.", { authorization: ["missing or not a Bearer token"] }, { "www-authenticate": 'Bearer realm="switchyard"' });
  }
  const hash = hashApiKey(match[1]!);
  const hit = keyCache.get(hash);
  if (hit && hit.until > now.getTime()) return hit.auth;
  const key = await db
    .selectFrom("api_keys")
    .select(["id", "workspace_id", "revoked_at", "rate_limit_per_minute"])
    .where("key_hash", "=", hash)
    .executeTakeFirst();
  if (!key || key.revoked_at) {
    throw new HttpError(401, "Unauthorized", "The API key is not valid.", { authorization: ["unknown or revoked API key"] }, { "www-authenticate": 'Bearer realm="switchyard", error="invalid_token"' });
  }
  // Record use at most once a minute per key: a write per request would cost more than the request.
  const last = lastUsedWrites.get(key.id) ?? 0;
  if (now.getTime() - last > 60_000) {
    lastUsedWrites.set(key.id, now.getTime());
    await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", key.id).execute();
  }
  const auth = { workspaceId: key.workspace_id, keyId: key.id, rateLimitPerMinute: key.rate_limit_per_minute };
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { auth, until: now.getTime() + KEY_CACHE_MS });
  return auth;
}

const limiters = new Map<number, RateLimiterMemory>();

/** Consumes one request from `key`'s budget of `perMinute`; 429 with Retry-After when it is spent. */
export async function rateLimit(key: string, perMinute: number): Promise<void> {
  let limiter = limiters.get(perMinute);
  if (!limiter) limiters.set(perMinute, (limiter = new RateLimiterMemory({ points: perMinute, duration: 60 })));
  try {
    await limiter.consume(key);
  } catch (rejection) {
    const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
    throw new HttpError(429, "Too many requests", `Rate limit of ${perMinute} requests per minute reached; retry in ${Math.ceil(ms / 1000)} s.`, undefined, { "retry-after": String(Math.ceil(ms / 1000)) });
  }
}

export const SourceSettings = z.object({
  rateLimitPerMinute: z.number().int().positive().max(1_000_000).default(600),
  channel: z.string().max(64).optional(),
});

export type SourceRow = Awaited<ReturnType<typeof loadSource>>;

export async function loadSource(db: Kysely<Database>, sourceId: string) {
  if (!z.uuid().safeParse(sourceId).success) throw new HttpError(404, "Not found", "No such source.");
  const source = await db.selectFrom("sources").selectAll().where("id", "=", sourceId).executeTakeFirst();
  if (!source) throw new HttpError(404, "Not found", "No such source.");
  if (!source.active) throw new HttpError(403, "Forbidden", "This source is disabled.");
  return source;
}

/**
 * Verifies a source's request: its signature scheme over the raw body (json and form sources may instead present a
 * workspace API key). Throws 401 with the reason.
 */
export async function verifySource(
  db: Kysely<Database>,
  source: SourceRow,
  req: Request,
  body: Buffer,
  now: Date,
): Promise<void> {
  const secret = source.secret_ciphertext ? decryptSecret(source.secret_ciphertext) : null;
  const fail = (reason: string, field = "signature"): never => {
    throw new HttpError(401, "Unauthorized", `Signature verification failed: ${reason}.`, { [field]: [reason] });
  };
  if ((source.kind === "json" || source.kind === "form") && req.headers.get("authorization")) {
    const auth = await authenticateApiKey(db, req.headers.get("authorization"), now);
    if (auth.workspaceId !== source.workspace_id) fail("the API key belongs to another workspace", "authorization");
    return;
  }
  if (!secret) fail("the source has no usable signing secret (rotate it in Settings)");
  let reason: string | null;
  switch (source.kind) {
    case "standard_webhooks":
      reason = verifyStandardWebhook(secret!, req.headers, body, now.getTime());
      break;
    case "hubspot":
      reason = verifyHubspotV3(secret!, req.headers, body, req.method, publicUrl(req), now.getTime());
      break;
    case "typeform":
      reason = verifyTypeform(secret!, req.headers, body);
      break;
    default:
      reason = verifySwitchyardSignature(secret!, req.headers, body, now.getTime());
  }
  if (reason) fail(reason);
}

/** The URL the sender called, as it saw it (behind a proxy: X-Forwarded-Proto/Host, or APP_URL). */
export function publicUrl(req: Request): string {
  const url = new URL(req.url);
  const base = process.env.APP_URL;
  if (base) return new URL(url.pathname + url.search, base).toString();
  const proto = req.headers.get("x-forwarded-proto");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) return `${proto ?? url.protocol.replace(":", "")}://${host}${url.pathname}${url.search}`;
  return url.toString();
}

/** Ingestion dependencies for this process (classifier and enrichment provider from the environment). */
export function ingestDeps(db: Kysely<Database>): IngestDeps {
  return {
    db,
    now: () => new Date(),
    enrichmentUrl: process.env.ENRICHMENT_URL || undefined,
    enrichmentTimeoutMs: Number(process.env.ENRICHMENT_TIMEOUT_MS) || 800,
  };
}
