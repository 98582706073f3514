/**
 * The dashboard's query set, timed through the real services (the code the tRPC routers call), and the tools to
 * explain a slow one: the SQL each service call sends is captured with a Kysely plugin and run again under
 * EXPLAIN (ANALYZE, BUFFERS) with the same parameters.
 */
import os from "node:os";
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import type { CompiledQuery } from "kysely";
import type { Database } from "@/db/types";
import { percentileCont, type Kpis } from "@/lib/metrics/definitions";
import { dashboardAlerts, dashboardBreakdown, dashboardDistribution, dashboardFairness, dashboardSummary, dashboardTrend, type DashboardScope } from "@/server/services/metrics/dashboard.service";
import { computePacket } from "@/server/services/review/packet.service";
import { kpis, kpisFromEvents } from "@/server/services/metrics/metrics.service";
import { listLeads } from "@/server/repositories/lead.repository";
import { machineCpu, postgresCpuByPid, postgresCpuDelta, processCpuMs } from "../lib/harness";
import type { Exec } from "./load";

const DAY = 86_400_000;

export interface QuerySpec {
  key: string;
  label: string;
  /** p95 target when not the dashboard's 300 ms. */
  targetMs?: number;
  /** Runs the query once; returns a short description of what came back. */
  run(db: Kysely<Database>): Promise<string>;
}

const n = (x: number) => x.toLocaleString("en-US");

/** Every dashboard query of the issue, against `scope.now`. */
export function dashboardQueries(scope: DashboardScope, drillRoute: string): QuerySpec[] {
  const summary = (range: "30d" | "90d" | "365d"): QuerySpec => ({
    key: `summary-${range}`,
    label: `KPI summary ${range} (current + previous)`,
    run: async (db) => {
      const r = await dashboardSummary(db, scope, { range });
      return `${n(r.current.volume)} leads (+${n(r.previous.volume)} prev)`;
    },
  });
  const breakdown = (range: "30d" | "365d"): QuerySpec => ({
    key: `routes-${range}`,
    label: `Route path table ${range}`,
    run: async (db) => {
      const r = await dashboardBreakdown(db, scope, { range }, "route_path");
      return `${r.length} rows, ${n(r.reduce((s, x) => s + x.kpis.volume, 0))} leads`;
    },
  });
  // The dashboard's default trend: speed to lead in business minutes (one percentile pair per bucket) and the volume
  // per route path, as the page asks for them.
  const trend = (range: "30d" | "90d" | "365d", granularity: "day" | "week"): QuerySpec => ({
    key: `trend-${range}-${granularity}`,
    label: `Trend ${range} by ${granularity}`,
    run: async (db) => {
      const r = await dashboardTrend(db, scope, { range }, granularity, ["stl_b"]);
      return `${r.series.length} ${granularity}s, ${r.volume.length} volume cells`;
    },
  });
  return [
    summary("30d"),
    summary("90d"),
    summary("365d"),
    breakdown("30d"),
    breakdown("365d"),
    trend("30d", "day"),
    trend("90d", "day"),
    trend("365d", "week"),
    {
      key: "drill-30d",
      label: `Drill-down: ${drillRoute} SLA breaches 30d, page 1`,
      run: async (db) => {
        const r = await listLeads(db, { workspaceId: scope.workspaceId }, {
          routePath: [drillRoute], from: new Date(scope.now.getTime() - 30 * DAY), to: scope.now, metric: "sla_breached",
          sort: { field: "received_at", dir: "desc" }, page: 0, pageSize: 50, now: scope.now,
        });
        return `${r.rows.length} of ${n(r.total)} leads`;
      },
    },
    {
      key: "fairness-30d",
      label: "Fairness 30d",
      run: async (db) => {
        const r = await dashboardFairness(db, scope, { range: "30d" });
        return `${r.length} reps, ${n(r.reduce((s, x) => s + x.assigned, 0))} first assignments`;
      },
    },
    {
      key: "alerts-30d",
      label: "Alerts 30d (anomalies against the weeks before)",
      run: async (db) => {
        const r = await dashboardAlerts(db, scope, { range: "30d" });
        return `${r.findings.length} findings`;
      },
    },
    {
      // Not a dashboard query: computed once when a review is created, and stored with it. Timed for scale.
      key: "review-packet-30d",
      label: "Monthly review packet, 30 days (once per review)",
      // Computed when a review is created (the server's upkeep, or "Start review", which says it is computing).
      targetMs: 2000,
      run: async (db) => {
        const p = await computePacket(db, scope.workspaceId, { from: new Date(scope.now.getTime() - 30 * DAY), to: scope.now }, scope.now);
        return `${n(p.overall.current.volume)} leads, ${p.routePaths.length} route paths, ${p.reps.length} reps, ${p.anomalies.length} findings`;
      },
    },
    {
      key: "distribution-30d",
      label: "Speed-to-lead distribution 30d",
      run: async (db) => {
        const r = await dashboardDistribution(db, scope, { range: "30d" });
        return `${r.length} routes, ${n(r.reduce((s, x) => s + x.n, 0))} touched leads`;
      },
    },
  ];
}

