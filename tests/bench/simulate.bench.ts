/**
 * What-if simulation benchmark: a year of history — 1,000,000 leads by default, generated into a scratch PostgreSQL
 * database by the dashboard benchmark's generator (tests/bench/dashboard/) and post-processed for simulation
 * (tests/bench/simulate/prepare.ts: ai_fields on the facts, leads linked to owned CRM accounts, a draft that changes
 * two rules of the published table) — then the full simulation through the service the tRPC router calls
 * (server/services/routing/simulation.service.ts runSimulation: load facts in 7-day slices, replay baseline and draft
 * with their own assignment state, aggregate every result), as the "Simulate" button runs it:
 *
 *   1. PostgreSQL, every lead of the 365 days: a cold run (fresh connection pool, first run in the process) and warm
 *      runs; total, load and replay ms, CPU of Node and of PostgreSQL, peak RSS and heap (sampled every 50 ms) —
 *      PASS/MISS against 3 s; then one warm run with both sides on one thread (no draft thread) for the ratio.
 *   2. PostgreSQL, the most recent 100,000 leads (the period that holds them): the same, against 1 s.
 *   3. PGlite (in memory), 100,000 leads generated there: the same, against 1 s.
 *   4. Where the time goes: the load alone (no replay) and a V8 CPU profile of one full run.
 *   5. Peer: json-rules-engine on the decision step only (both table versions translated into its rules), over the
 *      facts the simulation loads, against ours (lib/decision-table evaluate) on the same facts; every lead the peer
 *      evaluates must give our rule and route. Sampled and extrapolated when the full replay exceeds the time budget.
 *
 * Benchmarks print figures; they never assert timings (exit 1 only when the run breaks or the data is inconsistent:
 * a result that does not add up, warm runs that disagree with the cold one, a peer answer that differs from ours, or
 * a baseline replay of a period its version routed that does not reproduce history's route-path volumes).
 *
 * Run: npm run bench:simulate [-- --leads 1000000] [-- --recent 100000] [-- --pglite-leads 100000] [-- --keep] [-- --reuse]
 *   --leads N          leads on PostgreSQL (0 skips PostgreSQL); default 1,000,000
 *   --recent N         the second PostgreSQL scenario: the most recent N leads (0 skips it); default 100,000
 *   --pglite-leads N   leads on PGlite (0 skips PGlite); default 100,000
 *   --keep             keep the PostgreSQL database (sy_bench_simulate) after the run
 *   --reuse            use the kept database when it holds this generator's data for the same --leads
 *   --runs N           warm runs per scenario (default 3)
 *   --batch N          leads per insert batch while generating (default 10,000)
 *   --peer-sample N    leads the peer runs when replaying every lead would exceed the budget (default 50,000)
 *   --peer-timeout S   the peer's time budget (default 120)
 *   --no-profile       skip the load-only pass and the CPU profile
 *   --no-peer          skip the decision-step comparison with json-rules-engine
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) — where the database is created.
 * Run with --expose-gc (the npm script does) so each run starts after a full GC and its memory figures compare.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { countFlag, machineLines, textTable } from "./lib/report";
import { readBenchMeta, scratchUrl, withClient } from "./lib/scratch-db";
import { createDatabase, type DatabaseHandle } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import { clearRoutingContextCache } from "@/server/services/ingest/routing-context";
import { loadMetricContext } from "@/server/services/metrics/lead-metrics";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { HistoryGenerator } from "./dashboard/generator";
import { bulkLoad, checkConsistency, kyselyExec, pgExec, type LoadTimings } from "./dashboard/load";
import { setupWorkspace } from "./dashboard/setup";
import { PG_ADMIN_URL, runBench, type BenchDatabase } from "./lib/harness";
import { decisionStep, type DecisionStepReport } from "./simulate/peer";
import { enrichHistory, simulationSetup, type PrepareTimings, type SimulationSetup } from "./simulate/prepare";
import { cpuProfile, loadOnly, type LoadOnly } from "./simulate/profile";
import { checkOutput, expectedLeads, historyDifferences, timedRun, type Period, type RunMeasure } from "./simulate/run";

const { values: flags } = parseArgs({
  options: {
    leads: { type: "string" }, recent: { type: "string" }, "pglite-leads": { type: "string" }, keep: { type: "boolean" }, reuse: { type: "boolean" },
    runs: { type: "string" }, batch: { type: "string" }, "peer-sample": { type: "string" }, "peer-timeout": { type: "string" },
    "no-profile": { type: "boolean" }, "no-peer": { type: "boolean" },
  },
  strict: true,
});
const PG_LEADS = countFlag(flags.leads, 1_000_000);
const RECENT = countFlag(flags.recent, 100_000);
const PGLITE_LEADS = countFlag(flags["pglite-leads"], 100_000);
const RUNS = Math.max(1, countFlag(flags.runs, 3));
const BATCH = Math.max(100, countFlag(flags.batch, 10_000));
const PEER_SAMPLE = Math.max(1000, countFlag(flags["peer-sample"], 50_000));
const PEER_BUDGET_MS = countFlag(flags["peer-timeout"], 120) * 1000;
const PROFILE = flags["no-profile"] !== true;
const PEER = flags["no-peer"] !== true;
const KEEP = flags.keep === true;
const REUSE = flags.reuse === true;

/** The generator's end instant (as the dashboard benchmark's): fixed, so runs are comparable. */
const NOW = new Date("2026-11-20T17:00:00Z");
const DAY = 86_400_000;
const SEED = "switchyard-bench-simulate";
/** Bump when the generator's or the post-processing's output changes, so --reuse regenerates. */
const GENERATOR_VERSION = 1; // dashboard generator v3 + prepare.ts v1
const DB_NAME = "sy_bench_simulate";
const TARGET_FULL_MS = 3000;
const TARGET_100K_MS = 1000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const tmp = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-simulate-"));
const hasGc = typeof (globalThis as { gc?: unknown }).gc === "function";

