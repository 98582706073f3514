/**
 * Keeps lead_metrics (one narrow row per lead: its dimensions and its outcome folded from the event log by
 * lib/metrics) in step with the events. Every writer of lead events calls one of these in the same transaction:
 * ingestion (from the events it is about to write), the outcome service, the review queue, the CSV import and the
 * demo seed (by lead id, re-reading the events). The dashboard then aggregates this table; an integration test proves
 * its figures equal lib's computeKpis over the raw events.
 */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { compileCalendar, type BusinessCalendar } from "@/lib/calendar";
import { businessDelays, foldLeadOutcome, wallDelays, type MetricEvent } from "@/lib/metrics/definitions";
import {
  leadsMissingMetrics, loadMetricSubjects, metricWorkspaceFacts, SALES_ROLES, upsertLeadMetricRows, type LeadMetricRow, type MetricSubject,
} from "../../repositories/metrics.repository";
import { rebuildDailyRollups, refreshDailyRollups, workspacesNeedingRollups } from "../../repositories/metrics-daily.repository";

export { rebuildDailyRollups } from "../../repositories/metrics-daily.repository";

/** Builds the daily rollups of workspaces that have none in their current time zone (startup; after a zone change). */
export async function ensureDailyRollups(db: Kysely<Database>): Promise<string[]> {
  const ids = await workspacesNeedingRollups(db);
  for (const id of ids) await rebuildDailyRollups(db, id);
  return ids;
}

/** What folding needs to know about the workspace: who counts as a sales owner, and each team's calendar. */
export interface MetricContext {
  workspaceId: string;
  isSalesRep(repId: string): boolean;
  calendarFor(teamId: string | null): BusinessCalendar;
}

const SALES = new Set<string>(SALES_ROLES);

/** A MetricContext from the routing context that live routing already holds. */
export function metricContextOf(ctx: {
  workspaceId: string;
  repsById: ReadonlyMap<string, { role: string }>;
  teamCalendars: ReadonlyMap<string, BusinessCalendar>;
  settings: { reviewCalendar: BusinessCalendar };
}): MetricContext {
  return {
    workspaceId: ctx.workspaceId,
    isSalesRep: (id) => SALES.has(ctx.repsById.get(id)?.role ?? ""),
    calendarFor: (teamId) => (teamId ? ctx.teamCalendars.get(teamId) : undefined) ?? ctx.settings.reviewCalendar,
  };
}

const OFFICE_WEEK = { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [] } as BusinessCalendar["weeklyHours"];

/**
 * A MetricContext read fresh from the database (no cache): for writers that create reps or teams in the same
 * transaction (the CSV import) and for batch jobs (the demo seed). Same rules as the routing context: a team's own
 * calendar, else the workspace's review hours (Mon–Fri 09–17 in its time zone unless configured).
 */
export async function loadMetricContext(db: Kysely<Database>, workspaceId: string): Promise<MetricContext> {
  const { ws, reps, teams } = await metricWorkspaceFacts(db, workspaceId);
  const sales = new Set(reps.filter((r) => SALES.has(r.role)).map((r) => r.id));
  const review: BusinessCalendar = { timeZone: ws.time_zone, weeklyHours: (ws.settings as { reviewHours?: BusinessCalendar["weeklyHours"] }).reviewHours ?? OFFICE_WEEK, holidays: [] };
  const calendars = new Map<string, BusinessCalendar>();
  for (const t of teams) {
    const cal: BusinessCalendar = { timeZone: t.time_zone, weeklyHours: t.weekly_hours, holidays: t.holidays };
    try {
      compileCalendar(cal);
      calendars.set(t.id, cal);
    } catch {
      // an invalid team calendar falls back to the workspace hours, as routing does
    }
  }
  return { workspaceId, isSalesRep: (id) => sales.has(id), calendarFor: (teamId) => (teamId ? calendars.get(teamId) : undefined) ?? review };
}

