/**
 * Where an alert goes beyond the bell: the team's Slack channel (an incoming webhook), and the workspace's outbound
 * webhooks subscribed to the event (CRMs and task tools, signed the Standard Webhooks way). Each delivery is a row
 * in `deliveries` (the lead's delivery log) and a `deliver` job, written in the transaction of the event that caused
 * it — so an alert exists exactly when its event does, and is retried until it arrives or ends dead.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
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

/** Creates the Slack and webhook deliveries of an alert and their jobs; returns how many. */
export async function fanOut(trx: Transaction<Database>, alert: Alert, now: Date): Promise<number> {
  const targets: Array<{ channel: "slack" | "webhook"; target: string }> = [];
  if (alert.teamChannel) {
    const team = await trx.selectFrom("teams").select("settings").where("id", "=", alert.teamChannel).executeTakeFirst();
    if (typeof (team?.settings as { slackWebhookCiphertext?: unknown } | undefined)?.slackWebhookCiphertext === "string") {
      targets.push({ channel: "slack", target: alert.teamChannel });
    }
  }
  const hooks = await trx.selectFrom("outbound_webhooks").select(["id", "event_types"]).where("workspace_id", "=", alert.workspaceId).where("active", "=", true).execute();
  for (const h of hooks) if (h.event_types.length === 0 || h.event_types.includes(alert.event)) targets.push({ channel: "webhook", target: h.id });
  if (!targets.length) return 0;
  const payload = { event: alert.event, title: alert.title, text: alert.text, link: alert.link, data: alert.data };
  const rows = await trx.insertInto("deliveries").values(targets.map((t) => ({
    workspace_id: alert.workspaceId, lead_id: alert.leadId, channel: t.channel, target: t.target, status: "pending" as const,
    event_id: `msg_${randomUUID().replace(/-/g, "")}`, payload: json(payload), created_at: now, next_attempt_at: now,
  }))).returning("id").execute();
  await enqueueJobs(trx, rows.map((r) => ({ workspaceId: alert.workspaceId, kind: DELIVER_JOB, leadId: alert.leadId, runAt: now, payload: { deliveryId: r.id }, maxAttempts: 6 })));
  return rows.length;
}