interface Scenario {
  label: string;
  engine: "PostgreSQL" | "PGlite";
  period: Period;
  leads: number;
  targetMs: number;
  runs: RunMeasure[];
  problems: string[];
  /** Route paths where the baseline replay differs from history ("checked" only when the period is the baseline's). */
  history: { checked: boolean; differences: string[] };
  incremental: Incremental | null;
}

/** Outcomes changed on some recent leads: the run that refreshes only their days, checked against a full rebuild. */
interface Incremental {
  changedLeads: number;
  days: number;
  run: RunMeasure;
  rebuilt: RunMeasure;
}

const CHANGED_LEADS = 1000;
const CHANGED_DAYS = 30;

async function clearStoredHistory(db: Kysely<Database>, workspaceId: string): Promise<void> {
  await db.deleteFrom("simulation_history_days").where("workspace_id", "=", workspaceId).execute();
  await db.deleteFrom("simulation_history_dirty").where("workspace_id", "=", workspaceId).execute();
}

/**
 * Books a meeting worth 1,000 on CHANGED_LEADS sales leads of the period's last CHANGED_DAYS days (as a day of
 * outcomes arriving does), runs — only the touched days are rebuilt — then rebuilds everything and runs again: both
 * must compute the same result. The change is undone afterwards (its days left marked for the next run).
 */
async function incrementalCheck(db: Kysely<Database>, setup: SimulationSetup, period: Period, sc: Scenario, pgCpu: boolean): Promise<Incremental> {
  const since = new Date(Math.max(period.since.getTime(), period.until.getTime() - CHANGED_DAYS * DAY));
  const picked = await sql<{ lead_id: string; day: string }>`
    select lead_id, (received_at at time zone 'UTC')::date::text as day from lead_metrics
    where workspace_id = ${setup.workspaceId} and received_at >= ${since} and received_at < ${period.until} and routed_to_sales and not meeting_booked
    order by md5(lead_id::text) limit ${CHANGED_LEADS}`.execute(db);
  const ids = picked.rows.map((r) => r.lead_id);
  const setMeeting = (on: boolean) => db.updateTable("lead_metrics")
    .set((eb) => ({ meeting_booked: on, pipeline_amount: eb("pipeline_amount", on ? "+" : "-", 1000) })).where("lead_id", "in", ids).execute();
  await setMeeting(true);
  try {
    const run = await timedRun(db, setup, period, sc.leads, "warm", pgCpu);
    await clearStoredHistory(db, setup.workspaceId);
    const rebuilt = await timedRun(db, setup, period, sc.leads, "cold", pgCpu);
    if (run.digest !== rebuilt.digest) sc.problems.push(`after ${ids.length} outcome changes the refreshed history computed ${run.digest}, a full rebuild ${rebuilt.digest}`);
    if (run.digest === sc.runs[0]!.digest) sc.problems.push(`${ids.length} booked meetings did not change the result`);
    log(`  after ${n(ids.length)} outcome changes over ${new Set(picked.rows.map((r) => r.day)).size} days: total ${fmt(run.output.timings.totalMs)} ms (load ${fmt(run.output.timings.loadMs)}); full rebuild ${fmt(rebuilt.output.timings.totalMs)} ms; ${run.digest === rebuilt.digest ? "same result" : "DIFFERENT results"}`);
    return { changedLeads: ids.length, days: new Set(picked.rows.map((r) => r.day)).size, run, rebuilt };
  } finally {
    await setMeeting(false);
  }
}

interface EngineReport {
  engine: "PostgreSQL" | "PGlite";
  leads: number;
  events: number;
  load: LoadTimings | null;
  prepare: PrepareTimings | null;
  setupMs: number;
  reused: string | null;
  consistency: Awaited<ReturnType<typeof checkConsistency>> | null;
  setup: SimulationSetup | null;
  scenarios: Scenario[];
  loadOnly: LoadOnly | null;
  profile: string[];
  peer: DecisionStepReport | null;
  notes: string[];
}

