/**
 * Dashboard benchmark: generates a year of history — 1,000,000 leads and about 5,000,000 events by default — into a
 * scratch PostgreSQL database (the generator is part of the benchmark: tests/bench/dashboard/), then times every
 * dashboard query through the services the tRPC routers call: the KPI set (30, 90 and 365 days, each with its
 * previous period), the route path table (30 and 365 days), the 90-day daily trend, a drill-down page (a route path's
 * SLA breaches, 30 days), fairness and the speed-to-lead distribution (30 days). Each query runs cold (first
 * execution on a fresh connection pool) and then warm (20 runs): p50/p95/max, PASS/MISS against p95 ≤ 300 ms.
 * The same for 100,000 leads on PGlite (in memory). Peer figure: the naive path, lib's computeKpis folding the raw
 * events (kpisFromEvents) for the default 30-day window, and its ratio to the SQL aggregate. For every MISS the SQL
 * the service sent is printed with EXPLAIN (ANALYZE, BUFFERS).
 *
 * Benchmarks print figures; they never assert timings (exit 1 only when the run breaks or the data is inconsistent).
 *
 * Run: npm run bench:dashboard [-- --leads 1000000] [-- --pglite-leads 100000] [-- --keep] [-- --reuse]
 *   --leads N         leads on PostgreSQL (0 skips PostgreSQL); default 1,000,000
 *   --pglite-leads N  leads on PGlite (0 skips PGlite); default 100,000
 *   --keep            keep the PostgreSQL database (sy_bench_dashboard) after the run
 *   --reuse           use the kept database when it holds this generator's data for the same --leads
 *   --runs N          warm runs per query (default 20)
 *   --batch N         leads per insert batch (default 10,000)
 *   --explain         print EXPLAIN (ANALYZE, BUFFERS) for every query, not only for misses
 *   --peer-timeout S  give up on the naive peer after S seconds (default 120)
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) — where the database is created.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { countFlag, machineLines, textTable } from "./lib/report";
import { readBenchMeta, scratchUrl, withClient } from "./lib/scratch-db";
import { createDatabase, type DatabaseHandle } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import type { Database } from "@/db/types";
import { loadMetricContext, rebuildDailyRollups } from "@/server/services/metrics/lead-metrics";
import type { Kysely } from "kysely";
import { HistoryGenerator } from "./dashboard/generator";
import { bulkLoad, checkConsistency, kyselyExec, pgExec, tableSizes, type Exec, type LoadTimings, type TableSize } from "./dashboard/load";
import { dashboardQueries, explainSpec, fmt, median, timePeer, timeQueries, type ExplainedStatement, type PeerResult, type Timing } from "./dashboard/measure";
import { setupWorkspace } from "./dashboard/setup";
import { PG_ADMIN_URL, runBench, type BenchDatabase } from "./lib/harness";

const { values: flags } = parseArgs({
  options: {
    leads: { type: "string" }, "pglite-leads": { type: "string" }, keep: { type: "boolean" }, reuse: { type: "boolean" },
    runs: { type: "string" }, batch: { type: "string" }, explain: { type: "boolean" }, "peer-timeout": { type: "string" },
  },
  strict: true,
});
const PG_LEADS = countFlag(flags.leads, 1_000_000);
const PGLITE_LEADS = countFlag(flags["pglite-leads"], 100_000);
const RUNS = Math.max(1, countFlag(flags.runs, 20));
const BATCH = Math.max(100, countFlag(flags.batch, 10_000));
const PEER_TIMEOUT_MS = countFlag(flags["peer-timeout"], 120) * 1000;
const KEEP = flags.keep === true;
const REUSE = flags.reuse === true;

/** The generator's end instant (a Friday, noon in the workspace's New York time): fixed, so runs are comparable. */
const NOW = new Date("2026-11-20T17:00:00Z");
const SEED = "switchyard-bench-dashboard";
/** Bump when the generator's output changes, so --reuse regenerates. */
const GENERATOR_VERSION = 3; // 3: lead_metrics fairness facts and daily rollups (migration 0005)
const DB_NAME = "sy_bench_dashboard";
const TARGET_MS = 300;
/** A query's p95 target: the dashboard's 300 ms unless the spec sets its own (the review packet, computed once per review). */
const targetOf = (t: Timing) => t.spec.targetMs ?? TARGET_MS;
const DRILL_ROUTE = "sdr-queue";

