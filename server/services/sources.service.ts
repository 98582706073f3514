/**
 * Inbound credentials: webhook sources (signing secret encrypted at rest, shown once) and API keys (hashed, shown
 * once). Admin and ops manage them in Settings; every change is audited.
 */
import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { SourceMapping } from "@/lib/ingest/mapping";
import { encryptSecret, hashApiKey, newApiKey, newWebhookSecret, randomToken } from "../auth/crypto";
import { NotFoundError } from "../errors";
import { forgetApiKey } from "./ingest/inbound";

export const SOURCE_KINDS = ["standard_webhooks", "json", "form", "hubspot", "typeform"] as const;

export const SourceInput = z.object({
  name: z.string().trim().min(1, { error: "name the source" }).max(100),
  kind: z.enum(SOURCE_KINDS, { error: `must be one of ${SOURCE_KINDS.join(", ")}` }),
  fieldMapping: SourceMapping.default({}),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(600),
  channel: z.string().trim().max(64).optional(),
  /** HubSpot and Typeform: the secret they give you (their app's client secret / the webhook secret you set there). */
  secret: z.string().trim().min(8, { error: "at least 8 characters" }).max(500).optional(),
});
export type SourceInput = z.input<typeof SourceInput>;

export const ApiKeyInput = z.object({
  name: z.string().trim().min(1, { error: "name the key" }).max(100),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(1200),
});

interface Actor {
  userId: string | null;
  workspaceId: string;
}

/** Secrets for our own schemes are generated; HubSpot and Typeform secrets come from their side when given. */
function secretFor(kind: (typeof SOURCE_KINDS)[number], given?: string): string {
  if (given) return given;
  if (kind === "standard_webhooks") return newWebhookSecret();
  return `sysec_${randomToken(40)}`;
}

export async function createSource(db: Kysely<Database>, actor: Actor, raw: SourceInput) {
  const input = SourceInput.parse(raw);
  const secret = secretFor(input.kind, input.secret);
  const source = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto("sources").values({
      workspace_id: actor.workspaceId, name: input.name, kind: input.kind, secret_ciphertext: encryptSecret(secret),
      secret_hint: secret.slice(-4), field_mapping: json(input.fieldMapping),
      settings: json({ rateLimitPerMinute: input.rateLimitPerMinute, ...(input.channel ? { channel: input.channel } : {}) }),
      created_by: actor.userId,
    }).returning(["id", "name", "kind"]).executeTakeFirstOrThrow();
    await trx.insertInto("audit_log").values({
      workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "source.created", entity_type: "source", entity_id: row.id,
      summary: `Created ${input.kind} source “${input.name}”`, after: json({ name: input.name, kind: input.kind, fieldMapping: input.fieldMapping }),
    }).execute();
    return row;
  });
  return { source, secret };
}

export async function rotateSourceSecret(db: Kysely<Database>, actor: Actor, sourceId: string, given?: string) {
  const source = await db.selectFrom("sources").select(["id", "kind", "name"]).where("id", "=", sourceId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!source) throw new NotFoundError("Source");
  const secret = secretFor(source.kind, given);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("sources").set({ secret_ciphertext: encryptSecret(secret), secret_hint: secret.slice(-4) }).where("id", "=", source.id).execute();
    await trx.insertInto("audit_log").values({ workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "source.secret_rotated", entity_type: "source", entity_id: source.id, summary: `Rotated the secret of “${source.name}”` }).execute();
  });
  return { secret };
}

export async function updateSource(
  db: Kysely<Database>,
  actor: Actor,
  sourceId: string,
  patch: { fieldMapping?: SourceMapping; active?: boolean; rateLimitPerMinute?: number; name?: string },
) {
  const source = await db.selectFrom("sources").selectAll().where("id", "=", sourceId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!source) throw new NotFoundError("Source");
  const settings = { ...(source.settings as Record<string, unknown>), ...(patch.rateLimitPerMinute ? { rateLimitPerMinute: patch.rateLimitPerMinute } : {}) };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("sources").set({
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.fieldMapping ? { field_mapping: json(patch.fieldMapping) } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      settings: json(settings),
    }).where("id", "=", source.id).execute();
    await trx.insertInto("audit_log").values({
      workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "source.updated", entity_type: "source", entity_id: source.id,
      summary: `Updated “${source.name}”`, before: json({ fieldMapping: source.field_mapping, active: source.active, settings: source.settings }),
      after: json({ fieldMapping: patch.fieldMapping ?? source.field_mapping, active: patch.active ?? source.active, settings }),
    }).execute();
  });
}

export async function createApiKey(db: Kysely<Database>, actor: Actor, raw: z.input<typeof ApiKeyInput>) {
  const input = ApiKeyInput.parse(raw);
  const { key, prefix } = newApiKey();
  const row = await db.transaction().execute(async (trx) => {
    const created = await trx.insertInto("api_keys").values({
      workspace_id: actor.workspaceId, name: input.name, prefix, key_hash: hashApiKey(key), created_by: actor.userId,
      rate_limit_per_minute: input.rateLimitPerMinute,
    }).returning(["id", "name", "prefix"]).executeTakeFirstOrThrow();
    await trx.insertInto("audit_log").values({ workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "api_key.created", entity_type: "api_key", entity_id: created.id, summary: `Created API key “${input.name}” (${prefix}…)` }).execute();
    return created;
  });
  return { apiKey: row, key };
}

export async function revokeApiKey(db: Kysely<Database>, actor: Actor, keyId: string, now: Date) {
  const key = await db.selectFrom("api_keys").select(["id", "name", "prefix", "revoked_at"]).where("id", "=", keyId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!key) throw new NotFoundError("API key");
  if (key.revoked_at) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("api_keys").set({ revoked_at: now }).where("id", "=", key.id).execute();
    forgetApiKey(key.id);
    await trx.insertInto("audit_log").values({ workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "api_key.revoked", entity_type: "api_key", entity_id: key.id, summary: `Revoked API key “${key.name}” (${key.prefix}…)` }).execute();
  });
}

export async function listInbound(db: Kysely<Database>, workspaceId: string) {
  const [sources, keys] = await Promise.all([
    db.selectFrom("sources").select(["id", "name", "kind", "secret_hint", "field_mapping", "settings", "active", "created_at", "last_received_at"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute(),
    db.selectFrom("api_keys").select(["id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "rate_limit_per_minute"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute(),
  ]);
  return { sources, keys };
}