let pgDatabase: BenchDatabase | null = null;
let pgliteHandle: DatabaseHandle | null = null;
const reports: EngineReport[] = [];
let v2At: Date | null = null;

async function main(): Promise<number> {
  log(`Switchyard simulation benchmark — PostgreSQL ${n(PG_LEADS)} leads (and the most recent ${n(RECENT)}), PGlite ${n(PGLITE_LEADS)} leads, now = ${NOW.toISOString()}`);
  if (!hasGc) log("Note: run with --expose-gc (npm run bench:simulate does) for comparable memory figures.");
  const machine = await machineLines(PG_LEADS > 0 ? { adminUrl: PG_ADMIN_URL, settings: ["jit", "max_parallel_workers_per_gather", "server_version", "shared_buffers", "work_mem"] } : null);
  for (const line of machine) log(line);
  if (PG_LEADS > 0) reports.push(await postgresPhase());
  if (PGLITE_LEADS > 0) reports.push(await pglitePhase());
  process.stdout.write(`${report(machine).join("\n")}\n`);
  const broken = reports.some((r) =>
    (r.consistency && (r.consistency.orphanEvents > 0 || r.consistency.leadsWithoutMetrics > 0 || r.consistency.metrics !== r.consistency.leads))
    || r.scenarios.some((s) => s.problems.length > 0 || (s.history.checked && s.history.differences.length > 0))
    || (r.peer !== null && r.peer.peer.mismatches > 0));
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
  prepare: PrepareTimings;
  setupMs: number;
  v2At: string;
  generatedAt: string;
}

const readMeta = (url: string) => readBenchMeta<BenchMeta>(url);

function emptyReport(engine: EngineReport["engine"], leads: number): EngineReport {
  return { engine, leads, events: 0, load: null, prepare: null, setupMs: 0, reused: null, consistency: null, setup: null, scenarios: [], loadOnly: null, profile: [], peer: null, notes: [] };
}