/** The lead_metrics row of one lead from its dimensions and events (pure apart from the context's lookups). */
export function leadMetricRow(m: MetricContext, subject: MetricSubject, events: readonly MetricEvent[]): LeadMetricRow {
  const o = foldLeadOutcome({ leadId: subject.id, receivedAt: subject.receivedAt, routePathKey: subject.routePathKey, isSalesRep: m.isSalesRep }, events);
  const wall = wallDelays(o);
  let business = { toTouch: null as number | null, system: null as number | null, human: null as number | null };
  if (o.firstTouchAt || o.assignedAt) {
    try {
      business = businessDelays(o, m.calendarFor(subject.teamId));
    } catch {
      // A calendar that never opens has no business minutes; wall-clock figures still count.
    }
  }
  return {
    lead_id: subject.id,
    workspace_id: m.workspaceId,
    received_at: subject.receivedAt,
    route_path_key: subject.routePathKey,
    source_id: subject.sourceId,
    team_id: subject.teamId,
    owner_rep_id: subject.ownerRepId,
    first_rep_id: o.firstRepId,
    table_version_id: subject.tableVersionId,
    assigned_at: o.assignedAt,
    first_touch_at: o.firstTouchAt,
    sla_due_at: o.slaDueAt,
    stl_minutes: wall.toTouch,
    system_minutes: wall.system,
    human_minutes: wall.human,
    stl_business_minutes: business.toTouch,
    system_business_minutes: business.system,
    human_business_minutes: business.human,
    assigned_to_owner: o.assignedToOwner,
    routed_to_sales: o.routedToSalesOwner,
    wrong_assigned: o.wrongAssigned,
    decision: o.latestDecision,
    meeting_booked: o.meetingBooked,
    pipeline_amount: o.pipelineAmount,
    opportunities: o.opportunities,
    entered_review: o.enteredReview,
    skips: o.skips.length ? JSON.stringify(o.skips) : null,
    rejections: o.rejections.length ? JSON.stringify(o.rejections) : null,
  };
}

/** Writes the rows of leads whose dimensions and events the caller holds in memory (ingestion's hot path). */
export async function writeLeadMetrics(db: Kysely<Database>, m: MetricContext, items: ReadonlyArray<{ subject: MetricSubject; events: readonly MetricEvent[] }>): Promise<void> {
  const rows = items.map((i) => leadMetricRow(m, i.subject, i.events));
  await upsertLeadMetricRows(db, rows);
  await refreshDailyRollups(db, rows.map((r) => r.lead_id));
}

/**
 * Re-reads the leads and their events and rewrites their rows (any writer, any number of leads), and their days'
 * rollup rows — unless the caller rebuilds the whole workspace's rollups next (`rollups: false`, the demo seed).
 */
export async function refreshLeadMetrics(db: Kysely<Database>, m: MetricContext, leadIds: readonly string[], options: { rollups?: boolean } = {}): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const subjects = await loadMetricSubjects(db, m.workspaceId, leadIds.slice(i, i + CHUNK));
    await upsertLeadMetricRows(db, subjects.map((s) => leadMetricRow(m, s, s.events)));
    if (options.rollups !== false) await refreshDailyRollups(db, subjects.map((s) => s.id));
  }
}

/**
 * Builds the rows of processed leads that have none (a database created before lead_metrics existed), in batches.
 * Idempotent; run at server start. Returns how many rows it wrote.
 */
export async function backfillLeadMetrics(db: Kysely<Database>, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const missing = await leadsMissingMetrics(db, batch);
    if (missing.length === 0) return total;
    const byWorkspace = new Map<string, string[]>();
    for (const m of missing) byWorkspace.set(m.workspace_id, [...(byWorkspace.get(m.workspace_id) ?? []), m.id]);
    for (const [workspaceId, ids] of byWorkspace) await refreshLeadMetrics(db, await loadMetricContext(db, workspaceId), ids);
    total += missing.length;
    if (missing.length < batch) return total;
  }
}
