/**
 * Everything live routing needs about a workspace, compiled once and cached per process until the workspace's
 * config_version changes (database triggers bump it on any change to teams, reps, absences, route paths or table
 * versions). Each lead pays one primary-key read to check the version.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";
import { Destination, deserializeState, type RepProfile } from "@/lib/assignment";
import { compileCalendar, type BusinessCalendar } from "@/lib/calendar";
import { readClassificationSettings, type ClassificationSettings } from "@/lib/classify/taxonomy";
import { compile, parseDecisionTable, type CompiledTable, type DecisionTable } from "@/lib/decision-table";
import type { RouteConfig } from "@/lib/routing/decide";
import { escalationChain } from "@/lib/sla/escalation";

export type { RouteConfig };

export interface WorkspaceSettings {
  dedupeWindowHours: number;
  currency: string;
  timeZone: string;
  /** Calendar for the review queue's SLA (ops hours). */
  reviewCalendar: BusinessCalendar;
  /** Taxonomy and LLM configuration of the classify step. */
  classification: ClassificationSettings;
  /** The settings blob as stored (the classifier chain reads its model id and encrypted key from it). */
  raw: Record<string, unknown>;
}

export interface RoutingContext {
  workspaceId: string;
  configVersion: number;
  /** When a version scheduled for later becomes live (epoch ms): the context reloads then. */
  nextSwitchAt: number | null;
  settings: WorkspaceSettings;
  table: { versionId: string; version: number; definition: DecisionTable; compiled: CompiledTable } | null;
  routes: Map<string, RouteConfig>;
  reps: RepProfile[];
  repsById: Map<string, RepProfile & { email: string; role: string; teamKey: string }>;
  repsByEmail: Map<string, string>;
  teamCalendars: Map<string, BusinessCalendar>;
  /** Problems found while loading (a route with an invalid destination, a table that does not compile…). */
  problems: string[];
}

const cache = new Map<string, RoutingContext>();

const DEFAULT_WEEK = { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [] } as BusinessCalendar["weeklyHours"];

