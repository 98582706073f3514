/**
 * Hand-built metric fixtures: a minimal workspace (teams with known calendars, reps with known roles, route paths,
 * sources, table versions) written by direct inserts, then leads with event logs written event by event, then
 * lead_metrics refreshed the way every writer does (refreshLeadMetrics with a context read from the database).
 *
 * Event times are given in minutes after the lead's receipt, or as ISO instants where a weekend or a DST change
 * makes minutes unreadable. Events are inserted in the order given (so ids, the tie-breaker, follow it).
 */
import type { Kysely } from "kysely";
import { json } from "@/db";
import type { Database, LeadStatus, RepRole, RouteKind } from "@/db/types";
import type { WeeklyHours } from "@/lib/calendar";
import { loadMetricContext, refreshLeadMetrics } from "@/server/services/metrics/lead-metrics";

const MINUTE = 60_000;

/** Mon–Fri 09:00–17:00, closed at weekends. */
export const OFFICE_HOURS: WeeklyHours = {
  mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [],
};

export interface WorkspaceSpec {
  slug: string;
  timeZone: string;
  teams: Array<{ key: string; timeZone: string; hours?: WeeklyHours }>;
  reps: Array<{ key: string; team: string; role: RepRole; weight?: number; active?: boolean }>;
  routes: Array<{ key: string; kind: RouteKind; slaMinutes?: number | null }>;
  sources: Array<{ key: string; kind: "json" | "form" }>;
  versions: string[];
}

export type FixtureEventType =
  | "assigned" | "reassigned" | "rejected" | "accepted" | "first_touch" | "meeting_booked" | "opportunity_created" | "queued_for_review";

/** A time: minutes after the lead's receipt, or an ISO instant. */
export type FixtureTime = number | string;

export interface FixtureEvent {
  type: FixtureEventType;
  at: FixtureTime;
  /** Rep key (the assignee for assigned/reassigned, the actor otherwise). */
  rep?: string;
  reason?: string;
  amount?: number;
  /** For assigned (and, as the re-route writes it, reassigned) events: data.slaDueAt. */
  slaDueAt?: FixtureTime;
  /** For assigned events: the reps live routing skipped, with the reason (data.skipped). */
  skipped?: Array<{ rep: string; reason: string }>;
}

export interface FixtureLead {
  key: string;
  receivedAt: string;
  route: string | null;
  source?: string | null;
  /** Current owner (rep key); the lead's team is the owner's team unless `team` says otherwise. */
  owner?: string | null;
  team?: string | null;
  version?: string | null;
  status?: LeadStatus;
  events?: FixtureEvent[];
}

export interface MetricFixture {
  db: Kysely<Database>;
  workspaceId: string;
  team: Record<string, string>;
  rep: Record<string, string>;
  repEmail: Record<string, string>;
  source: Record<string, string>;
  version: Record<string, string>;
  lead: Record<string, string>;
  /** Inserts leads and their events, then refreshes their lead_metrics rows. */
  addLeads(leads: readonly FixtureLead[]): Promise<void>;
}