async function postgresPhase(): Promise<EngineReport> {
  const url = databaseUrl(DB_NAME);
  const rep = emptyReport("PostgreSQL", PG_LEADS);
  const exists = await admin(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [DB_NAME])).rowCount === 1);
  pgDatabase = {
    url, dataDir: undefined, label: `PostgreSQL ${new URL(url).host}/${DB_NAME}`, open: () => createDatabase({ url }),
    drop: async () => admin(async (c) => void (await c.query(`drop database if exists ${DB_NAME} with (force)`))),
  };
  let workspaceId: string | null = null;
  if (REUSE && exists) {
    const found = await readMeta(url);
    const m = found?.meta;
    if (found && m && m.version === GENERATOR_VERSION && m.seed === SEED && m.now === NOW.toISOString() && m.leads === PG_LEADS) {
      workspaceId = found.workspaceId;
      Object.assign(rep, { events: m.events, load: m.load, prepare: m.prepare, setupMs: m.setupMs, reused: `reused database ${DB_NAME} generated ${m.generatedAt}` });
      v2At = new Date(m.v2At);
      log(`PostgreSQL: --reuse: ${DB_NAME} already holds ${n(m.leads)} leads of this generator (generated ${m.generatedAt}).`);
      // Migrations added since it was generated.
      const migrator = createDatabase({ url, poolSize: 1 });
      try {
        await migrateToLatest(migrator.db);
      } finally {
        await migrator.close();
      }
    } else {
      log(`PostgreSQL: --reuse: ${DB_NAME} does not hold this generator's ${n(PG_LEADS)} leads; regenerating.`);
    }
  }
  if (!workspaceId) {
    if (exists) await pgDatabase.drop();
    await admin(async (c) => void (await c.query(`create database ${DB_NAME}`)));
    log(`PostgreSQL: created ${DB_NAME}; generating ${n(PG_LEADS)} leads…`);
    const handle = createDatabase({ url, poolSize: 4 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const s0 = performance.now();
      await migrateToLatest(handle.db);
      const cfg = await setupWorkspace(handle.db, NOW, SEED);
      const ctx = await loadMetricContext(handle.db, cfg.workspaceId);
      rep.setupMs = performance.now() - s0;
      v2At = cfg.v2At;
      log(`  schema + workspace configuration (${cfg.reps.length} reps, ${cfg.teams.size} teams, ${cfg.routes.size} route paths) in ${s(rep.setupMs)}`);
      const gen = new HistoryGenerator(cfg, ctx, SEED);
      rep.load = await bulkLoad(pgExec(client), gen, { workspaceId: cfg.workspaceId, leads: PG_LEADS, batchSize: BATCH, progress: log, replica: true });
      rep.events = gen.stats.events;
      workspaceId = cfg.workspaceId;
      log(`  loaded ${n(gen.stats.leads)} leads and ${n(gen.stats.events)} events in ${s(rep.load.totalMs)}`);
      log(`  post-processing for simulation…`);
      rep.prepare = await enrichHistory(pgExec(client), cfg.workspaceId, { replica: true, progress: log });
      rep.consistency = await checkConsistency(pgExec(client));
      log(`  consistency: ${JSON.stringify(rep.consistency)}`);
      const meta: BenchMeta = {
        version: GENERATOR_VERSION, seed: SEED, now: NOW.toISOString(), leads: PG_LEADS, events: rep.events, load: rep.load, prepare: rep.prepare,
        setupMs: rep.setupMs, v2At: cfg.v2At.toISOString(), generatedAt: new Date().toISOString(),
      };
      await client.query(`update workspaces set settings = settings || jsonb_build_object('bench', $1::jsonb) where id = $2`, [JSON.stringify(meta), workspaceId]);
    } finally {
      await client.end();
      await handle.close();
    }
  }

  // Configuration: the live version and the benchmark's draft; earlier runs' rows out of the way.
  const setupHandle = createDatabase({ url, poolSize: 2 });
  try {
    rep.setup = await simulationSetup(setupHandle.db, workspaceId, NOW);
    await setupHandle.db.deleteFrom("simulations").where("workspace_id", "=", workspaceId).execute();
    await sql`vacuum (analyze) simulations`.execute(setupHandle.db);
  } finally {
    await setupHandle.close();
  }
  const setup = rep.setup;
  const full: Period = { since: new Date(NOW.getTime() - 365 * DAY), until: NOW };
  rep.scenarios.push(await scenario("PostgreSQL", `every lead, 365 days`, full, TARGET_FULL_MS, setup, () => createDatabase({ url })));
  if (RECENT > 0) {
    const recent = await recentPeriod(url, workspaceId, RECENT);
    rep.scenarios.push(await scenario("PostgreSQL", `the most recent ${n(RECENT)} leads (${days(recent)} days)`, recent, TARGET_100K_MS, setup, () => createDatabase({ url })));
  }
  rep.notes.push("cold = the first run of the scenario on a fresh pg pool (new backends: empty catalog caches) — for the first scenario also the first run in the process (JIT-cold replay code); PostgreSQL's shared_buffers and the OS page cache stay warm from earlier work (dropping them needs a server restart or root on this shared machine)");

  const handle = createDatabase({ url });
  try {
    if (PROFILE) {
      log(`PostgreSQL: where the time goes — the load alone, then one run under the CPU profiler…`);
      // The later scenarios stored only their own days and the incremental check left its days marked: bring the
      // year's stored history up to date first (untimed), so this measures reading it.
      await loadOnly(handle.db, setup, full, false);
      rep.loadOnly = await loadOnly(handle.db, setup, full, true);
      const expected = rep.scenarios[0]!.leads;
      const file = path.join(tmp, "simulate-1m.cpuprofile");
      const profiled = await cpuProfile(file, () => timedRun(handle.db, setup, full, expected, "warm", true));
      rep.profile = [
        `(one more warm run of the 365-day scenario under the V8 sampling profiler, 250 µs interval: total ${fmt(profiled.value.output.timings.totalMs)} ms, replay ${fmt(profiled.value.output.timings.replayMs)} ms — the profiler's overhead included;`,
        ` "dispatch [native]" is the in-process profiler itself stopping; "__name" and "set name [native]" are tsx's keepNames wrapper, which renames every function`,
        ` expression as it is created — closures made per call (decideRoute's, describeNoEligibleOwner's) pay it under tsx, not in a Next production bundle)`,
        ...profiled.lines,
      ];
    }
    if (PEER) {
      log(`PostgreSQL: decision step only — ours and json-rules-engine over the 365 days' facts…`);
      rep.peer = await decisionStep(handle.db, setup, full, { peerBudgetMs: PEER_BUDGET_MS, peerSample: PEER_SAMPLE, log });
    }
  } finally {
    await handle.close();
  }
  return rep;
}

/** The period [since, now) that holds the most recent `count` replayable leads. */
async function recentPeriod(url: string, workspaceId: string, count: number): Promise<Period> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ at: Date }>(
      `select received_at as at from leads where workspace_id = $1 and status not in ('duplicate', 'new') and received_at < $2 order by received_at desc offset $3 limit 1`,
      [workspaceId, NOW, count - 1],
    );
    return { since: r.rows[0]?.at ?? new Date(NOW.getTime() - 365 * DAY), until: NOW };
  } finally {
    await c.end();
  }
}

/**
 * A cold run on a fresh handle (its pool's first use; the routing context cache cleared), then RUNS warm runs on
 * the same handle; checks every result. PGlite's `open` hands out its one instance with a no-op close.
 */
