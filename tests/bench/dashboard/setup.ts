/**
 * The benchmark workspace's configuration: the demo seed's workspace (teams with calendars, route paths, the
 * published decision table, users) with no demo leads, plus what a year-old workspace has on top — 30 reps (one
 * of whom left mid-year), four sources besides the API, and a second table version that superseded the first
 * mid-year. The bulk generator (generator.ts) writes the leads against this configuration.
 */
import { type Kysely } from "kysely";
import { json } from "@/db";
import { seedDemo } from "@/db/seed/demo";
import { DEMO_TABLE } from "@/db/seed/workspace-config";
import type { Database, RepRole } from "@/db/types";

const DAY = 86_400_000;

export interface BenchRep {
  id: string;
  name: string;
  teamId: string;
  teamKey: string;
  role: RepRole;
  territories: string[];
  weight: number;
  /** Leads are assigned to the rep only before this instant (a rep who left), else always. */
  until: number | null;
}

export interface BenchConfig {
  workspaceId: string;
  timeZone: string;
  now: Date;
  start: Date;
  opsUserId: string;
  /** Table versions: v1 (superseded at v2At) and v2 (published since v2At). */
  v1: string;
  v2: string;
  v2At: Date;
  /** Sources with a share of the inbound volume; id null is the API (no source). */
  sources: Array<{ id: string | null; weight: number }>;
  routes: Map<string, { key: string; kind: string; slaMinutes: number | null }>;
  teams: Map<string, string>;
  reps: BenchRep[];
}

/** Reps on top of the demo's 17 (30 in all). */
const EXTRA_REPS: Array<{ name: string; team: string; role: RepRole; territories: string[]; weight: number; leftMidYear?: boolean }> = [
  { name: "Ava Thompson", team: "ae-na", role: "ae", territories: ["US"], weight: 1 },
  { name: "Ben Carter", team: "ae-na", role: "ae", territories: ["US", "CA"], weight: 1, leftMidYear: true },
  { name: "Carla Jiménez", team: "ae-na", role: "am", territories: ["US", "CA"], weight: 0.5 },
  { name: "Nils Berg", team: "ae-emea", role: "ae", territories: ["DE", "NL", "SE"], weight: 1 },
  { name: "Sophie Laurent", team: "ae-emea", role: "ae", territories: ["FR", "ES", "IT"], weight: 1 },
  { name: "Ethan Park", team: "sdr-amer", role: "sdr", territories: ["US", "CA"], weight: 1 },
  { name: "Zoe Adams", team: "sdr-amer", role: "sdr", territories: ["US", "CA"], weight: 1 },
  { name: "Diego Ramos", team: "sdr-amer", role: "sdr", territories: ["LATAM", "MX", "BR"], weight: 0.75 },
  { name: "Freya Nilsen", team: "sdr-emea", role: "sdr", territories: ["EMEA"], weight: 1 },
  { name: "Marco Bianchi", team: "sdr-emea", role: "sdr", territories: ["EMEA"], weight: 1 },
  { name: "Ravi Menon", team: "apac", role: "sdr", territories: ["APAC"], weight: 1 },
  { name: "Owen Price", team: "partners", role: "partner_manager", territories: [], weight: 1 },
  { name: "Lena Vogel", team: "support", role: "support", territories: [], weight: 1 },
];

const EXTRA_SOURCES = [
  { name: "HubSpot forms", kind: "hubspot" as const, weight: 22 },
  { name: "Typeform — demo request", kind: "typeform" as const, weight: 12 },
  { name: "Website contact form", kind: "form" as const, weight: 14 },
];

