/**
 * What-if simulation runs: a saved row per run (queued → running → done / failed / cancelled) linked to the draft
 * version, executed in this process in the background. History is streamed in time slices (the next slice loads
 * while the current one replays); progress is written as it goes, and a cancel request stops the run between
 * slices. A run interrupted by a restart is marked failed at startup.
 */
import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { check, compile, parseDecisionTable, sameTable } from "@/lib/decision-table";
import type { DecideInput } from "@/lib/routing/decide";
import { SideReplay, Simulation, type SimulationResult } from "@/lib/simulate";
import { recordAudit } from "../../repositories/audit.repository";
import { ConflictError, NotFoundError, ValidationError } from "../../errors";
import { log } from "../../log";
import { countHistory, historyFactKeys, readHistory, type HistoryFilters } from "../../repositories/simulation.repository";
import { routingContext } from "../ingest/routing-context";
import { DraftThread } from "./simulation-thread";
import { env } from "../../env";
import { liveVersionId, type Actor } from "./versions.service";

type Db = Kysely<Database>;

export const MAX_SIMULATION_DAYS = 400;
export const MAX_SIMULATION_LEADS = 1_000_000;

export const SimulationRequest = z.object({
  versionId: z.uuid(),
  since: z.coerce.date({ error: "Enter a start date." }),
  until: z.coerce.date({ error: "Enter an end date." }),
  sourceIds: z.array(z.uuid()).max(50).optional(),
  routes: z.array(z.string().min(1)).max(50).optional(),
});
export type SimulationRequest = z.infer<typeof SimulationRequest>;

/** Headline figures of a run, kept apart so saved runs compare at a glance. */
export interface SimulationSummary {
  leads: number;
  changed: number;
  triage: { baseline: number; draft: number };
  slaBreaches: { baseline: number; draft: number };
  accepted: { baseline: number; draft: number };
  meetings: { baseline: number; draft: number };
  pipeline: { baseline: number; draft: number };
}

export function summarize(r: SimulationResult): SimulationSummary {
  const sum = (pick: (o: SimulationResult["outcomes"][number]["draft"]) => { value: number } | null, side: "baseline" | "draft") =>
    r.outcomes.reduce((a, o) => a + (pick(o[side])?.value ?? 0), 0);
  return {
    leads: r.leads,
    changed: r.changed,
    triage: { baseline: r.triage.baseline, draft: r.triage.draft },
    slaBreaches: { baseline: r.sla.reduce((a, x) => a + x.baseline.value, 0), draft: r.sla.reduce((a, x) => a + x.draft.value, 0) },
    accepted: { baseline: sum((o) => o.accepted, "baseline"), draft: sum((o) => o.accepted, "draft") },
    meetings: { baseline: sum((o) => o.meetings, "baseline"), draft: sum((o) => o.meetings, "draft") },
    pipeline: { baseline: sum((o) => o.pipeline, "baseline"), draft: sum((o) => o.pipeline, "draft") },
  };
}

export interface SimulationOutput extends SimulationResult {
  summary: SimulationSummary;
  baselineVersion: { id: string; version: number } | null;
  draftVersion: { id: string; version: number };
  /** threads: 2 when the draft replayed on a thread of its own, 1 when both sides replayed on one (absent in runs saved before). */
  timings: { loadMs: number; replayMs: number; totalMs: number; threads?: 1 | 2 };
  /** Memory in use (heap + external) after the run, MB. */
  memoryMb: number;
}

/** Ids of runs this process was asked to cancel. */
const cancelRequests = new Set<string>();