export async function createMetricWorkspace(db: Kysely<Database>, spec: WorkspaceSpec): Promise<MetricFixture> {
  const ws = await db
    .insertInto("workspaces")
    .values({ slug: spec.slug, name: `Metrics ${spec.slug}`, currency: "USD", time_zone: spec.timeZone, settings: json({}) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const workspaceId = ws.id;
  const team: Record<string, string> = {};
  const teamOfRep: Record<string, string> = {};
  const rep: Record<string, string> = {};
  const repEmail: Record<string, string> = {};
  const source: Record<string, string> = {};
  const version: Record<string, string> = {};
  const lead: Record<string, string> = {};

  for (const t of spec.teams) {
    const row = await db
      .insertInto("teams")
      .values({ workspace_id: workspaceId, key: t.key, name: `Team ${t.key}`, time_zone: t.timeZone, weekly_hours: json(t.hours ?? OFFICE_HOURS), holidays: json([]), manager_user_id: null, settings: json({}) })
      .returning("id")
      .executeTakeFirstOrThrow();
    team[t.key] = row.id;
  }
  for (const r of spec.reps) {
    const email = `${r.key}@${spec.slug}.test`;
    const row = await db
      .insertInto("reps")
      .values({
        workspace_id: workspaceId, team_id: team[r.team]!, name: `Rep ${r.key}`, email, role: r.role, territories: [], products: [], segments: [],
        max_open_leads: null, max_leads_per_day: null, time_zone: spec.teams.find((t) => t.key === r.team)!.timeZone, working_hours: null, settings: json({}),
        ...(r.weight !== undefined ? { weight: r.weight } : {}), ...(r.active !== undefined ? { active: r.active } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    rep[r.key] = row.id;
    repEmail[r.key] = email;
    teamOfRep[r.key] = team[r.team]!;
  }
  for (const [i, r] of spec.routes.entries()) {
    await db
      .insertInto("route_paths")
      .values({
        workspace_id: workspaceId, key: r.key, name: `Route ${r.key}`, kind: r.kind, data_required: [], confidence_threshold: null,
        destination: json({ strategies: [], fallback: { kind: "queue", queue: "review" } }), sla_minutes: r.slaMinutes ?? null,
        fallback_route_key: null, escalation: json({}), sort_order: i,
      })
      .execute();
  }
  for (const s of spec.sources) {
    const row = await db
      .insertInto("sources")
      .values({ workspace_id: workspaceId, name: `Source ${s.key}`, kind: s.kind, secret_ciphertext: null, secret_hint: null, field_mapping: json({}), settings: json({}), created_by: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    source[s.key] = row.id;
  }
  if (spec.versions.length) {
    const table = await db
      .insertInto("decision_tables")
      .values({ workspace_id: workspaceId, key: "routing", name: "Routing" })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [i, key] of spec.versions.entries()) {
      const last = i === spec.versions.length - 1;
      const row = await db
        .insertInto("decision_table_versions")
        .values({
          workspace_id: workspaceId, table_id: table.id, version: i + 1, status: last ? "published" : "superseded", definition: json({}),
          based_on_version_id: null, created_by: null, approved_by: null, published_by: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      version[key] = row.id;
    }
  }

  const instant = (received: Date, t: FixtureTime) => (typeof t === "number" ? new Date(received.getTime() + t * MINUTE) : new Date(t));

  async function addLeads(leads: readonly FixtureLead[]): Promise<void> {
    const ids: string[] = [];
    for (const l of leads) {
      const receivedAt = new Date(l.receivedAt);
      const ownerId = l.owner ? rep[l.owner]! : null;
      const teamId = l.team !== undefined ? (l.team ? team[l.team]! : null) : l.owner ? teamOfRep[l.owner]! : null;
      const row = await db
        .insertInto("leads")
        .values({
          workspace_id: workspaceId, source_id: l.source ? source[l.source]! : null, channel: "web", raw_payload: json({ fixture: l.key }),
          email: `${l.key.toLowerCase()}@${spec.slug}.example`, company: `Company ${l.key}`, facts: json({}),
          status: l.status ?? (ownerId ? "assigned" : "queued"), route_path_key: l.route, table_version_id: l.version ? version[l.version]! : null,
          owner_rep_id: ownerId, team_id: teamId, received_at: receivedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      lead[l.key] = row.id;
      ids.push(row.id);
      for (const e of l.events ?? []) {
        await db
          .insertInto("lead_events")
          .values({
            workspace_id: workspaceId, lead_id: row.id, type: e.type, occurred_at: instant(receivedAt, e.at),
            rep_id: e.rep ? rep[e.rep]! : null, reason_code: e.reason ?? null, amount: e.amount ?? null,
            currency: e.amount !== undefined ? "USD" : null,
            data: json({
              ...(e.slaDueAt !== undefined ? { slaDueAt: instant(receivedAt, e.slaDueAt).toISOString() } : {}),
              ...(e.skipped ? { skipped: e.skipped.map((x) => ({ repId: rep[x.rep]!, reason: x.reason, strategy: "round_robin" })) } : {}),
            }),
          })
          .execute();
      }
    }
    await refreshLeadMetrics(db, await loadMetricContext(db, workspaceId), ids);
  }

  return { db, workspaceId, team, rep, repEmail, source, version, lead, addLeads };
}
