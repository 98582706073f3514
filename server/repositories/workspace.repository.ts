/** SQL for workspace configuration: teams, reps, route paths, decision tables. */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";

export function listRoutePaths(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom("route_paths")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("sort_order")
    .orderBy("key")
    .execute();
}

export function listTeamsBrief(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom("teams").select(["id", "name"]).where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

export function listDecisionTables(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom("decision_tables as t")
    .leftJoin("decision_table_versions as v", (j) => j.onRef("v.table_id", "=", "t.id").on("v.status", "=", "published"))
    .leftJoin("users as u", "u.id", "v.published_by")
    .select([
      "t.id", "t.key", "t.name", "t.description", "v.id as published_version_id", "v.version as published_version",
      "v.published_at", "v.change_reason", "u.name as published_by_name", "v.definition",
      (eb) => eb.selectFrom("decision_table_versions as d").select((e2) => e2.fn.countAll<number>().as("n"))
        .whereRef("d.table_id", "=", "t.id").as("version_count"),
    ])
    .where("t.workspace_id", "=", workspaceId)
    .orderBy("t.name")
    .execute();
}

export function listTeamsWithReps(db: Kysely<Database>, workspaceId: string, now: Date) {
  return Promise.all([
    db.selectFrom("teams as t")
      .leftJoin("users as m", "m.id", "t.manager_user_id")
      .select(["t.id", "t.key", "t.name", "t.time_zone", "t.weekly_hours", "t.holidays", "m.name as manager_name"])
      .where("t.workspace_id", "=", workspaceId)
      .orderBy("t.name")
      .execute(),
    db.selectFrom("reps as r")
      .select([
        "r.id", "r.team_id", "r.name", "r.email", "r.title", "r.role", "r.territories", "r.products", "r.segments",
        "r.weight", "r.max_open_leads", "r.max_leads_per_day", "r.time_zone", "r.active",
        (eb) => eb.selectFrom("leads as l").select((e2) => e2.fn.countAll<number>().as("n"))
          .whereRef("l.owner_rep_id", "=", "r.id").where("l.status", "in", ["assigned", "accepted", "working"]).as("open_leads"),
        (eb) => eb.selectFrom("rep_out_of_office as o").select(sql<boolean>`true`.as("x"))
          .whereRef("o.rep_id", "=", "r.id").where("o.starts_at", "<=", now).where("o.ends_at", ">", now).limit(1).as("out_of_office"),
      ])
      .where("r.workspace_id", "=", workspaceId)
      .orderBy("r.name")
      .execute(),
  ]);
}

export function listUsers(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom("users as u")
    .leftJoin("reps as r", "r.id", "u.rep_id")
    .select(["u.id", "u.email", "u.name", "u.role", "u.active", "u.last_sign_in_at", "r.name as rep_name"])
    .where("u.workspace_id", "=", workspaceId)
    .orderBy("u.role")
    .orderBy("u.name")
    .execute();
}

export function getWorkspace(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom("workspaces").selectAll().where("id", "=", workspaceId).executeTakeFirstOrThrow();
}