/** Validates and records a run, then starts it in the background. Returns the run's id. */
export async function startSimulation(db: Db, actor: Actor, input: SimulationRequest, opts: { wait?: boolean } = {}): Promise<{ id: string; leads: number }> {
  if (input.until.getTime() <= input.since.getTime()) throw new ValidationError("The period is empty.", { until: ["The end must be after the start."] });
  if (input.until.getTime() - input.since.getTime() > MAX_SIMULATION_DAYS * 86_400_000) throw new ValidationError("The period is too long.", { since: [`Simulate at most ${MAX_SIMULATION_DAYS} days at a time.`] });
  const version = await db.selectFrom("decision_table_versions").select(["id", "table_id", "version", "definition", "status"]).where("id", "=", input.versionId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!version) throw new NotFoundError("Table version");
  const definition = parseDecisionTable(version.definition);
  const errors = check(definition).filter((d) => d.severity === "error");
  if (errors.length) throw new ValidationError("Fix the table's errors before simulating.", { versionId: errors.slice(0, 5).map((e) => `${e.ruleId ? `${e.ruleId}: ` : ""}${e.message}`) });
  // One run at a time per workspace: a replay of a million leads keeps a core busy for seconds.
  const running = await db.selectFrom("simulations").select("id").where("workspace_id", "=", actor.workspaceId).where("status", "in", ["queued", "running"]).executeTakeFirst();
  if (running) throw new ConflictError("A simulation is already running in this workspace; wait for it or cancel it.");
  const filters: HistoryFilters = { sourceIds: input.sourceIds, routes: input.routes };
  const leads = await countHistory(db, actor.workspaceId, { since: input.since, until: input.until }, filters);
  if (leads > MAX_SIMULATION_LEADS) throw new ValidationError("Too many leads.", { since: [`The period holds ${leads.toLocaleString("en-US")} leads; simulate at most ${MAX_SIMULATION_LEADS.toLocaleString("en-US")} at a time.`] });
  const baseline = await liveVersionId(db, actor.workspaceId, version.table_id, actor.now);
  const row = await db.insertInto("simulations").values({
    workspace_id: actor.workspaceId, table_id: version.table_id, draft_version_id: version.id, baseline_version_id: baseline,
    period_start: input.since, period_end: input.until, filters: json(filters as Record<string, unknown>), lead_count: leads, created_by: actor.userId,
  }).returning("id").executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: "simulation.started", entityType: "simulation", entityId: row.id,
    summary: `Simulated v${version.version} over ${leads.toLocaleString("en-US")} leads (${input.since.toISOString().slice(0, 10)} – ${input.until.toISOString().slice(0, 10)})`,
  });
  const run = runSimulation(db, row.id).catch((error) => log.error("simulation failed", { simulationId: row.id, error: error instanceof Error ? error.message : String(error) }));
  if (opts.wait) await run;
  return { id: row.id, leads };
}

/**
 * Executes a queued run to completion (or cancellation / failure), saving progress and the result. The draft side
 * replays on a thread of its own (simulation.worker.ts) when the draft's table differs from the baseline's and the
 * run holds at least SIMULATION_THREAD_MIN_LEADS leads (default 50,000: below that, starting a thread costs more
 * than the draft's share of the replay; `draftThread` forces either way); when the thread cannot start, both sides
 * replay here.
 */