async function scenario(engine: Scenario["engine"], label: string, period: Period, targetMs: number, setup: SimulationSetup, open: () => DatabaseHandle): Promise<Scenario> {
  const sc: Scenario = { label, engine, period, leads: 0, targetMs, runs: [], problems: [], history: { checked: false, differences: [] }, incremental: null };
  const counter = open();
  try {
    sc.leads = await expectedLeads(counter.db, setup.workspaceId, period);
  } finally {
    await counter.close();
  }
  log(`${engine}: ${label}: ${n(sc.leads)} leads, ${period.since.toISOString()} – ${period.until.toISOString()}; cold run + ${RUNS} warm…`);
  clearRoutingContextCache();
  const handle = open();
  try {
    // The first run builds the stored history of the period from leads and lead_metrics (as after an upgrade or the
    // first simulation of a workspace); the warm runs read it as stored.
    await clearStoredHistory(handle.db, setup.workspaceId);
    for (let i = 0; i <= RUNS; i++) {
      const m = await timedRun(handle.db, setup, period, sc.leads, i === 0 ? "cold" : "warm", engine === "PostgreSQL");
      sc.runs.push(m);
      const t = m.output.timings;
      log(`  ${m.kind}${i === 0 ? " (builds the stored history)" : ""}: total ${fmt(t.totalMs)} ms (load ${fmt(t.loadMs)}, replay ${fmt(t.replayMs)}), peak RSS ${mib(m.peak.rss)}, heap ${mib(m.peak.heapUsed)}; ${n(m.output.changed)} leads move`);
      for (const p of checkOutput(m.output, sc.leads)) sc.problems.push(`${m.kind} run: ${p}`);
      if (m.digest !== sc.runs[0]!.digest) sc.problems.push(`${m.kind} run ${i} computed a different result (${m.digest}) from the cold run (${sc.runs[0]!.digest})`);
    }
    // The same warm run with both sides on the event loop: what the draft thread buys, and that it changes nothing.
    const single = await timedRun(handle.db, setup, period, sc.leads, "one thread", engine === "PostgreSQL");
    sc.runs.push(single);
    log(`  one thread: total ${fmt(single.output.timings.totalMs)} ms (replay ${fmt(single.output.timings.replayMs)})`);
    for (const p of checkOutput(single.output, sc.leads)) sc.problems.push(`one-thread run: ${p}`);
    if (single.digest !== sc.runs[0]!.digest) sc.problems.push(`the one-thread run computed a different result (${single.digest}) from the cold run (${sc.runs[0]!.digest})`);
    sc.incremental = await incrementalCheck(handle.db, setup, period, sc, engine === "PostgreSQL");
  } finally {
    await handle.close();
  }
  const first = sc.runs[0]?.output;
  if (first) {
    sc.history.differences = historyDifferences(first);
    // The baseline version routed the whole period only when it started after the version's effective time.
    sc.history.checked = v2At !== null && period.since.getTime() >= v2At.getTime();
  }
  return sc;
}

// ------------------------------------------------------------------------------------------------ PGlite

async function pglitePhase(): Promise<EngineReport> {
  const rep = emptyReport("PGlite", PGLITE_LEADS);
  log(`PGlite (memory://): generating ${n(PGLITE_LEADS)} leads…`);
  const s0 = performance.now();
  pgliteHandle = createDatabase({ dataDir: "memory://" });
  const db: Kysely<Database> = pgliteHandle.db;
  await migrateToLatest(db);
  const cfg = await setupWorkspace(db, NOW, SEED);
  v2At = cfg.v2At;
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
  log(`  loaded ${n(gen.stats.leads)} leads and ${n(gen.stats.events)} events in ${s(rep.load.totalMs)}; post-processing for simulation…`);
  rep.prepare = await enrichHistory(exec, cfg.workspaceId, { replica, progress: log });
  rep.consistency = await checkConsistency(exec);
  rep.setup = await simulationSetup(db, cfg.workspaceId, NOW);
  const full: Period = { since: new Date(NOW.getTime() - 365 * DAY), until: NOW };
  const label = `every lead, 365 days`;
  rep.scenarios.push(await scenario("PGlite", label, full, PGLITE_LEADS <= 100_000 ? TARGET_100K_MS : TARGET_FULL_MS, rep.setup, () => ({ ...pgliteHandle!, close: async () => undefined })));
  rep.notes.push("PGlite is one in-process instance (one connection: the service's two slices in flight queue behind each other, and the database works on the same thread as the replay); cold = the first run after the load, in the same instance, with warm buffers; RSS includes PGlite's WebAssembly memory");
  await pgliteHandle.close();
  pgliteHandle = null;
  return rep;
}

// ------------------------------------------------------------------------------------------------ report



const n = (x: number) => Math.round(x).toLocaleString("en-US");
const fmt = (ms: number) => (ms >= 100 ? n(ms) : ms.toFixed(1));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const days = (p: Period) => ((p.until.getTime() - p.since.getTime()) / DAY).toFixed(1);
const median = (xs: number[]) => {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
};


