/**
 * Settings → Alerts: outbound webhooks (CRMs and task tools; signing secret shown once, stored encrypted), each
 * team's Slack incoming webhook (stored encrypted), and the dead letters — jobs that used up their attempts — with
 * a Retry that puts them back in the queue.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { decryptSecret, encryptSecret } from "../../auth/crypto";
import { ConflictError, NotFoundError } from "../../errors";
import { recordAudit } from "../../repositories/audit.repository";
import { retryDeadJobs } from "../../repositories/jobs.repository";
import { OUTBOUND_EVENTS } from "./channels";

type Db = Kysely<Database>;
interface Actor { userId: string; workspaceId: string }

/** One message per bad URL: "Enter the … URL (https://…)." */
const httpUrl = (what: string) => z.string().trim().max(2000, { error: "At most 2,000 characters." }).refine((u) => {
  try {
    const url = new URL(u);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}, { error: `Enter the ${what} URL (https://…).` });

export const OutboundWebhookInput = z.object({
  name: z.string().trim().min(1, { error: "Give the endpoint a name." }).max(100, { error: "At most 100 characters." }),
  url: httpUrl("endpoint"),
  eventTypes: z.array(z.enum(OUTBOUND_EVENTS, { error: "Unknown event." })).max(OUTBOUND_EVENTS.length),
});

export const TeamSlackInput = z.object({
  teamId: z.uuid(),
  /** Null clears it. */
  url: httpUrl("Slack incoming webhook").nullable(),
});

export async function alertSettings(db: Db, workspaceId: string) {
  const [hooks, teams, dead] = await Promise.all([
    db.selectFrom("outbound_webhooks").select(["id", "name", "url", "event_types", "active", "created_at"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute(),
    db.selectFrom("teams").select(["id", "name", "settings"]).where("workspace_id", "=", workspaceId).orderBy("name").execute(),
    db.selectFrom("jobs as j").leftJoin("leads as l", "l.id", "j.lead_id")
      .select(["j.id", "j.kind", "j.attempts", "j.last_error", "j.finished_at", "j.lead_id", "j.payload", "l.first_name", "l.last_name", "l.email", "l.company"])
      .where("j.workspace_id", "=", workspaceId).where("j.status", "=", "dead").orderBy("j.finished_at", "desc").limit(200).execute(),
  ]);
  const deliveryIds = dead.map((d) => (d.payload as { deliveryId?: string }).deliveryId).filter((x): x is string => typeof x === "string");
  const deliveries = deliveryIds.length
    ? await db.selectFrom("deliveries").select(["id", "channel", "target", "payload"]).where("id", "in", deliveryIds).execute()
    : [];
  const byDelivery = new Map(deliveries.map((d) => [d.id, d]));
  return {
    webhooks: hooks,
    teams: teams.map((t) => {
      const stored = (t.settings as { slackWebhookCiphertext?: unknown }).slackWebhookCiphertext;
      const url = typeof stored === "string" ? decryptSecret(stored) : null;
      return { id: t.id, name: t.name, slack: url ? `${url.slice(0, 34)}…` : null, slackUnreadable: typeof stored === "string" && !url };
    }),
    dead: dead.map((d) => {
      const delivery = byDelivery.get((d.payload as { deliveryId?: string }).deliveryId ?? "");
      return {
        id: Number(d.id), kind: d.kind, attempts: d.attempts, lastError: d.last_error, finishedAt: d.finished_at, leadId: d.lead_id,
        lead: d.lead_id ? [d.first_name, d.last_name].filter(Boolean).join(" ") || d.email || "lead" : null, company: d.company,
        channel: delivery?.channel ?? null, what: delivery ? String((delivery.payload as { title?: unknown }).title ?? "") : null,
      };
    }),
  };
}

export async function createOutboundWebhook(db: Db, actor: Actor, raw: unknown) {
  const input = OutboundWebhookInput.parse(raw);
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const row = await db.insertInto("outbound_webhooks").values({
    workspace_id: actor.workspaceId, name: input.name, url: input.url, secret_ciphertext: encryptSecret(secret), event_types: input.eventTypes,
  }).returning(["id", "name"]).executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: "outbound_webhook.created", entityType: "outbound_webhook", entityId: row.id, summary: `Added outbound webhook “${input.name}” (${input.url})` });
  return { webhook: row, secret };
}

export async function setOutboundWebhookActive(db: Db, actor: Actor, id: string, active: boolean) {
  const r = await db.updateTable("outbound_webhooks").set({ active }).where("id", "=", id).where("workspace_id", "=", actor.workspaceId).returning("name").executeTakeFirst();
  if (!r) throw new NotFoundError("Webhook");
  await recordAudit(db, actor, { action: active ? "outbound_webhook.enabled" : "outbound_webhook.disabled", entityType: "outbound_webhook", entityId: id, summary: `${active ? "Enabled" : "Disabled"} outbound webhook “${r.name}”` });
}

export async function deleteOutboundWebhook(db: Db, actor: Actor, id: string) {
  const r = await db.deleteFrom("outbound_webhooks").where("id", "=", id).where("workspace_id", "=", actor.workspaceId).returning("name").executeTakeFirst();
  if (!r) throw new NotFoundError("Webhook");
  await recordAudit(db, actor, { action: "outbound_webhook.deleted", entityType: "outbound_webhook", entityId: id, summary: `Removed outbound webhook “${r.name}”` });
}

export async function setTeamSlack(db: Db, actor: Actor, raw: unknown) {
  const input = TeamSlackInput.parse(raw);
  const team = await db.selectFrom("teams").select(["id", "name", "settings"]).where("id", "=", input.teamId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!team) throw new NotFoundError("Team");
  const settings = { ...(team.settings as Record<string, unknown>) };
  if (input.url) settings.slackWebhookCiphertext = encryptSecret(input.url);
  else delete settings.slackWebhookCiphertext;
  await db.updateTable("teams").set({ settings: json(settings) }).where("id", "=", team.id).execute();
  await recordAudit(db, actor, { action: input.url ? "team.slack_set" : "team.slack_cleared", entityType: "team", entityId: team.id, summary: `${input.url ? "Set" : "Cleared"} the Slack channel of ${team.name}` });
}

/** Dead jobs (given, or all) back in the queue, due now, with fresh attempts. */
export async function retryDeadLetters(db: Db, actor: Actor, ids: readonly number[] | "all", now: Date): Promise<number> {
  const list = ids === "all"
    ? (await db.selectFrom("jobs").select("id").where("workspace_id", "=", actor.workspaceId).where("status", "=", "dead").execute()).map((r) => Number(r.id))
    : ids;
  if (!list.length) throw new ConflictError("There is nothing to retry.");
  const n = await retryDeadJobs(db, actor.workspaceId, list, now);
  await recordAudit(db, actor, { action: "jobs.retried", entityType: "job", entityId: list.slice(0, 20).join(","), summary: `Retried ${n} failed ${n === 1 ? "job" : "jobs"} from the dead letters` });
  return n;
}