/** Creates the workspace and its configuration; returns what the generator needs. */
export async function setupWorkspace(db: Kysely<Database>, now: Date, seed: string): Promise<BenchConfig> {
  const start = new Date(now.getTime() - 365 * DAY);
  const v2At = new Date(now.getTime() - 182 * DAY);
  const summary = await seedDemo(db, { leads: 0, now, days: 365, seed });
  const workspaceId = summary.workspaceId;

  for (const r of EXTRA_REPS) {
    const team = await db.selectFrom("teams").select(["id", "time_zone"]).where("workspace_id", "=", workspaceId).where("key", "=", r.team).executeTakeFirstOrThrow();
    await db.insertInto("reps").values({
      workspace_id: workspaceId, team_id: team.id, name: r.name, email: `${r.name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, ".")}@bench.switchyard.dev`,
      title: r.role === "sdr" ? "SDR" : r.role === "am" ? "Account Manager" : r.role === "ae" ? "Account Executive" : r.role === "support" ? "Support Engineer" : "Partner Manager",
      role: r.role, territories: r.territories, products: [], segments: [], weight: r.weight, time_zone: team.time_zone, active: !r.leftMidYear, settings: json({}),
    }).execute();
  }
  for (const s of EXTRA_SOURCES) {
    await db.insertInto("sources").values({ workspace_id: workspaceId, name: s.name, kind: s.kind, field_mapping: json({}), settings: json({}), created_at: start }).execute();
  }

  // Mid-year: v2 of the routing table (hot mid-market demo requests widened to P3) supersedes v1.
  const v1Row = await db.selectFrom("decision_table_versions").select(["id", "table_id", "created_by"]).where("workspace_id", "=", workspaceId).where("status", "=", "published").executeTakeFirstOrThrow();
  await db.updateTable("decision_table_versions").set({ status: "superseded", updated_at: v2At }).where("id", "=", v1Row.id).execute();
  const v2Definition = {
    ...DEMO_TABLE,
    rules: DEMO_TABLE.rules.map((r) => (r.id === "R08" ? { ...r, annotation: "Hot or warm mid-market demo request", when: { ...r.when, priority_tier: "'P1','P2','P3'" } } : r)),
  };
  const v2Row = await db.insertInto("decision_table_versions").values({
    workspace_id: workspaceId, table_id: v1Row.table_id, version: 2, status: "published", definition: json(v2Definition),
    change_reason: "Send warm mid-market demo requests straight to AEs", based_on_version_id: v1Row.id, created_by: v1Row.created_by,
    created_at: new Date(v2At.getTime() - 3 * DAY), updated_at: v2At, approved_by: v1Row.created_by, approved_at: v2At,
    published_by: v1Row.created_by, published_at: v2At, effective_at: v2At,
  }).returning("id").executeTakeFirstOrThrow();

  return loadConfig(db, workspaceId, now, v1Row.id, v2Row.id, v2At);
}

async function loadConfig(db: Kysely<Database>, workspaceId: string, now: Date, v1: string, v2: string, v2At: Date): Promise<BenchConfig> {
  const [ws, teams, reps, routes, sources, ops] = await Promise.all([
    db.selectFrom("workspaces").select("time_zone").where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom("teams").select(["id", "key"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("reps").select(["id", "name", "team_id", "role", "territories", "weight", "active"]).where("workspace_id", "=", workspaceId).orderBy("email").execute(),
    db.selectFrom("route_paths").select(["key", "kind", "sla_minutes"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("sources").select(["id", "name"]).where("workspace_id", "=", workspaceId).orderBy("name").execute(),
    db.selectFrom("users").select("id").where("workspace_id", "=", workspaceId).where("role", "=", "ops").orderBy("email").executeTakeFirstOrThrow(),
  ]);
  const teamKey = new Map(teams.map((t) => [t.id, t.key]));
  const weights = new Map<string, number>(EXTRA_SOURCES.map((s) => [s.name, s.weight]));
  return {
    workspaceId, timeZone: ws.time_zone, now, start: new Date(now.getTime() - 365 * DAY), opsUserId: ops.id, v1, v2, v2At,
    sources: [...sources.map((s) => ({ id: s.id, weight: weights.get(s.name) ?? 30 })), { id: null, weight: 22 }],
    routes: new Map(routes.map((r) => [r.key, { key: r.key, kind: r.kind, slaMinutes: r.sla_minutes }])),
    teams: new Map(teams.map((t) => [t.key, t.id])),
    reps: reps.map((r) => ({
      id: r.id, name: r.name, teamId: r.team_id, teamKey: teamKey.get(r.team_id)!, role: r.role, territories: r.territories, weight: r.weight,
      until: r.active ? null : v2At.getTime(),
    })),
  };
}