function report(machine: string[]): string[] {
  const out: string[] = [
    "", `Switchyard simulation benchmark — ${new Date().toISOString()}`, ...machine.map((l) => l.replace("at start", "at start of run")),
    `Load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`,
    `Data: now = ${NOW.toISOString()}, 365 days of history, seed "${SEED}" (the dashboard generator + tests/bench/simulate/prepare.ts); every run goes through runSimulation (server/services/routing/simulation.service.ts), as the Simulate button does`,
    "",
  ];
  let fullWarm: number | null = null;
  let fullReplay: number | null = null;
  for (const r of reports) {
    out.push(`=== ${r.engine}: ${n(r.leads)} leads, ${n(r.events)} events ===`);
    if (r.reused) out.push(`(${r.reused}; the generation figures below are from that run)`);
    if (r.load) out.push(`Generation: ${s(r.load.totalMs)} for the history (+ ${s(r.setupMs)} schema and workspace) — generating ${s(r.load.generateMs)}, waiting on inserts ${s(r.load.insertWaitMs)}, ${r.load.indexes} indexes ${s(r.load.indexMs)}, VACUUM (ANALYZE) ${s(r.load.vacuumMs)}`);
    if (r.prepare) out.push(`Post-processing: ${s(r.prepare.totalMs)} — facts (classifier, ai_fields) and account links UPDATE ${s(r.prepare.updateMs)}, VACUUM FULL ${s(r.prepare.vacuumMs)}, indexes + analyze ${s(r.prepare.indexMs)}; ${n(r.prepare.linkedLeads)} leads linked to one of the accounts (${r.prepare.accountsWithOwner} accounts have an owner)`);
    if (r.consistency) {
      const c = r.consistency;
      out.push(`Consistency of the data: ${n(c.leads)} leads, ${n(c.events)} events, ${n(c.metrics)} lead_metrics rows; events without a lead: ${c.orphanEvents}; leads without a lead_metrics row: ${c.leadsWithoutMetrics}`);
    }
    if (r.setup) out.push(`Baseline: v${r.setup.baseline.version} (published, live at now); draft: v${r.setup.draft.version} = v${r.setup.baseline.version} with R07 employees [200..999] → [100..999] and R09 employees >= 10 → >= 50`);
    out.push("");
    const rows: string[][] = [];
    for (const sc of r.scenarios) {
      for (const m of sc.runs) {
        const t = m.output.timings;
        rows.push([
          sc.label, n(sc.leads), m.kind, fmt(t.totalMs), fmt(t.loadMs), fmt(t.replayMs), fmt(Math.max(0, t.totalMs - t.replayMs)),
          fmt(m.nodeCpuMs), m.pgCpuMs === null ? "–" : fmt(m.pgCpuMs), m.otherCores === null ? "–" : m.otherCores.toFixed(2), mib(m.before.rss), mib(m.peak.rss), mib(m.peak.heapUsed), String(m.output.memoryMb),
          t.totalMs <= sc.targetMs ? "PASS" : "MISS",
        ]);
      }
      const inc = sc.incremental;
      if (inc) {
        for (const [label, m] of [[`after ${n(inc.changedLeads)} changes`, inc.run], ["full rebuild", inc.rebuilt]] as const) {
          const t = m.output.timings;
          rows.push([
            sc.label, n(sc.leads), label, fmt(t.totalMs), fmt(t.loadMs), fmt(t.replayMs), fmt(Math.max(0, t.totalMs - t.replayMs)),
            fmt(m.nodeCpuMs), m.pgCpuMs === null ? "–" : fmt(m.pgCpuMs), m.otherCores === null ? "–" : m.otherCores.toFixed(2), mib(m.before.rss), mib(m.peak.rss), mib(m.peak.heapUsed), String(m.output.memoryMb),
            t.totalMs <= sc.targetMs ? "PASS" : "MISS",
          ]);
        }
      }
    }
    out.push(...textTable(["scenario", "leads", "run", "total ms", "load Σ ms", "replay ms", "not replay ms", "Node CPU ms", "PG CPU ms", "other cores", "RSS before", "peak RSS", "peak heap", "memoryMb", "vs target"], rows, 3));
    out.push(`(total, load and replay are the service's own timings: load = time spent waiting for history — rebuilding the stale stored days, then reading`);
    out.push(` and decoding the stored days (two 14-day chunks read ahead of the replay); replay = feeding both versions through decide + placement + the aggregation;`);
    out.push(` not replay = total − replay: setup, history, progress and result writes. cold = the first run, which builds the stored history of the period from`);
    out.push(` leads and lead_metrics; "after N changes" = a run after N leads of the last ${CHANGED_DAYS} days got a booked meeting (only their days are rebuilt), and`);
    out.push(` "full rebuild" = the same after deleting the stored history — both must give the same result. CPU: this process (user+system)`);
    out.push(` and all PostgreSQL processes; other cores = the average cores every other process on the machine kept busy meanwhile. Memory sampled`);
    out.push(` every 50 ms while the run went on${hasGc ? ", after a full GC before each run" : ""}; memoryMb = the service's heap+external after the run)`);
    const others = r.scenarios.flatMap((sc) => sc.runs).map((m) => m.otherCores).filter((x): x is number => x !== null);
    const meanOther = others.length ? others.reduce((a, b) => a + b, 0) / others.length : 0;
    if (meanOther > 0.25) out.push(`WARNING: other processes kept ${meanOther.toFixed(2)} of ${os.cpus().length} cores busy on average during these runs — these figures are slower than the same runs on a quiet machine.`);
    for (const note of r.notes) out.push(`Note: ${note}`);
    out.push("");
    for (const sc of r.scenarios) {
      const warm = sc.runs.filter((m) => m.kind === "warm");
      const wMed = median(warm.map((m) => m.output.timings.totalMs));
      const cold = sc.runs[0]!.output.timings.totalMs;
      const peakRss = Math.max(...sc.runs.map((m) => m.peak.rss));
      const peakHeap = Math.max(...sc.runs.map((m) => m.peak.heapUsed));
      out.push(`${wMed <= sc.targetMs ? "PASS" : "MISS"}  ${r.engine} ${sc.label}, ${n(sc.leads)} leads: warm median ${fmt(wMed)} ms (cold ${fmt(cold)} ms${cold <= sc.targetMs ? ", PASS" : ", MISS"}) against ${n(sc.targetMs)} ms; peak RSS ${mib(peakRss)}, peak heap ${mib(peakHeap)}`);
      const single = sc.runs.find((m) => m.kind === "one thread");
      const threads = warm[0]?.output.timings.threads ?? 1;
      if (single) out.push(`      ${threads === 2 ? "draft on its own thread" : "both sides on one thread (the draft thread did not start or the run is under SIMULATION_THREAD_MIN_LEADS)"}; the same run with both sides on one thread: ${fmt(single.output.timings.totalMs)} ms (${(single.output.timings.totalMs / wMed).toFixed(2)}× the warm median)`);
      const o = sc.runs[0]!.output;
      out.push(`      result: ${n(o.changed)} leads change route path (${n(o.ruleChanged)} change rule); triage actual/baseline/draft ${n(o.triage.actual)}/${n(o.triage.baseline)}/${n(o.triage.draft)}; unassigned baseline/draft ${n(o.load.unassigned.baseline)}/${n(o.load.unassigned.draft)}; ${o.flow.length} flow cells, ${o.load.reps.length} reps, ${o.sla.length} SLA and ${o.outcomes.length} outcome projections; digest ${sc.runs[0]!.digest} (${sc.runs.every((m) => m.digest === sc.runs[0]!.digest) ? "every run identical" : "RUNS DIFFER"})`);
      out.push(`      volumes (actual → baseline → draft): ${o.volumes.map((v) => `${v.route ?? "(none)"} ${n(v.actual)}→${n(v.baseline)}→${n(v.draft)}`).join(", ")}`);
      if (sc.history.checked) out.push(sc.history.differences.length ? `      INCONSISTENT: the baseline version routed this whole period, yet its replay differs from history: ${sc.history.differences.join("; ")}` : `      The baseline replay reproduces history's route-path volumes exactly (the baseline version routed this whole period).`);
      else if (sc.history.differences.length) out.push(`      (the baseline replay differs from history on ${sc.history.differences.length} route paths: expected — history before ${v2At?.toISOString().slice(0, 10) ?? "mid-year"} was routed by v1)`);
      if (sc.incremental) {
        const inc = sc.incremental;
        out.push(`      after ${n(inc.changedLeads)} booked meetings over ${inc.days} days: ${fmt(inc.run.output.timings.totalMs)} ms (refreshes those days), full rebuild ${fmt(inc.rebuilt.output.timings.totalMs)} ms — ${inc.run.digest === inc.rebuilt.digest ? "same result" : "DIFFERENT results"} (${inc.run.digest})`);
      }
      for (const p of sc.problems) out.push(`      INCONSISTENT: ${p}`);
      if (r.engine === "PostgreSQL" && sc === r.scenarios[0]) {
        fullWarm = wMed;
        fullReplay = median(warm.map((m) => m.output.timings.replayMs));
      }
    }
    out.push("");
    if (r.scenarios[0] && r.engine === "PostgreSQL") out.push(...split(r, r.scenarios[0]));
    if (r.peer) out.push(...peerLines(r.peer, fullReplay, fullWarm));
  }
  return out;
}