export interface Timing {
  spec: QuerySpec;
  result: string;
  coldMs: number;
  warm: number[];
  p50: number;
  p95: number;
  max: number;
  /** Cores busy on average while the query ran: this process, every PostgreSQL process, everything else. */
  cores: { self: number; postgres: number; other: number } | null;
}

export function summarize(spec: QuerySpec, result: string, coldMs: number, warm: number[]): Timing {
  const sorted = [...warm].sort((a, b) => a - b);
  return { spec, result, coldMs, warm, p50: percentileCont(sorted, 0.5) ?? NaN, p95: percentileCont(sorted, 0.95) ?? NaN, max: sorted[sorted.length - 1] ?? NaN, cores: null };
}

/** CPU readings from /proc around a stretch of work: which cores were busy, and whose. */
function cpuSampler(): () => Timing["cores"] {
  const m0 = machineCpu();
  const self0 = processCpuMs(process.pid);
  const pg0 = postgresCpuByPid();
  const t0 = performance.now();
  return () => {
    const m1 = machineCpu();
    const self1 = processCpuMs(process.pid);
    const wall = performance.now() - t0;
    if (!m0 || !m1 || self0 === null || self1 === null || m1.total <= m0.total || wall <= 0) return null;
    const busy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.cpus().length;
    const self = (self1 - self0) / wall;
    const postgres = postgresCpuDelta(pg0, postgresCpuByPid()) / wall;
    return { self, postgres, other: Math.max(0, busy - self - postgres) };
  };
}

/**
 * Cold then warm: `open` gives the database to time against (for PostgreSQL a fresh pool per query, so the cold run
 * opens its connections and plans on new backends; for PGlite the one instance), `close` releases it.
 */
export async function timeQueries(
  specs: readonly QuerySpec[],
  runs: number,
  open: () => { db: Kysely<Database>; close: () => Promise<void> },
  log: (line: string) => void,
): Promise<Timing[]> {
  const out: Timing[] = [];
  for (const spec of specs) {
    const handle = open();
    const cpu = cpuSampler();
    try {
      const t0 = performance.now();
      const result = await spec.run(handle.db);
      const coldMs = performance.now() - t0;
      const warm: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await spec.run(handle.db);
        warm.push(performance.now() - t);
      }
      const t = summarize(spec, result, coldMs, warm);
      t.cores = cpu();
      const c = t.cores;
      log(`  ${spec.label}: cold ${fmt(coldMs)} ms, warm p50 ${fmt(t.p50)} p95 ${fmt(t.p95)} max ${fmt(t.max)} ms — ${result}${c ? `; cores: bench ${c.self.toFixed(2)}, PostgreSQL ${c.postgres.toFixed(2)}, other processes ${c.other.toFixed(2)}` : ""}`);
      out.push(t);
    } finally {
      await handle.close();
    }
  }
  return out;
}

export function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

// ------------------------------------------------------------------------------------------------ peer

export interface PeerResult {
  /** Runs of kpisFromEvents (ms); empty when skipped. */
  runsMs: number[];
  skipped: string | null;
  /** kpis() over lead_metrics for the same filter, warm (ms), for the like-for-like ratio. */
  sqlMs: number[];
  agreement: string[] | null;
  leads: number;
}

/**
 * The naive path: lib's computeKpis over every event of the window's leads (kpisFromEvents), timed against kpis()
 * over lead_metrics for the same single period. Gives up (and says so) when one run exceeds `timeoutMs`.
 */