export async function runSimulation(db: Db, simulationId: string, opts: { draftThread?: boolean } = {}): Promise<SimulationOutput | null> {
  const started = performance.now();
  const sim = await db.selectFrom("simulations").selectAll().where("id", "=", simulationId).executeTakeFirstOrThrow();
  // Only a queued run starts: one cancelled before it got here stays cancelled.
  const claimed = await db.updateTable("simulations").set({ status: "running", started_at: new Date(), progress: 0 })
    .where("id", "=", simulationId).where("status", "=", "queued").returning("id").executeTakeFirst();
  if (!claimed) {
    cancelRequests.delete(simulationId);
    return null;
  }
  // Started first: the thread loads its code while the versions and the routing context are read.
  let threadDone = false;
  let thread = (opts.draftThread ?? (sim.lead_count ?? 0) >= env().SIMULATION_THREAD_MIN_LEADS) ? DraftThread.acquire() : null;
  try {
    const ctx = await routingContext(db, sim.workspace_id);
    const versions = await db.selectFrom("decision_table_versions").select(["id", "version", "definition"])
      .where("id", "in", [sim.draft_version_id, ...(sim.baseline_version_id ? [sim.baseline_version_id] : [])]).execute();
    const draftRow = versions.find((v) => v.id === sim.draft_version_id);
    if (!draftRow) throw new Error("the draft version no longer exists");
    const baseRow = versions.find((v) => v.id === sim.baseline_version_id) ?? null;
    const draftDef = parseDecisionTable(draftRow.definition);
    const draft: DecideInput = { table: { versionId: draftRow.id, version: draftRow.version, definition: draftDef, compiled: compile(draftDef) }, routes: ctx.routes };
    let baseline: DecideInput;
    if (!baseRow) baseline = { table: null, routes: ctx.routes, problems: ["no published version"] };
    else {
      const def = parseDecisionTable(baseRow.definition);
      // An unchanged draft replays through the very same table (each lead decided once).
      baseline = sameTable(def, draftDef) ? draft : { table: { versionId: baseRow.id, version: baseRow.version, definition: def, compiled: compile(def) }, routes: ctx.routes };
    }
    const place = { routes: ctx.routes, reps: ctx.reps, repsById: ctx.repsById, teamCalendars: ctx.teamCalendars };
    if (thread && (baseline === draft || !(await thread.loaded()))) {
      if (thread.error) log.warn("simulation: the draft thread did not start; replaying both sides on one thread", { simulationId, error: thread.error.message });
      await thread.release(thread.error === null);
      thread = null;
    }
    const simulation = new Simulation({ baseline, draft, place, draftElsewhere: thread !== null });
    let threadReady = false;
    const fields = new Set([...draftDef.inputs.map((i) => i.field), ...(baseline.table?.definition.inputs.map((i) => i.field) ?? [])]);
    const total = Math.max(1, sim.lead_count ?? 1);
    let loadMs = 0;
    let replayMs = 0;
    let lastWrite = 0;
    let cancelled = false;
    const stop = () => cancelled;
    const checkCancel = async () => {
      if (!cancelled && (cancelRequests.has(simulationId) || (performance.now() - lastWrite > 500 && (await isCancelled(db, simulationId))))) cancelled = true;
      return cancelled;
    };
    const saveProgress = async (progress: number) => {
      if (performance.now() - lastWrite <= 500) return;
      lastWrite = performance.now();
      await db.updateTable("simulations").set({ progress: Math.min(0.99, progress) }).where("id", "=", simulationId).where("status", "=", "running").execute();
    };
    // Days changed since their stored history was built are rebuilt first (the first ~30% of the bar when many are).
    let buildShare = 0;
    let phase: "building" | "replaying" | null = null;
    const setPhase = async (next: "building" | "replaying") => {
      if (phase === next) return;
      phase = next;
      await db.updateTable("simulations").set({ phase: next }).where("id", "=", simulationId).where("status", "=", "running").execute();
    };
    const history = readHistory(db, sim.workspace_id, {
      since: sim.period_start.getTime(), until: sim.period_end.getTime(), now: Date.now(), filters: sim.filters as HistoryFilters, factKeys: historyFactKeys(fields),
    }, {
      stop,
      onBuild: async (done, days) => {
        buildShare = 0.3;
        await setPhase("building");
        if (await checkCancel()) return;
        await saveProgress((0.3 * done) / days);
      },
    });
    for (;;) {
      let t = performance.now();
      const next = await history.next();
      loadMs += performance.now() - t;
      if (next.done) break;
      await setPhase("replaying");
      t = performance.now();
      if (thread) {
        if (!threadReady) {
          thread.init({ draft: { versionId: draftRow.id, version: draftRow.version, definition: draftRow.definition }, place, view: next.value.view });
          threadReady = true;
        }
        thread.day(next.value.data);
      }
      simulation.feed(next.value);
      replayMs += performance.now() - t;
      if (await checkCancel()) break;
      await saveProgress(buildShare + (1 - buildShare) * (simulation.processed / total));
    }
    if (cancelled) {
      cancelRequests.delete(simulationId);
      await history.return();
      await db.updateTable("simulations").set({ status: "cancelled", finished_at: new Date(), progress: simulation.processed / total }).where("id", "=", simulationId).execute();
      return null;
    }
    const t = performance.now();
    // The draft thread's outcome (it may still be replaying its last days), or an empty one when no day was read.
    const draftOutcome = thread ? (threadReady ? await thread.finish() : new SideReplay(draft, place).finish()) : undefined;
    threadDone = true;
    const result = simulation.result(draftOutcome);
    replayMs += performance.now() - t;
    const mem = process.memoryUsage();
    const output: SimulationOutput = {
      ...result,
      summary: summarize(result),
      baselineVersion: baseRow ? { id: baseRow.id, version: baseRow.version } : null,
      draftVersion: { id: draftRow.id, version: draftRow.version },
      timings: { loadMs: Math.round(loadMs), replayMs: Math.round(replayMs), totalMs: Math.round(performance.now() - started), threads: thread ? 2 : 1 },
      memoryMb: Math.round((mem.heapUsed + mem.external) / 1e6),
    };
    await db.updateTable("simulations").set({ status: "done", progress: 1, finished_at: new Date(), lead_count: result.leads, result: json(output as unknown as Record<string, unknown>) })
      .where("id", "=", simulationId).where("status", "=", "running").execute();
    return output;
  } catch (error) {
    await db.updateTable("simulations").set({ status: "failed", finished_at: new Date(), error: error instanceof Error ? error.message : String(error) }).where("id", "=", simulationId).execute();
    throw error;
  } finally {
    await thread?.release(threadDone);
  }
}