/** The per-phase split of the 365-day scenario and what dominates. */
function split(r: EngineReport, sc: Scenario): string[] {
  const warm = sc.runs.filter((m) => m.kind === "warm");
  const pick = (f: (m: RunMeasure) => number) => median(warm.map(f));
  const total = pick((m) => m.output.timings.totalMs);
  const replay = pick((m) => m.output.timings.replayMs);
  const loadSum = pick((m) => m.output.timings.loadMs);
  const nodeCpu = pick((m) => m.nodeCpuMs);
  const pgCpu = warm.every((m) => m.pgCpuMs !== null) ? pick((m) => m.pgCpuMs!) : null;
  const out = [`--- Where the time goes: ${sc.label}, ${n(sc.leads)} leads (warm medians) ---`];
  out.push(`Wall ${fmt(total)} ms = replay ${fmt(replay)} ms (${pct(replay, total)}) on the event loop + ${fmt(total - replay)} ms (${pct(total - replay, total)}) not replaying (waiting for history, setup, writes).`);
  out.push(`CPU: Node ${fmt(nodeCpu)} ms (replay ${fmt(replay)} + history read, decode and driver ≈ ${fmt(Math.max(0, nodeCpu - replay))}), PostgreSQL ${pgCpu === null ? "–" : `${fmt(pgCpu)} ms`} — on ${os.cpus().length} cores; waiting for history ${fmt(loadSum)} ms.`);
  const lo = r.loadOnly;
  if (lo) {
    out.push(`History read alone (the same repository call over the ${lo.days} stored days, no replay): ${fmt(lo.wallMs)} ms wall for ${n(lo.leads)} leads; Node CPU ${fmt(lo.nodeCpuMs)} ms (driver, bytea, decoding into leads), PostgreSQL CPU ${lo.pgCpuMs === null ? "–" : `${fmt(lo.pgCpuMs)} ms`}; slowest day ${fmt(lo.slowest.ms)} ms for ${n(lo.slowest.leads)} leads.`);
    const replayOnly = replay;
    const dominant = replayOnly > lo.wallMs ? `the replay (${fmt(replayOnly)} ms) is longer than the load alone (${fmt(lo.wallMs)} ms)` : `the load (${fmt(lo.wallMs)} ms alone) is longer than the replay (${fmt(replayOnly)} ms)`;
    out.push(`Dominant: ${dominant}; with both in one process on ${os.cpus().length} cores the run takes ${fmt(total)} ms against max(load, replay) = ${fmt(Math.max(lo.wallMs, replay))} ms and load + replay = ${fmt(lo.wallMs + replay)} ms.`);
  }
  if (r.profile.length) {
    out.push("CPU profile of this process during one run:");
    out.push(...r.profile.map((l) => `  ${l}`));
  }
  out.push("");
  return out;
}