const log = (line: string) => process.stderr.write(`${line}\n`);
const tmp = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-dashboard-"));

interface EngineReport {
  engine: string;
  leads: number;
  events: number;
  load: LoadTimings | null;
  setupMs: number;
  reused: string | null;
  sizes: TableSize[];
  consistency: Awaited<ReturnType<typeof checkConsistency>> | null;
  timings: Timing[];
  peer: PeerResult | null;
  explains: Array<{ label: string; statements: ExplainedStatement[] }>;
  notes: string[];
}

let pgDatabase: BenchDatabase | null = null;
let pgliteHandle: DatabaseHandle | null = null;
const reports: EngineReport[] = [];

async function main(): Promise<number> {
  log(`Switchyard dashboard benchmark — PostgreSQL ${PG_LEADS.toLocaleString("en-US")} leads, PGlite ${PGLITE_LEADS.toLocaleString("en-US")} leads, now = ${NOW.toISOString()}`);
  const machine = await machineLines(PG_LEADS > 0 ? { adminUrl: PG_ADMIN_URL, settings: ["effective_cache_size", "jit", "max_parallel_workers_per_gather", "random_page_cost", "server_version", "shared_buffers", "work_mem"] } : null);
  for (const line of machine) log(line);
  if (PG_LEADS > 0) reports.push(await postgresPhase());
  if (PGLITE_LEADS > 0) reports.push(await pglitePhase());
  process.stdout.write(`${report(machine).join("\n")}\n`);
  const broken = reports.some((r) => r.consistency && (r.consistency.orphanEvents > 0 || r.consistency.leadsWithoutMetrics > 0 || r.consistency.metrics !== r.consistency.leads));
  return broken ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------ PostgreSQL

const databaseUrl = (name: string): string => scratchUrl(PG_ADMIN_URL, name);
const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withClient(PG_ADMIN_URL, fn);

interface BenchMeta {
  version: number;
  seed: string;
  now: string;
  leads: number;
  events: number;
  load: LoadTimings;
  setupMs: number;
  generatedAt: string;
}

const readMeta = (url: string) => readBenchMeta<BenchMeta>(url);

async function postgresPhase(): Promise<EngineReport> {
  const url = databaseUrl(DB_NAME);
  const rep: EngineReport = { engine: "PostgreSQL", leads: PG_LEADS, events: 0, load: null, setupMs: 0, reused: null, sizes: [], consistency: null, timings: [], peer: null, explains: [], notes: [] };
  const exists = await admin(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [DB_NAME])).rowCount === 1);
  pgDatabase = {
    url, dataDir: undefined, label: `PostgreSQL ${new URL(url).host}/${DB_NAME}`, open: () => createDatabase({ url, poolSize: 4 }),
    drop: async () => admin(async (c) => void (await c.query(`drop database if exists ${DB_NAME} with (force)`))),
  };
  let workspaceId: string | null = null;
  if (REUSE && exists) {
    const found = await readMeta(url);
    const m = found?.meta;
    if (found && m && m.version === GENERATOR_VERSION && m.seed === SEED && m.now === NOW.toISOString() && m.leads === PG_LEADS) {
      workspaceId = found.workspaceId;
      rep.events = m.events;
      rep.load = m.load;
      rep.setupMs = m.setupMs;
      rep.reused = `reused database ${DB_NAME} generated ${m.generatedAt}`;
      log(`PostgreSQL: --reuse: ${DB_NAME} already holds ${m.leads.toLocaleString("en-US")} leads of this generator (generated ${m.generatedAt}).`);
    } else {
      log(`PostgreSQL: --reuse: ${DB_NAME} does not hold this generator's ${PG_LEADS.toLocaleString("en-US")} leads; regenerating.`);
    }
  }
  if (!workspaceId) {
    if (exists) await pgDatabase.drop();
    await admin(async (c) => void (await c.query(`create database ${DB_NAME}`)));
    log(`PostgreSQL: created ${DB_NAME}; generating ${PG_LEADS.toLocaleString("en-US")} leads…`);
    const handle = createDatabase({ url, poolSize: 4 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const s0 = performance.now();
      await migrateToLatest(handle.db);
      const cfg = await setupWorkspace(handle.db, NOW, SEED);
      const ctx = await loadMetricContext(handle.db, cfg.workspaceId);
      rep.setupMs = performance.now() - s0;
      log(`  schema + workspace configuration (${cfg.reps.length} reps, ${cfg.teams.size} teams, ${cfg.routes.size} route paths, ${cfg.sources.length - 1} sources + API) in ${(rep.setupMs / 1000).toFixed(1)} s`);
      const gen = new HistoryGenerator(cfg, ctx, SEED);
      rep.load = await bulkLoad(pgExec(client), gen, { workspaceId: cfg.workspaceId, leads: PG_LEADS, batchSize: BATCH, progress: log, replica: true });
      rep.events = gen.stats.events;
      workspaceId = cfg.workspaceId;
      log(`  loaded ${gen.stats.leads.toLocaleString("en-US")} leads and ${gen.stats.events.toLocaleString("en-US")} events in ${(rep.load.totalMs / 1000).toFixed(1)} s`);
      rep.consistency = await checkConsistency(pgExec(client));
      log(`  consistency: ${JSON.stringify(rep.consistency)}`);
      const r0 = performance.now();
      await rebuildDailyRollups(handle.db, cfg.workspaceId);
      await client.query("vacuum (analyze) lead_metrics_daily");
      rep.notes.push(`Daily rollups (lead_metrics_daily, what periods of 60+ days read) built from lead_metrics in ${((performance.now() - r0) / 1000).toFixed(1)} s — once; writers keep them current`);
      const meta: BenchMeta = { version: GENERATOR_VERSION, seed: SEED, now: NOW.toISOString(), leads: PG_LEADS, events: rep.events, load: rep.load, setupMs: rep.setupMs, generatedAt: new Date().toISOString() };
      await client.query(`update workspaces set settings = settings || jsonb_build_object('bench', $1::jsonb) where id = $2`, [JSON.stringify(meta), workspaceId]);
    } finally {
      await client.end();
      await handle.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exec = pgExec(client);
    rep.sizes = await tableSizes(exec);
    const scope = { workspaceId, now: NOW };
    const specs = dashboardQueries(scope, DRILL_ROUTE);
    const c0 = performance.now();
    const probe = createDatabase({ url, poolSize: 1 });
    await probe.db.selectFrom("workspaces").select("id").limit(1).execute();
    const connectMs = performance.now() - c0;
    await probe.close();
    rep.notes.push(`cold = the first execution on a fresh pg pool (new backends: empty catalog caches, nothing prepared); a fresh pool's first query costs ${fmt(connectMs)} ms including its connection, and the KPI summary opens 3 connections at once`);
    rep.notes.push(`PostgreSQL's shared_buffers and the OS page cache stay warm from the load and earlier queries: dropping them needs a server restart or root on this shared machine, so "cold" is cold for the connection, not for the disk`);
    log(`PostgreSQL: timing ${specs.length} queries (cold on a fresh pool, then ${RUNS} warm runs)…`);
    rep.timings = await timeQueries(specs, RUNS, () => createDatabase({ url, poolSize: 10 }), log);
    log(`PostgreSQL: peer (kpisFromEvents, 30 days)…`);
    const peerDb = createDatabase({ url, poolSize: 10 });
    try {
      rep.peer = await timePeer(peerDb.db, scope, 30, PEER_TIMEOUT_MS, log);
    } finally {
      await peerDb.close();
    }
    rep.explains = await explainMisses(rep.timings, url, exec);
  } finally {
    await client.end();
  }
  return rep;
}

async function explainMisses(timings: readonly Timing[], url: string | null, exec: Exec, db?: Kysely<Database>): Promise<EngineReport["explains"]> {
  const out: EngineReport["explains"] = [];
  for (const t of timings) {
    if (!(flags.explain || t.p95 > targetOf(t))) continue;
    const handle = url ? createDatabase({ url, poolSize: 10 }) : null;
    try {
      log(`  EXPLAIN (ANALYZE, BUFFERS): ${t.spec.label}`);
      out.push({ label: t.spec.label, statements: await explainSpec(handle?.db ?? db!, exec, t.spec) });
    } finally {
      await handle?.close();
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ PGlite

async function pglitePhase(): Promise<EngineReport> {
  const rep: EngineReport = { engine: "PGlite", leads: PGLITE_LEADS, events: 0, load: null, setupMs: 0, reused: null, sizes: [], consistency: null, timings: [], peer: null, explains: [], notes: [] };
  log(`PGlite (memory://): generating ${PGLITE_LEADS.toLocaleString("en-US")} leads…`);
  const s0 = performance.now();
  pgliteHandle = createDatabase({ dataDir: "memory://" });
  const db = pgliteHandle.db;
  await migrateToLatest(db);
  const cfg = await setupWorkspace(db, NOW, SEED);
  const ctx = await loadMetricContext(db, cfg.workspaceId);
  rep.setupMs = performance.now() - s0;
  const exec = kyselyExec(db);
  const gen = new HistoryGenerator(cfg, ctx, SEED);
  let replica = true;
  try {
    await exec.query(`set session_replication_role = replica`);
    await exec.query(`set session_replication_role = origin`);
  } catch {
    replica = false;
    rep.notes.push("PGlite refused session_replication_role: foreign keys were checked during the load");
  }
  rep.load = await bulkLoad(exec, gen, { workspaceId: cfg.workspaceId, leads: PGLITE_LEADS, batchSize: Math.min(BATCH, 5000), progress: log, replica });
  rep.events = gen.stats.events;
  log(`  loaded ${gen.stats.leads.toLocaleString("en-US")} leads and ${gen.stats.events.toLocaleString("en-US")} events in ${(rep.load.totalMs / 1000).toFixed(1)} s`);
  rep.consistency = await checkConsistency(exec);
  const r0 = performance.now();
  await rebuildDailyRollups(db, cfg.workspaceId);
  rep.notes.push(`Daily rollups built from lead_metrics in ${((performance.now() - r0) / 1000).toFixed(1)} s`);
  rep.sizes = await tableSizes(exec);
  rep.notes.push("PGlite is one in-process instance (one connection, no pool): cold = the first execution after the load, in the same instance; its buffers are warm from the load");
  const scope = { workspaceId: cfg.workspaceId, now: NOW };
  const specs = dashboardQueries(scope, DRILL_ROUTE);
  log(`PGlite: timing ${specs.length} queries (${RUNS} warm runs each)…`);
  rep.timings = await timeQueries(specs, RUNS, () => ({ db, close: async () => undefined }), log);
  log(`PGlite: peer (kpisFromEvents, 30 days)…`);
  rep.peer = await timePeer(db, scope, 30, PEER_TIMEOUT_MS, log);
  rep.explains = await explainMisses(rep.timings, null, exec, db);
  await pgliteHandle.close();
  pgliteHandle = null;
  return rep;
}

// ------------------------------------------------------------------------------------------------ report


const MiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const n = (x: number) => x.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;


function report(machine: string[]): string[] {
  const out: string[] = ["", `Switchyard dashboard benchmark — ${new Date().toISOString()}`, ...machine.map((l) => l.replace("at start", "at start of run")), `Load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`, `Data: now = ${NOW.toISOString()} (the generator's end instant), 365 days of history, seed "${SEED}"; every query runs through the dashboard services the tRPC routers call`, ""];
  for (const r of reports) {
    out.push(`=== ${r.engine}: ${n(r.leads)} leads, ${n(r.events)} events (${(r.events / Math.max(1, r.leads)).toFixed(2)} per lead) ===`);
    if (r.reused) out.push(`(${r.reused}; the generation figures below are from that run)`);
    if (r.load) {
      const l = r.load;
      out.push(`Generation: ${s(l.totalMs)} for the history (+ ${s(r.setupMs)} schema and workspace configuration) — Node generating and encoding rows ${s(l.generateMs)}, waiting on inserts ${s(l.insertWaitMs)}, rebuilding ${l.indexes} secondary indexes ${s(l.indexMs)}, VACUUM (ANALYZE) ${s(l.vacuumMs)}; ${n(Math.round(r.leads / (l.totalMs / 1000)))} leads/s overall`);
    }
    if (r.consistency) {
      const c = r.consistency;
      out.push(`Consistency: ${n(c.leads)} leads, ${n(c.events)} events, ${n(c.metrics)} lead_metrics rows; events without a lead: ${c.orphanEvents}; leads without a lead_metrics row: ${c.leadsWithoutMetrics} (${s(c.ms)})`);
    }
    if (r.sizes.length) out.push(`Sizes (pg_total_relation_size = heap + indexes + TOAST): ${r.sizes.map((t) => `${t.table} ${MiB(t.totalBytes)} (heap ${MiB(t.heapBytes)}, indexes ${MiB(t.indexBytes)})`).join("; ")}`);
    out.push("");
    const rows = r.timings.map((t) => [
      t.spec.label, t.result, fmt(t.coldMs), fmt(t.p50), fmt(t.p95), fmt(t.max), `${t.p95 <= targetOf(t) ? "PASS" : "MISS"}${t.spec.targetMs ? ` (≤ ${n(t.spec.targetMs)})` : ""}`,
      t.cores ? [t.cores.self, t.cores.postgres, t.cores.other].map((c) => c.toFixed(2)).join("/") : "–",
    ]);
    out.push(...textTable(["query", "result", "cold ms", "p50 ms", "p95 ms", "max ms", `p95 ≤ ${TARGET_MS} ms`, "cores bench/pg/other"], rows, 2));
    out.push(`(warm = ${RUNS} sequential runs on the same pool after the cold one; p50/p95 interpolate linearly; max is the slowest warm run;`);
    out.push(` cores = average cores busy while the query ran: this process (Node, and PGlite inside it), all PostgreSQL processes on the server, every other process on the machine)`);
    const others = r.timings.filter((t) => t.cores).map((t) => t.cores!.other);
    const meanOther = others.length ? others.reduce((a, b) => a + b, 0) / others.length : 0;
    if (meanOther > 0.25) out.push(`WARNING: other processes kept ${meanOther.toFixed(2)} of ${os.cpus().length} cores busy on average while the queries ran — these figures are slower than the same queries on a quiet machine.`);
    for (const note of r.notes) out.push(`Note: ${note}`);
    out.push("");
    for (const t of r.timings) out.push(`${t.p95 <= targetOf(t) ? "PASS" : "MISS"}  ${r.engine} ${n(r.leads)}: ${t.spec.label} — p95 ${fmt(t.p95)} ms (cold ${fmt(t.coldMs)} ms) against ${n(targetOf(t))} ms`);
    out.push("");
    const p = r.peer;
    if (p) {
      const sql30 = r.timings.find((t) => t.spec.key === "summary-30d");
      const sqlOne = median(p.sqlMs);
      out.push(`Peer — the naive path: kpisFromEvents (lib computeKpis folding every raw event of the window's leads), default 30-day window, ${n(p.leads)} leads:`);
      if (p.runsMs.length) {
        const peer = median(p.runsMs);
        out.push(`  kpisFromEvents: ${p.runsMs.map(fmt).join(", ")} ms (median ${fmt(peer)} ms over ${p.runsMs.length} run${p.runsMs.length > 1 ? "s" : ""})`);
        out.push(`  kpis() over lead_metrics, same single period, warm median: ${fmt(sqlOne)} ms → the naive path is ${(peer / sqlOne).toFixed(0)}× slower`);
        if (sql30) out.push(`  dashboardSummary 30d (two periods + targets), warm p50: ${fmt(sql30.p50)} ms → the naive path (one period) is ${(peer / sql30.p50).toFixed(0)}× slower`);
      }
      if (p.skipped) out.push(`  ${p.skipped}`);
      if (p.agreement) out.push(p.agreement.length ? `  DISAGREEMENT between the SQL aggregate and the fold: ${p.agreement.join("; ")}` : `  The SQL aggregate and the fold agree on every wall-clock figure (volume, speed to lead, SLA, wrong assignment, acceptance, meetings, pipeline, triage).`);
      out.push("");
    }
    for (const e of r.explains) {
      out.push(`--- ${r.engine}: EXPLAIN (ANALYZE, BUFFERS) of "${e.label}" — ${e.statements.length} statements; the slowest first ---`);
      const sorted = [...e.statements].sort((a, b) => (b.executionMs ?? 0) - (a.executionMs ?? 0));
      for (const st of sorted) {
        out.push(`[${st.executionMs !== null ? `${fmt(st.executionMs)} ms` : "?"}] ${st.sql}`);
        out.push(`  parameters: ${JSON.stringify(st.parameters.map((v) => (v instanceof Date ? v.toISOString() : v)))}`);
        if ((st.executionMs ?? 0) >= 20 || flags.explain) out.push(...st.plan.split("\n").map((l) => `  ${l}`));
      }
      out.push("");
    }
  }
  return out;
}

await runBench({
  name: "Dashboard benchmark",
  main,
  scratch: () => ({ server: null, database: KEEP ? null : pgDatabase }),
  release: async () => {
    if (pgliteHandle) await pgliteHandle.close().catch(() => undefined);
    if (KEEP && pgDatabase) log(`Kept ${pgDatabase.label} (--keep); drop it with: psql -h 127.0.0.1 -U postgres -c 'drop database ${DB_NAME}'`);
  },
  tmp,
  serverLog: path.join(tmp, "none.log"),
  log,
});