/** The current routing context; reloads when the workspace's config_version moved. */
export async function routingContext(db: Kysely<Database>, workspaceId: string): Promise<RoutingContext> {
  const ws = await db
    .selectFrom("workspaces")
    .select(["config_version", "settings", "currency", "time_zone"])
    .where("id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  const cached = cache.get(workspaceId);
  if (cached && cached.configVersion === ws.config_version && (cached.nextSwitchAt === null || Date.now() < cached.nextSwitchAt)) return cached;
  const loaded = await load(db, workspaceId, ws);
  cache.set(workspaceId, loaded);
  return loaded;
}

/** Drops cached contexts (tests that edit configuration without the triggers' help, e.g. after TRUNCATE). */
export function clearRoutingContextCache(): void {
  cache.clear();
}

async function load(
  db: Kysely<Database>,
  workspaceId: string,
  ws: { config_version: number; settings: Record<string, unknown>; currency: string; time_zone: string },
): Promise<RoutingContext> {
  const problems: string[] = [];
  const [routeRows, teams, reps, ooo, published] = await Promise.all([
    db.selectFrom("route_paths").selectAll().where("workspace_id", "=", workspaceId).where("active", "=", true).execute(),
    db.selectFrom("teams").select(["id", "key", "time_zone", "weekly_hours", "holidays"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("reps").selectAll().where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("rep_out_of_office").select(["rep_id", "starts_at", "ends_at"]).where("workspace_id", "=", workspaceId).execute(),
    // The live version of the workspace's first table: the latest published one whose effective time has come.
    // A version scheduled for later takes over at its effective time (the cache reloads then).
    db
      .selectFrom("decision_table_versions as v")
      .innerJoin("decision_tables as t", "t.id", "v.table_id")
      .select(["v.id", "v.version", "v.definition", "v.table_id", sql<Date>`coalesce(v.effective_at, v.published_at, v.created_at)`.as("effective")])
      .where("v.workspace_id", "=", workspaceId)
      .where("v.status", "in", ["published", "superseded"])
      .where("t.id", "=", (eb) => eb.selectFrom("decision_tables").select("id").where("workspace_id", "=", workspaceId).orderBy("created_at").orderBy("id").limit(1))
      .orderBy(sql`coalesce(v.effective_at, v.published_at, v.created_at)`, "desc")
      .orderBy("v.version", "desc")
      .execute(),
  ]);

  const teamCalendars = new Map<string, BusinessCalendar>();
  const teamKeys = new Map<string, string>();
  for (const t of teams) {
    const cal: BusinessCalendar = { timeZone: t.time_zone, weeklyHours: t.weekly_hours, holidays: t.holidays };
    try {
      compileCalendar(cal); // validates now; lib/calendar caches the compiled form per object
      teamCalendars.set(t.id, cal);
    } catch (error) {
      problems.push(`team ${t.key}: calendar is invalid (${error instanceof Error ? error.message : String(error)}); SLA uses the workspace hours`);
    }
    teamKeys.set(t.id, t.key);
  }

  const absences = new Map<string, Array<{ startsAt: Date; endsAt: Date }>>();
  for (const o of ooo) absences.set(o.rep_id, [...(absences.get(o.rep_id) ?? []), { startsAt: o.starts_at, endsAt: o.ends_at }]);
  const repsById: RoutingContext["repsById"] = new Map();
  const repsByEmail = new Map<string, string>();
  const profiles: RepProfile[] = reps.map((r) => {
    const team = teamCalendars.get(r.team_id);
    const profile: RepProfile = {
      id: r.id, teamId: r.team_id, name: r.name, active: r.active, weight: r.weight, timeZone: r.time_zone,
      workingHours: r.working_hours, holidays: team?.holidays ?? [], territories: r.territories, products: r.products,
      segments: r.segments, maxOpenLeads: r.max_open_leads, maxLeadsPerDay: r.max_leads_per_day,
      outOfOffice: absences.get(r.id) ?? [],
    };
    repsById.set(r.id, { ...profile, email: r.email, role: r.role, teamKey: teamKeys.get(r.team_id) ?? "" });
    repsByEmail.set(r.email.toLowerCase(), r.id);
    return profile;
  });

  const routes = new Map<string, RouteConfig>();
  for (const rp of routeRows) {
    const parsed = Destination.safeParse(rp.destination);
    if (!parsed.success) problems.push(`route path ${rp.key}: destination is invalid (${parsed.error.issues[0]?.message ?? "?"}); it sends leads to review`);
    routes.set(rp.key, {
      key: rp.key, name: rp.name, kind: rp.kind, confidenceThreshold: rp.confidence_threshold, slaMinutes: rp.sla_minutes,
      destination: parsed.success ? parsed.data : { strategies: [], fallback: { kind: "queue", queue: "review" } },
      fallbackRouteKey: rp.fallback_route_key, escalation: escalationChain(rp.escalation),
    });
  }

  let table: RoutingContext["table"] = null;
  const nowMs = Date.now();
  const effectiveMs = (v: { effective: Date | string }) => new Date(v.effective).getTime();
  const row = published.find((v) => effectiveMs(v) <= nowMs);
  const upcoming = published.filter((v) => effectiveMs(v) > nowMs).map(effectiveMs);
  const nextSwitchAt = upcoming.length ? Math.min(...upcoming) : null;
  if (row) {
    try {
      const definition = parseDecisionTable(row.definition);
      table = { versionId: row.id, version: row.version, definition, compiled: compile(definition) };
    } catch (error) {
      problems.push(`published table v${row.version} does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    problems.push("no published decision table");
  }

  const settings = ws.settings as { dedupeWindowHours?: number; reviewHours?: BusinessCalendar["weeklyHours"] };
  return {
    workspaceId,
    configVersion: ws.config_version,
    nextSwitchAt,
    settings: {
      dedupeWindowHours: typeof settings.dedupeWindowHours === "number" ? settings.dedupeWindowHours : 72,
      currency: ws.currency,
      timeZone: ws.time_zone,
      reviewCalendar: { timeZone: ws.time_zone, weeklyHours: settings.reviewHours ?? DEFAULT_WEEK, holidays: [] },
      classification: readClassificationSettings((ws.settings as Record<string, unknown>).classification),
      raw: ws.settings,
    },
    table,
    routes,
    reps: profiles,
    repsById,
    repsByEmail,
    teamCalendars,
    problems,
  };
}

/** The assignment state row, parsed (a fresh state when none is stored yet). */
export function parseAssignmentState(json: unknown) {
  return deserializeState(json ?? null);
}