function peerLines(p: DecisionStepReport, fullReplay: number | null, fullWarm: number | null): string[] {
  const oursEval = p.oursEvaluateMs.baseline + p.oursEvaluateMs.draft;
  const oursDecide = p.oursDecideMs.baseline + p.oursDecideMs.draft;
  const peer = p.peer;
  const peerAll = peer.projectedMs.baseline + peer.projectedMs.draft;
  const perLead = (ms: number, leads: number) => `${((ms * 1e6) / Math.max(1, leads)).toFixed(0)} ns/lead`;
  const out = [`--- Peer: the decision step only, both versions, over the ${n(p.leads)} leads' facts as the simulation loads them (loading them took ${fmt(p.loadMs)} ms, not counted) ---`];
  out.push(...textTable(["engine", "leads evaluated", "baseline ms", "draft ms", "both ms", "per lead and version", "both, all leads"], [
    ["ours: lib/decision-table evaluate (compiled)", n(p.leads), fmt(p.oursEvaluateMs.baseline), fmt(p.oursEvaluateMs.draft), fmt(oursEval), perLead(oursEval / 2, p.leads), `${fmt(oursEval)} ms`],
    ["ours: decideRoute (evaluate + guards)", n(p.leads), fmt(p.oursDecideMs.baseline), fmt(p.oursDecideMs.draft), fmt(oursDecide), perLead(oursDecide / 2, p.leads), `${fmt(oursDecide)} ms`],
    [`json-rules-engine 7.3.1 (await engine.run per lead)${peer.stride > 1 ? "*" : ""}`, n(peer.evaluated), fmt(peer.ms.baseline), fmt(peer.ms.draft), fmt(peer.ms.baseline + peer.ms.draft), perLead((peer.ms.baseline + peer.ms.draft) / 2, peer.evaluated), `${s(peerAll)}${peer.stride > 1 ? " (extrapolated)" : ""}`],
  ], 1));
  if (peer.note) out.push(`* ${peer.note}`);
  out.push(`Cross-check: json-rules-engine's rule and route equal ours on ${peer.mismatches === 0 ? "every one" : `all but ${n(peer.mismatches)}`} of the ${n(peer.evaluated)} leads × 2 versions it evaluated (mismatches: ${peer.mismatches}).`);
  for (const e of peer.examples) out.push(`  MISMATCH ${e}`);
  out.push(`Peer ratio (json-rules-engine, both versions, all ${n(p.leads)} leads = ${s(peerAll)}):`);
  out.push(`  vs our decision step (evaluate, both versions): ${ratio(peerAll / oursEval)}`);
  if (fullReplay !== null) out.push(`  vs our whole replay (decide + placement with assignment state + aggregation, both versions; warm median ${fmt(fullReplay)} ms): ${ratio(peerAll / fullReplay)}`);
  if (fullWarm !== null) out.push(`  vs our whole simulation (load + replay + results; warm median ${fmt(fullWarm)} ms): ${ratio(peerAll / fullWarm)}`);
  out.push("");
  return out;
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(0)}%`;
const ratio = (x: number) => `${x >= 100 ? n(x) : x.toFixed(1)}×`;

await runBench({
  name: "Simulation benchmark",
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
