/**
 * One timed simulation run through the service (a simulations row inserted as startSimulation records it, then
 * runSimulation — the code the "Simulate" button runs), with memory sampled every 50 ms while it runs, CPU of this
 * process and of every PostgreSQL process, and the result's consistency checks.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { countHistory } from "@/server/repositories/simulation.repository";
import { runSimulation, type SimulationOutput } from "@/server/services/routing/simulation.service";
import { machineCpu, postgresCpuByPid, postgresCpuDelta } from "../lib/harness";
import type { SimulationSetup } from "./prepare";

export interface Period {
  since: Date;
  until: Date;
}

export interface RunMeasure {
  /** "one thread": a warm run with both sides on the event loop (runSimulation draftThread: false), for comparison. */
  kind: "cold" | "warm" | "one thread";
  /** Wall time around runSimulation (it also reads its row and writes progress and the result). */
  wallMs: number;
  output: SimulationOutput;
  /** Highest process.memoryUsage() seen while the run went on (sampled every 50 ms and at its end), bytes. */
  peak: { rss: number; heapUsed: number; external: number };
  /** The same before the run started (after a GC when --expose-gc is on). */
  before: { rss: number; heapUsed: number; external: number };
  samples: number;
  /** CPU time during the run: this process (Node: decode, replay, and PGlite when embedded) and the PostgreSQL server. */
  nodeCpuMs: number;
  pgCpuMs: number | null;
  /** Average cores kept busy by every other process on the machine during the run (null without /proc/stat). */
  otherCores: number | null;
  digest: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Records a run as startSimulation would and executes it. `pgCpu`: read PostgreSQL's CPU from /proc. */
export async function timedRun(db: Kysely<Database>, setup: SimulationSetup, period: Period, expectedLeads: number, kind: RunMeasure["kind"], pgCpu: boolean): Promise<RunMeasure> {
  const draftThread = kind === "one thread" ? false : undefined;
  const row = await db.insertInto("simulations").values({
    workspace_id: setup.workspaceId, table_id: setup.tableId, draft_version_id: setup.draft.id, baseline_version_id: setup.baseline.id,
    period_start: period.since, period_end: period.until, filters: json({}), lead_count: expectedLeads, created_by: setup.userId,
  }).returning("id").executeTakeFirstOrThrow();
  gc?.();
  const m0 = process.memoryUsage();
  const before = { rss: m0.rss, heapUsed: m0.heapUsed, external: m0.external };
  const peak = { ...before };
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    if (m.rss > peak.rss) peak.rss = m.rss;
    if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
    if (m.external > peak.external) peak.external = m.external;
  };
  const timer = setInterval(sample, 50);
  const pg0 = pgCpu ? postgresCpuByPid() : null;
  const m0Cpu = machineCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let output: SimulationOutput | null;
  try {
    output = await runSimulation(db, row.id, { draftThread });
  } finally {
    clearInterval(timer);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pgCpuMs = pg0 ? postgresCpuDelta(pg0, postgresCpuByPid()) : null;
  const m1Cpu = machineCpu();
  const nodeCpuMs = (cpu.user + cpu.system) / 1000;
  // /proc/stat counts jiffies of 10 ms over all cores: busy jiffies → ms, minus ours and PostgreSQL's, per wall ms.
  const otherCores = m0Cpu && m1Cpu ? Math.max(0, ((m1Cpu.busy - m0Cpu.busy) * 10 - nodeCpuMs - (pgCpuMs ?? 0)) / wallMs) : null;
  sample();
  if (!output) throw new Error(`simulation ${row.id} returned no result (cancelled?)`);
  const status = await db.selectFrom("simulations").select(["status", "error"]).where("id", "=", row.id).executeTakeFirstOrThrow();
  if (status.status !== "done") throw new Error(`simulation ${row.id} ended ${status.status}: ${status.error ?? ""}`);
  return { kind, wallMs, output, peak, before, samples, nodeCpuMs, pgCpuMs, otherCores, digest: digestOf(output) };
}

/** A hash of everything the run computed (not its timings): equal runs over the same data must agree. */
export function digestOf(o: SimulationOutput): string {
  const { timings: _t, memoryMb: _m, ...rest } = o;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex").slice(0, 12);
}

/** Leads the service would replay over the period (its own count query). */
export async function expectedLeads(db: Kysely<Database>, workspaceId: string, period: Period): Promise<number> {
  return countHistory(db, workspaceId, period, {});
}

/** Internal consistency of one result; returns the problems found. */
export function checkOutput(o: SimulationOutput, leads: number): string[] {
  const problems: string[] = [];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (o.leads !== leads) problems.push(`replayed ${o.leads} leads, the period holds ${leads}`);
  const actual = sum(o.volumes.map((v) => v.actual));
  const baseline = sum(o.volumes.map((v) => v.baseline));
  const draft = sum(o.volumes.map((v) => v.draft));
  if (actual !== o.leads || baseline !== o.leads || draft !== o.leads) problems.push(`route-path volumes do not add up to ${o.leads}: actual ${actual}, baseline ${baseline}, draft ${draft}`);
  const flow = sum(o.flow.map((c) => c.count));
  if (flow !== o.leads) problems.push(`flow cells add up to ${flow}, not ${o.leads}`);
  const moved = sum(o.flow.filter((c) => c.from !== c.to).map((c) => c.count));
  if (moved !== o.changed) problems.push(`flow cells off the diagonal hold ${moved}, changed says ${o.changed}`);
  if (o.changed === 0) problems.push("the draft moved no lead: baseline and draft were not both evaluated");
  if (o.ruleChanged < o.changed) problems.push(`ruleChanged ${o.ruleChanged} < changed ${o.changed}`);
  for (const side of ["baseline", "draft"] as const) {
    const assigned = sum(o.load.reps.map((r) => r[side].assigned));
    const teams = sum(o.load.teams.map((t) => t[side]));
    if (assigned !== teams) problems.push(`${side}: reps were assigned ${assigned} leads, teams ${teams}`);
  }
  return problems;
}

/** Route paths where the baseline replay differs from history (for a period the baseline version routed). */
export function historyDifferences(o: SimulationOutput): string[] {
  return o.volumes.filter((v) => v.actual !== v.baseline).map((v) => `${v.route ?? "(none)"}: history ${v.actual}, baseline replay ${v.baseline}`);
}