export async function timePeer(db: Kysely<Database>, scope: DashboardScope, days: number, timeoutMs: number, log: (line: string) => void): Promise<PeerResult> {
  const filter = { workspaceId: scope.workspaceId, from: new Date(scope.now.getTime() - days * DAY), to: scope.now };
  const sqlMs: number[] = [];
  let sqlKpis: Kpis | null = null;
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    sqlKpis = await kpis(db, filter, scope.now);
    sqlMs.push(performance.now() - t);
  }
  const runsMs: number[] = [];
  let folded: Kpis | null = null;
  let skipped: string | null = null;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const run = kpisFromEvents(db, filter, scope.now);
    const outcome = await Promise.race([
      run.then((k) => ({ k })),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === null) {
      skipped = `kpisFromEvents did not finish within ${Math.round(timeoutMs / 1000)} s: skipped (it is left to finish before the pool closes)`;
      await run.catch(() => undefined);
      break;
    }
    folded = outcome.k;
    runsMs.push(performance.now() - t);
    log(`  peer run ${i + 1}: ${fmt(runsMs[runsMs.length - 1]!)} ms`);
    if (runsMs[runsMs.length - 1]! > 30_000) break; // one slow run is figure enough
  }
  return { runsMs, skipped, sqlMs: sqlMs.slice(1), agreement: sqlKpis && folded ? compareKpis(sqlKpis, folded) : null, leads: sqlKpis?.volume ?? 0 };
}

/** Differences between the SQL aggregates and the fold (wall-clock figures; the fold has no business minutes). */
function compareKpis(a: Kpis, b: Kpis): string[] {
  const diffs: string[] = [];
  const near = (x: number | null, y: number | null) => (x === null || y === null ? x === y : Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y)));
  const check = (name: string, x: number | null, y: number | null) => {
    if (!near(x, y)) diffs.push(`${name}: SQL ${x} vs fold ${y}`);
  };
  check("volume", a.volume, b.volume);
  check("speed to lead n", a.speedToLead.n, b.speedToLead.n);
  check("speed to lead median", a.speedToLead.medianMinutes, b.speedToLead.medianMinutes);
  check("speed to lead p90", a.speedToLead.p90Minutes, b.speedToLead.p90Minutes);
  check("system delay median", a.speedToLead.systemDelay.median, b.speedToLead.systemDelay.median);
  check("human delay p90", a.speedToLead.humanDelay.p90, b.speedToLead.humanDelay.p90);
  for (const k of ["slaBreach", "wrongAssignment", "acceptance", "meetingRate", "manualTriage"] as const) {
    check(`${k} numerator`, a[k].numerator, b[k].numerator);
    check(`${k} denominator`, a[k].denominator, b[k].denominator);
  }
  check("pipeline", a.pipeline.amount, b.pipeline.amount);
  check("opportunities", a.pipeline.opportunities, b.pipeline.opportunities);
  return diffs;
}

// ------------------------------------------------------------------------------------------------ explain

class CaptureSql implements KyselyPlugin {
  readonly captured: CompiledQuery[] = [];
  constructor(private readonly compile: (node: RootOperationNode, queryId: PluginTransformQueryArgs["queryId"]) => CompiledQuery) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.captured.push(this.compile(args.node, args.queryId));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface ExplainedStatement {
  sql: string;
  parameters: readonly unknown[];
  executionMs: number | null;
  plan: string;
}

/** Runs the spec once with SQL capture, then EXPLAIN (ANALYZE, BUFFERS) of each statement it sent. */
export async function explainSpec(db: Kysely<Database>, exec: Exec, spec: QuerySpec): Promise<ExplainedStatement[]> {
  const executor = db.getExecutor();
  const capture = new CaptureSql((node, queryId) => executor.compileQuery(node, queryId));
  await spec.run(db.withPlugin(capture));
  const out: ExplainedStatement[] = [];
  // A service may tune its transaction (`set local work_mem = …`) before a statement: explain that statement under
  // the same settings, in a transaction of its own.
  let settings: string[] = [];
  for (const q of capture.captured) {
    if (/^\s*set\s+local\s/i.test(q.sql)) {
      settings.push(q.sql);
      continue;
    }
    if (settings.length) await exec.query("begin");
    for (const set of settings) await exec.query(set);
    const rows = await exec.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${q.sql}`, q.parameters);
    if (settings.length) await exec.query("commit");
    settings = [];
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    const m = /Execution Time: ([\d.]+) ms/.exec(plan);
    out.push({ sql: q.sql, parameters: q.parameters, executionMs: m ? Number(m[1]) : null, plan });
  }
  return out;
}

export function median(xs: readonly number[]): number {
  return percentileCont([...xs].sort((a, b) => a - b), 0.5) ?? NaN;
}
