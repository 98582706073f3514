/**
 * Notifications: what a user sees under the bell (notifications table), and the delivery log of every channel a
 * notification went out on (deliveries, shown in the lead's trace). In-app notifications are written in the
 * transaction of the event that caused them, so they exist exactly when that event does.
 */
import "server-only";
import type { Kysely, Transaction } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import type { BusinessCalendar } from "@/lib/calendar";
import { AlertPreferences, emailSendAt, readAlertPreferences } from "@/lib/sla/alert-preferences";
import { env } from "../../env";
import { queueDeliveries } from "./channels";

type Db = Kysely<Database> | Transaction<Database>;

export interface NotificationInput {
  workspaceId: string;
  userId: string;
  leadId: string | null;
  /** sla_reminder, sla_breached, sla_reassigned, lead_assigned… */
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/** A due time as people read it in the owner team's zone: "Tue, 8:20 AM EDT". */
export function formatDue(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(d);
}

/** A lead as alerts name it: "Greta Käufer (Grossbank AG)". */
export function alertLeadName(l: { first_name: string | null; last_name: string | null; email: string | null; company: string | null }): string {
  const name = [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "a lead";
  return `${name}${l.company ? ` (${l.company})` : ""}`;
}

/**
 * Writes in-app notifications and their delivery log rows (delivered at once); with SMTP configured, also an email
 * delivery per recipient who wants email — held until their team's calendar opens when they keep quiet hours.
 */
export async function notifyInApp(db: Db, items: readonly NotificationInput[], now: Date): Promise<number> {
  if (!items.length) return 0;
  const rows = await db.insertInto("notifications").values(items.map((n) => ({
    workspace_id: n.workspaceId, user_id: n.userId, lead_id: n.leadId, kind: n.kind, title: n.title.slice(0, 300), body: n.body.slice(0, 2000), link: n.link, created_at: now,
  }))).returning(["id", "workspace_id", "lead_id", "user_id", "title", "body", "link", "kind"]).execute();
  await db.insertInto("deliveries").values(rows.map((r) => ({
    workspace_id: r.workspace_id, lead_id: r.lead_id, channel: "in_app" as const, target: r.user_id, status: "delivered" as const, attempts: 1,
    notification_id: r.id, payload: json({ kind: r.kind, title: r.title, body: r.body, link: r.link }), created_at: now, delivered_at: now, last_attempt_at: now,
  }))).execute();
  if (env().SMTP_URL) await emailAlerts(db, rows, now);
  return rows.length;
}

/** Email deliveries (and their jobs) for the notifications whose users want email. */
async function emailAlerts(db: Db, rows: ReadonlyArray<{ id: string; workspace_id: string; lead_id: string | null; user_id: string; title: string; body: string; link: string | null; kind: string }>, now: Date) {
  const users = await db.selectFrom("users as u").leftJoin("reps as r", "r.id", "u.rep_id").leftJoin("teams as t", "t.id", "r.team_id")
    .select(["u.id", "u.email", "u.preferences", "t.time_zone", "t.weekly_hours", "t.holidays"])
    .where("u.id", "in", [...new Set(rows.map((r) => r.user_id))]).where("u.active", "=", true).execute();
  const byId = new Map(users.map((u) => [u.id, u]));
  const out = rows.flatMap((r) => {
    const u = byId.get(r.user_id);
    if (!u) return [];
    const prefs = readAlertPreferences(u.preferences);
    if (!prefs.email) return [];
    const calendar: BusinessCalendar | null = u.time_zone && u.weekly_hours ? { timeZone: u.time_zone, weeklyHours: u.weekly_hours, holidays: u.holidays ?? [] } : null;
    return [{ r, to: u.email, at: emailSendAt(now, calendar, prefs.quietHours) }];
  });
  await queueDeliveries(db, out.map(({ r, to, at }) => ({
    workspaceId: r.workspace_id, leadId: r.lead_id, channel: "email" as const, target: to, notificationId: r.id, eventId: `msg_${r.id.replace(/-/g, "")}`,
    payload: { event: r.kind, title: r.title, text: r.body, link: r.link ?? "/", data: {} }, sendAt: at,
  })), now);
}

/** The users who receive these reps' notifications (a rep may have a sign-in of their own), by rep id. */
export async function usersOfReps(db: Db, repIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!repIds.length) return out;
  const rows = await db.selectFrom("users").select(["id", "rep_id"]).where("active", "=", true).where("rep_id", "in", [...new Set(repIds)]).execute();
  for (const r of rows) out.set(r.rep_id!, [...(out.get(r.rep_id!) ?? []), r.id]);
  return out;
}

/** A user's notifications, newest first, and how many are unread. */
export async function listNotifications(db: Kysely<Database>, workspaceId: string, userId: string, limit = 30) {
  const [items, unread] = await Promise.all([
    db.selectFrom("notifications").select(["id", "kind", "title", "body", "link", "lead_id", "created_at", "read_at"])
      .where("workspace_id", "=", workspaceId).where("user_id", "=", userId).orderBy("created_at", "desc").orderBy("id").limit(limit).execute(),
    db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).where("workspace_id", "=", workspaceId)
      .where("read_at", "is", null).executeTakeFirstOrThrow(),
  ]);
  return { items, unread: Number(unread.n) };
}

/** Marks the given notifications (or all) of the user read; returns how many changed. */
export async function markNotificationsRead(db: Kysely<Database>, workspaceId: string, userId: string, ids: readonly string[] | "all", now: Date): Promise<number> {
  let q = db.updateTable("notifications").set({ read_at: now }).where("workspace_id", "=", workspaceId).where("user_id", "=", userId).where("read_at", "is", null);
  if (ids !== "all") {
    if (!ids.length) return 0;
    q = q.where("id", "in", ids as string[]);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The user's alert preferences, and whether the workspace can send email at all. */
export async function alertPreferencesOf(db: Kysely<Database>, userId: string) {
  const u = await db.selectFrom("users").select("preferences").where("id", "=", userId).executeTakeFirstOrThrow();
  return { ...readAlertPreferences(u.preferences), emailAvailable: env().SMTP_URL !== undefined };
}

export async function saveAlertPreferences(db: Kysely<Database>, userId: string, raw: unknown) {
  const prefs = AlertPreferences.parse(raw);
  const u = await db.selectFrom("users").select("preferences").where("id", "=", userId).executeTakeFirstOrThrow();
  await db.updateTable("users").set({ preferences: json({ ...(u.preferences as Record<string, unknown>), alerts: prefs }) }).where("id", "=", userId).execute();
  return prefs;
}