async function isCancelled(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom("simulations").select("status").where("id", "=", id).executeTakeFirst();
  return row?.status === "cancelled";
}

export async function cancelSimulation(db: Db, actor: Actor, id: string) {
  const row = await db.updateTable("simulations").set({ status: "cancelled", finished_at: actor.now })
    .where("id", "=", id).where("workspace_id", "=", actor.workspaceId).where("status", "in", ["queued", "running"]).returning("id").executeTakeFirst();
  if (!row) {
    const exists = await db.selectFrom("simulations").select("status").where("id", "=", id).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
    if (!exists) throw new NotFoundError("Simulation");
    throw new ConflictError(`The simulation already ${exists.status === "done" ? "finished" : exists.status}.`);
  }
  cancelRequests.add(id);
}

/** Runs left running by a process that stopped: they will not finish. */
export async function failInterruptedSimulations(db: Db): Promise<number> {
  const rows = await db.updateTable("simulations").set({ status: "failed", finished_at: new Date(), error: "Interrupted by a restart; run it again." })
    .where("status", "in", ["queued", "running"]).returning("id").execute();
  return rows.length;
}

/** A workspace's runs with what every view of them shows: versions, author, and whether the draft changed since. */
function runs(db: Db, workspaceId: string) {
  return db.selectFrom("simulations as s")
    .innerJoin("decision_table_versions as d", "d.id", "s.draft_version_id")
    .leftJoin("decision_table_versions as b", "b.id", "s.baseline_version_id")
    .leftJoin("users as u", "u.id", "s.created_by")
    .select(["s.id", "s.status", "s.phase", "s.progress", "s.lead_count", "s.period_start", "s.period_end", "s.created_at", "s.started_at", "s.finished_at", "s.error",
      "d.version as draft_version", "d.updated_at as draft_updated_at", "b.version as baseline_version", "u.name as created_by_name"])
    .where("s.workspace_id", "=", workspaceId);
}

/** A run older than its draft's last save describes a table that no longer is the draft. */
const isStale = (r: { started_at: Date | null; draft_updated_at: Date }) => r.started_at !== null && r.started_at.getTime() < r.draft_updated_at.getTime();

export async function getSimulation(db: Db, workspaceId: string, id: string) {
  const row = await runs(db, workspaceId).select(["s.table_id", "s.filters", "s.result", "s.draft_version_id"]).where("s.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("Simulation");
  return { ...row, result: row.result as SimulationOutput | null, stale: isStale(row) };
}

export async function listSimulations(db: Db, workspaceId: string, tableId: string) {
  const rows = await runs(db, workspaceId)
    .select((eb) => eb.ref("s.result", "->").key("summary" as never).as("summary"))
    .where("s.table_id", "=", tableId).orderBy("s.created_at", "desc").limit(50).execute();
  return rows.map((r) => ({ ...r, summary: (r.summary ?? null) as SimulationSummary | null, stale: isStale(r) }));
}

/** The leads of one flow-matrix cell (the sample the run kept), for the drill-down. */
export async function simulationCellLeads(db: Db, workspaceId: string, id: string, from: string | null, to: string | null) {
  const sim = await getSimulation(db, workspaceId, id);
  const cell = sim.result?.flow.find((c) => c.from === from && c.to === to);
  if (!cell) return { count: 0, leads: [] };
  if (!cell.leadIds.length) return { count: cell.count, leads: [] };
  const leads = await db.selectFrom("leads as l")
    .leftJoin("reps as r", "r.id", "l.owner_rep_id")
    .select(["l.id", "l.first_name", "l.last_name", "l.email", "l.company", "l.received_at", "l.route_path_key", "l.rule_id", "l.priority_tier", "l.category", "r.name as owner_name"])
    .where("l.workspace_id", "=", workspaceId).where("l.id", "in", cell.leadIds).orderBy("l.received_at", "desc").execute();
  return { count: cell.count, leads };
}
