/**
 * Where an alert goes beyond the bell: the team's Slack channel (an incoming webhook), and the workspace's outbound
 * webhooks subscribed to the event (CRMs and task tools, signed the Standard Webhooks way). Each delivery is a row
 * in `deliveries` (the lead's delivery log) and a `deliver` job, written in the transaction of the event that caused
 * it — so an alert exists exactly when its event does, and is retried until it arrives or ends dead.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import type { OutboundEvent } from "@/lib/sla/outbound";
import { enqueueJobs } from "../../repositories/jobs.repository";

export const DELIVER_JOB = "deliver";

export { OUTBOUND_EVENTS, type OutboundEvent } from "@/lib/sla/outbound";

export interface Alert {
  workspaceId: string;
  leadId: string;
  event: OutboundEvent;
  title: string;
  text: string;
  /** Path of the lead page (made absolute with APP_URL when sent). */
  link: string;
  /** The team whose Slack channel also gets it, when the alert is for the channel. */
  teamChannel?: string | null;
  /** The webhook body's `data` (what a CRM needs: the lead, its owner, the task, the SLA). */
  data: Record<string, unknown>;
}

/** An active outbound webhook and the events it takes (none: all). */
export interface ActiveHook {
  id: string;
  event_types: string[];
}

export function activeHooks(db: Kysely<Database> | Transaction<Database>, workspaceId: string): Promise<ActiveHook[]> {
  return db.selectFrom("outbound_webhooks").select(["id", "event_types"]).where("workspace_id", "=", workspaceId).where("active", "=", true).execute();
}

/**
 * Creates the Slack and webhook deliveries of a batch of alerts and their jobs; returns how many. The workspaces'
 * endpoints and the teams' Slack settings are read once per batch (`hooks` when the caller has them already).
 */
export async function fanOut(trx: Transaction<Database>, alerts: readonly Alert[], now: Date, hooks?: ReadonlyMap<string, readonly ActiveHook[]>): Promise<number> {
  if (!alerts.length) return 0;
  const byWorkspace = new Map(hooks ?? []);
  for (const ws of new Set(alerts.map((a) => a.workspaceId))) if (!byWorkspace.has(ws)) byWorkspace.set(ws, await activeHooks(trx, ws));
  const teamIds = [...new Set(alerts.map((a) => a.teamChannel).filter((t): t is string => !!t))];
  const teams = teamIds.length ? await trx.selectFrom("teams").select(["id", "settings"]).where("id", "in", teamIds).execute() : [];
  const withSlack = new Set(teams.filter((t) => typeof (t.settings as { slackWebhookCiphertext?: unknown }).slackWebhookCiphertext === "string").map((t) => t.id));
  const out: QueuedDelivery[] = [];
  for (const alert of alerts) {
    const targets: Array<{ channel: "slack" | "webhook"; target: string }> = [];
    if (alert.teamChannel && withSlack.has(alert.teamChannel)) targets.push({ channel: "slack", target: alert.teamChannel });
    for (const h of byWorkspace.get(alert.workspaceId) ?? []) if (h.event_types.length === 0 || h.event_types.includes(alert.event)) targets.push({ channel: "webhook", target: h.id });
    const payload = { event: alert.event, title: alert.title, text: alert.text, link: alert.link, data: alert.data };
    for (const t of targets) out.push({ workspaceId: alert.workspaceId, leadId: alert.leadId, channel: t.channel, target: t.target, payload, sendAt: now });
  }
  return queueDeliveries(trx, out, now);
}

export interface QueuedDelivery {
  workspaceId: string;
  leadId: string | null;
  channel: "slack" | "webhook" | "email";
  target: string;
  payload: Record<string, unknown>;
  /** When to send (quiet hours may hold an email). */
  sendAt: Date;
  notificationId?: string | null;
  /** The id receivers deduplicate on (default: a new one). */
  eventId?: string;
}

/** The delivery log rows and their `deliver` jobs (6 attempts with backoff), in the caller's transaction. */
export async function queueDeliveries(db: Kysely<Database> | Transaction<Database>, items: readonly QueuedDelivery[], now: Date): Promise<number> {
  if (!items.length) return 0;
  const rows = await db.insertInto("deliveries").values(items.map((d) => ({
    workspace_id: d.workspaceId, lead_id: d.leadId, channel: d.channel, target: d.target, status: "pending" as const, notification_id: d.notificationId ?? null,
    event_id: d.eventId ?? `msg_${randomUUID().replace(/-/g, "")}`, payload: json(d.payload), created_at: now, next_attempt_at: d.sendAt,
  }))).returning(["id", "workspace_id", "lead_id", "next_attempt_at"]).execute();
  await enqueueJobs(db, rows.map((r) => ({ workspaceId: r.workspace_id, kind: DELIVER_JOB, leadId: r.lead_id, runAt: new Date(r.next_attempt_at!), payload: { deliveryId: r.id }, maxAttempts: 6 })));
  return rows.length;
}
