/** SQL for work queues: the review queue and a rep's inbox. */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";

export function listOpenReviewItems(db: Kysely<Database>, workspaceId: string, limit: number, reason?: string) {
  let q = db
    .selectFrom("review_items as ri")
    .innerJoin("leads as l", "l.id", "ri.lead_id")
    .leftJoin("users as u", "u.id", "ri.assigned_user_id")
    .select([
      "ri.id", "ri.reason_code", "ri.reason_text", "ri.entered_at", "ri.due_at", "u.name as assignee_name",
      "l.id as lead_id", "l.first_name", "l.last_name", "l.email", "l.company", "l.country", "l.category",
      "l.category_confidence", "l.priority_tier", "l.route_path_key", "l.message", "l.facts",
      (eb) => eb.selectFrom("lead_events as e").select("e.data").whereRef("e.lead_id", "=", "l.id").where("e.type", "=", "queued_for_review")
        .orderBy("e.id", "desc").limit(1).as("queued"),
    ])
    .where("ri.workspace_id", "=", workspaceId)
    .where("ri.status", "=", "open");
  if (reason) q = q.where("ri.reason_code", "=", reason);
  return q.orderBy("ri.due_at", (ob) => ob.asc().nullsLast()).orderBy("ri.entered_at").limit(limit).execute();
}

export function countOpenReviewItemsByReason(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom("review_items")
    .select(["reason_code", (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("status", "=", "open")
    .groupBy("reason_code")
    .orderBy("n", "desc")
    .execute();
}

export function listInbox(db: Kysely<Database>, workspaceId: string, repId: string, limit: number) {
  return db
    .selectFrom("leads as l")
    .leftJoin("route_paths as rp", (j) => j.onRef("rp.key", "=", "l.route_path_key").onRef("rp.workspace_id", "=", "l.workspace_id"))
    .select([
      "l.id", "l.first_name", "l.last_name", "l.email", "l.company", "l.country", "l.title", "l.status", "l.priority_tier",
      "l.score", "l.category", "l.category_confidence", "l.classifier", "l.received_at", "l.assigned_at", "l.sla_due_at", "l.first_touch_at", "l.message",
      "rp.name as route_path_name", "rp.color as route_path_color",
      (eb) => eb.selectFrom("lead_events as e").select("e.data")
        .whereRef("e.lead_id", "=", "l.id").where("e.type", "=", "classified")
        .orderBy("e.occurred_at", "desc").limit(1).as("classified"),
      (eb) => eb.selectFrom("lead_events as e").select("e.data")
        .whereRef("e.lead_id", "=", "l.id").where("e.type", "in", ["assigned", "reassigned"]).where("e.rep_id", "=", repId)
        .orderBy("e.occurred_at", "desc").limit(1).as("assignment"),
    ])
    .where("l.workspace_id", "=", workspaceId)
    .where("l.owner_rep_id", "=", repId)
    .where("l.status", "in", ["assigned", "accepted", "working"])
    .orderBy("l.priority_tier", (ob) => ob.asc().nullsLast())
    .orderBy("l.sla_due_at", (ob) => ob.asc().nullsLast())
    .limit(limit)
    .execute();
}

export function listRepsBrief(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom("reps as r")
    .innerJoin("teams as t", "t.id", "r.team_id")
    .select(["r.id", "r.name", "r.role", "t.name as team_name"])
    .where("r.workspace_id", "=", workspaceId)
    .where("r.active", "=", true)
    .orderBy("r.name")
    .execute();
}
