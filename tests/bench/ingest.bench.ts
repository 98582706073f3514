/**
 * Ingestion benchmark: a production build on real PostgreSQL, `POST /api/v1/leads` driven by an evenly spaced
 * open-loop generator in a separate process (tests/bench/lib/load-generator.ts).
 *
 *   (a) 200 leads/s for 60 s: p50/p90/p99/max from the scheduled send time, errors, and the leads in the database
 *       against the 2xx answers (every 2xx's lead id must be there, routed);
 *   (b) the highest rate the route sustains with p99 ≤ 100 ms, no errors and ≥ 95% of the offered rate answered
 *       (rates rise ×1.5 from 300/s until a step fails, then bisect);
 *   (c) the same against a bare route handler (app/api/bench/noop, enabled by SWITCHYARD_BENCH_ROUTES=1) and a
 *       200/s run on it, for the framework-overhead ratios.
 *
 * Targets (issue 4): p99 ≤ 50 ms at 200 leads/s, ≥ 500 leads/s sustained, zero lost. The benchmark prints figures and
 * PASS/FAIL against them; it never fails on timings (exit 1 only when a lead is lost or the run breaks).
 *
 * Run: npm run bench:ingest [-- --quick] [-- --no-build] [-- --cpu-prof]
 *   --quick      shorter phases (about 2½ minutes)
 *   --no-build   use the existing .next build even if sources are newer
 *   --cpu-prof   run the server with --cpu-prof during phase (a) only and print its hottest functions
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) — where the scratch database is
 * created and dropped.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { DEMO_API_KEY } from "@/db/seed/demo-users";
import { summarizeCpuProfile } from "./lib/cpu-profile";
import {
  authSecret, createPostgresDatabase, ensureBuild, freePort, machineCpu, machineDescription, postgresCpuByPid, postgresCpuDelta, postgresVersion,
  acknowledgedLeadIds, prepareWorkspace, processCpuMs, readRecords, runBench, runGenerator, sleep, startServer, waitForHealth, type BenchDatabase,
  type ServerProcess,
} from "./lib/harness";
import { benchKeyPrefix } from "./lib/lead-bodies";
import type { LoadOptions, LoadResult } from "./lib/load-generator";

const { values: flags } = parseArgs({ options: { quick: { type: "boolean" }, "no-build": { type: "boolean" }, "cpu-prof": { type: "boolean" } }, strict: true });
const QUICK = flags.quick === true;

const TARGET_P99_AT_200 = 50;
const TARGET_SUSTAINED = 500;
const SUSTAIN_P99 = 100;
const PLAN = QUICK
  ? { warmupS: 5, fixedS: 20, noopFixedS: 10, stepS: 8, settleMs: 1500, maxSteps: 6 }
  : { warmupS: 10, fixedS: 60, noopFixedS: 30, stepS: 15, settleMs: 2500, maxSteps: 8 };

const log = (line: string) => process.stderr.write(`${line}\n`);
const runId = String(Date.now()).slice(-9);
const tmp = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-"));
const serverLog = path.join(tmp, "server.log");

interface PhaseRow {
  name: string;
  target: string;
  result: LoadResult;
  serverCpuMsPerReq: number | null;
  /** Cores busy over the phase: the server, PostgreSQL (all its processes), the load generator, everything else. */
  cores: { server: number; postgres: number; generator: number; other: number } | null;
  db?: { inDb: number; missing2xx: number; unrouted: number };
  /** The server's database connections over the phase (sampled every 100 ms): mean waiting on a lock, mean busy. */
  conns?: { lockWait: number; busy: number; top: string };
  verdict?: string;
}

const rows: PhaseRow[] = [];
let database: BenchDatabase | null = null;
let server: ServerProcess | null = null;
let port = 0;

async function main(): Promise<number> {
  log(`Switchyard ingestion benchmark${QUICK ? " (--quick)" : ""} — run ${runId}, scratch files in ${tmp}`);
  for (const line of machineDescription()) log(line);
  log(`PostgreSQL ${(await postgresVersion()) ?? "unreachable"}`);
  ensureBuild(log, flags["no-build"] === true);

  database = await createPostgresDatabase("switchyard_bench");
  log(`Database: ${database.label}`);
  const prepared = await prepareWorkspace(database, 2000);
  log(`Migrated and seeded a demo workspace with ${prepared.seededLeads} leads in ${(prepared.seedMs / 1000).toFixed(1)} s.`);

  port = await freePort(3500, 3549);
  const env = { DATABASE_URL: database.url, AUTH_SECRET: authSecret(), SEED_ON_START: "never", SWITCHYARD_BENCH_ROUTES: "1" };
  const profDir = path.join(tmp, "cpu-prof");
  server = startServer({ port, env, logPath: serverLog, nodeArgs: flags["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [] });
  log(`Server: next start on 127.0.0.1:${port} (pid ${server.pid}) — ready in ${await waitForHealth(server)} ms; log ${serverLog}`);

  const leadsUrl = `http://127.0.0.1:${port}/api/v1/leads`;
  const noopUrl = `http://127.0.0.1:${port}/api/bench/noop`;

  // Warm-up: JIT, the routing-context cache, pool connections, Next's route module loading.
  await measure("warm-up", { url: leadsUrl, rate: 50, durationS: PLAN.warmupS, phase: "w" }, false);
  await measure("warm-up noop", { url: noopUrl, rate: 100, durationS: Math.ceil(PLAN.warmupS / 2), phase: "wn" }, false);
  rows.length = 0;
  await settle();

  // (a) fixed 200 leads/s
  // Stop sending if 5 s worth of requests are in flight at once: the phase has failed by then, and an unbounded
  // backlog would keep the server busy (and skew every later phase) long after.
  const a = await measure(`(a) ingest 200/s × ${PLAN.fixedS}s`, { url: leadsUrl, rate: 200, durationS: PLAN.fixedS, phase: "a", abortInFlight: 1000 }, true);
  a.verdict = verdictFixed(a);
  await settle();
  if (flags["cpu-prof"]) {
    await server.stop();
    printProfile(profDir);
    server = startServer({ port, env, logPath: serverLog });
    log(`Server restarted without the profiler — ready in ${await waitForHealth(server)} ms`);
    await measure("warm-up", { url: leadsUrl, rate: 50, durationS: PLAN.warmupS, phase: "w2" }, false);
    rows.pop();
    await settle();
  }

  // (b) max sustained on ingest
  const ingestMax = await stepSearch("ingest", leadsUrl, "b");

  // (c) noop: fixed 200/s, then max sustained
  const c = await measure(`(c) noop 200/s × ${PLAN.noopFixedS}s`, { url: noopUrl, rate: 200, durationS: PLAN.noopFixedS, phase: "cn" }, false);
  c.verdict = "reference";
  await settle();
  const noopMax = await stepSearch("noop", noopUrl, "c");

  await server.stop();
  server = null;

  // ---------------------------------------------------------------- report
  const out: string[] = [];
  out.push("");
  out.push(`Switchyard ingestion benchmark — ${new Date().toISOString()}${QUICK ? " (--quick: shorter phases)" : ""}`);
  out.push(...machineDescription().map((l) => l.replace("at start", "at end")));
  out.push(`Server: next start (production build), PostgreSQL ${(await postgresVersion()) ?? "?"} on 127.0.0.1, pg pool of 10; demo workspace, ${prepared.seededLeads} seeded leads`);
  out.push(`Load: evenly spaced open loop from a separate process; latency from the scheduled send time (no coordinated omission)`);
  out.push("");
  out.push(table(rows));
  const measured = rows.filter((r) => r.cores);
  const others = measured.length ? measured.reduce((s, r) => s + r.cores!.other, 0) / measured.length : 0;
  out.push(`(srv CPU/req: the server process's CPU over the phase ÷ requests sent; cores: average cores busy in the server, all PostgreSQL processes, the generator, and every other process on the machine;`);
  out.push(` DB conns lock/busy: of the server's 10 pooled connections, how many on average were waiting on a lock / busy in a statement or an open transaction)`);
  const worst = rows.filter((r) => r.conns).sort((x, y) => y.conns!.lockWait - x.conns!.lockWait)[0];
  if (worst?.conns && worst.conns.lockWait >= 1) out.push(`Most frequent lock wait (${worst.name}): ${worst.conns.top}`);
  if (others > 0.25) {
    out.push(`WARNING: other processes kept ${others.toFixed(2)} of ${os.cpus().length} cores busy on average during the phases — these figures understate what the stack does on a quiet machine.`);
  }
  out.push("");
  const ratioMax = ingestMax.best && noopMax.best ? noopMax.best / ingestMax.best : null;
  const p99a = a.result.latency.p99;
  const p99c = c.result.latency.p99;
  const lost = rowsLost();
  out.push("Targets (issue 4):");
  out.push(`  p99 at 200 leads/s ≤ ${TARGET_P99_AT_200} ms ........ ${fmt(p99a)} ms  ${p99a <= TARGET_P99_AT_200 && a.result.ok2xx === a.result.scheduled ? "PASS" : "FAIL"}`);
  out.push(`  sustained ≥ ${TARGET_SUSTAINED} leads/s (p99 ≤ ${SUSTAIN_P99} ms) .. ${ingestMax.best ? `${ingestMax.best}/s` : `< ${ingestMax.lowestTried}/s`}${ingestMax.firstFail ? ` (first failing step ${ingestMax.firstFail}/s)` : ""}  ${(ingestMax.best ?? 0) >= TARGET_SUSTAINED ? "PASS" : "FAIL"}`);
  out.push(`  zero lost (every 2xx lead in the database, routed) .. ${lost === 0 ? "0 lost  PASS" : `${lost} lost  FAIL`}`);
  out.push("");
  out.push("Framework overhead (bare Next.js route handler, same server, same generator):");
  out.push(`  max sustained: noop ${noopMax.best ? `${noopMax.best}/s` : `< ${noopMax.lowestTried}/s`}, ingest ${ingestMax.best ? `${ingestMax.best}/s` : `< ${ingestMax.lowestTried}/s`} → ingest ÷ noop = ${ratioMax ? (1 / ratioMax).toFixed(2) : "n/a"}`);
  out.push(`  p99 at 200/s:  noop ${fmt(p99c)} ms, ingest ${fmt(p99a)} ms → ingest ÷ noop = ${p99c > 0 ? (p99a / p99c).toFixed(1) : "n/a"}`);
  const cpuA = a.serverCpuMsPerReq;
  const cpuC = c.serverCpuMsPerReq;
  if (cpuA !== null && cpuC !== null) {
    out.push(`  server CPU per request at 200/s: noop ${cpuC.toFixed(2)} ms, ingest ${cpuA.toFixed(2)} ms → ingestion's own work ≈ ${(cpuA - cpuC).toFixed(2)} ms of Node CPU per lead (PostgreSQL's CPU is on top)`);
  }
  out.push("");
  process.stdout.write(`${out.join("\n")}\n`);
  return lost === 0 ? 0 : 1;
}

/** Runs one load phase and records it (with database checks for ingest phases when `checkDb`). */
async function measure(name: string, o: { url: string; rate: number; durationS: number; phase: string; abortInFlight?: number }, checkDb: boolean): Promise<PhaseRow> {
  const recordsPath = checkDb ? path.join(tmp, `records-${o.phase}.jsonl`) : undefined;
  const options: LoadOptions = {
    url: o.url,
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    rate: o.rate,
    durationS: o.durationS,
    runId,
    phase: o.phase,
    timeoutMs: 10_000,
    abortInFlight: o.abortInFlight,
    recordsPath,
  };
  const cpu0 = processCpuMs(server!.pid);
  const pg0 = postgresCpuByPid();
  const m0 = machineCpu();
  const t0 = performance.now();
  log(`→ ${name}: ${o.rate}/s for ${o.durationS}s…`);
  const sampler = checkDb ? sampleConnections() : null;
  const result = await runGenerator(options);
  const wallMs = performance.now() - t0;
  const conns = sampler ? await sampler.stop() : undefined;
  const cpu1 = processCpuMs(server!.pid);
  const pg1 = postgresCpuByPid();
  const m1 = machineCpu();
  let cores: PhaseRow["cores"] = null;
  if (cpu0 !== null && cpu1 !== null && m0 && m1 && m1.total > m0.total) {
    const busy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.cpus().length;
    const serverCores = (cpu1 - cpu0) / wallMs;
    const pgCores = postgresCpuDelta(pg0, pg1) / wallMs;
    const genCores = result.generatorCpuMs / wallMs;
    cores = { server: serverCores, postgres: pgCores, generator: genCores, other: Math.max(0, busy - serverCores - pgCores - genCores) };
  }
  const row: PhaseRow = {
    name,
    target: `${o.rate}/s`,
    result,
    serverCpuMsPerReq: cpu0 !== null && cpu1 !== null && result.sent ? (cpu1 - cpu0) / result.sent : null,
    cores,
    conns,
  };
  if (checkDb && recordsPath) row.db = await checkLeads(o.phase, recordsPath);
  log(`  p50 ${fmt(result.latency.p50)} p99 ${fmt(result.latency.p99)} max ${fmt(result.latency.max)} ms, ${result.achievedRps.toFixed(0)}/s ok, errors ${errorText(result)}${result.aborted ? " (aborted: overloaded)" : ""}; generator send lag p99 ${fmt(result.sendLag.p99)} ms${cores ? `; cores: server ${cores.server.toFixed(2)}, PostgreSQL ${cores.postgres.toFixed(2)}, generator ${cores.generator.toFixed(2)}, other processes ${cores.other.toFixed(2)}` : ""}`);
  rows.push(row);
  return row;
}

/** Samples pg_stat_activity for the scratch database every 100 ms until stopped. */
function sampleConnections(): { stop: () => Promise<{ lockWait: number; busy: number; top: string }> } {
  let running = true;
  let samples = 0;
  let lockWait = 0;
  let busy = 0;
  const waits = new Map<string, number>();
  const client = new pg.Client({ connectionString: database!.url });
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ state: string | null; wait: string | null; q: string }>(
        `select state, wait_event_type || ':' || wait_event as wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as q
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      samples++;
      for (const row of r.rows) {
        if (row.state === "active" || row.state === "idle in transaction") busy++;
        if (row.wait?.startsWith("Lock:")) {
          lockWait++;
          const key = `${row.wait} on ${row.q}`;
          waits.set(key, (waits.get(key) ?? 0) + 1);
        }
      }
      await sleep(100);
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
      const top = [...waits].sort((a, b) => b[1] - a[1])[0];
      return { lockWait: samples ? lockWait / samples : 0, busy: samples ? busy / samples : 0, top: top ? `${top[0]}… (${(top[1] / Math.max(1, samples)).toFixed(1)} connections on average)` : "none" };
    },
  };
}

/** Every 2xx lead id of the phase present and routed; how many leads the phase's keys created in all. */
async function checkLeads(phase: string, recordsPath: string): Promise<{ inDb: number; missing2xx: number; unrouted: number }> {
  // Give requests the server was still finishing after a client timeout a moment to land.
  await sleep(500);
  const records = readRecords(recordsPath);
  const okIds = acknowledgedLeadIds(records);
  const handle = database!.open();
  try {
    const like = `api:${benchKeyPrefix(runId, phase)}%`;
    const total = await handle.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).where("idempotency_key", "like", like).executeTakeFirstOrThrow();
    let found = 0;
    let unrouted = 0;
    for (let i = 0; i < okIds.length; i += 5000) {
      const chunk = okIds.slice(i, i + 5000);
      const rowsFound = await handle.db.selectFrom("leads").select(["id", "status"]).where("id", "in", chunk).execute();
      found += rowsFound.length;
      unrouted += rowsFound.filter((r) => r.status === "new").length;
    }
    const missing = records.filter((r) => r.status >= 200 && r.status < 300).length - found;
    return { inDb: Number(total.n), missing2xx: missing, unrouted };
  } finally {
    await handle.close();
  }
}

interface SearchResult {
  best: number | null;
  firstFail: number | null;
  lowestTried: number;
}

/** Highest passing rate: ×1.5 from 300/s until a step fails (or down from 300 if it fails), then bisect to ~10%. */
async function stepSearch(kind: "ingest" | "noop", url: string, label: string): Promise<SearchResult> {
  let pass: number | null = null;
  let fail: number | null = null;
  let rate = 300;
  let lowest = rate;
  const round = (r: number) => Math.max(25, Math.round(r / 25) * 25);
  for (let step = 0; step < PLAN.maxSteps; step++) {
    lowest = Math.min(lowest, rate);
    const run = (suffix: string) => measure(`(${label}) ${kind} step ${rate}/s × ${PLAN.stepS}s${suffix}`, {
      url, rate, durationS: PLAN.stepS, phase: `${label}${rate}${suffix ? "r" : ""}`, abortInFlight: Math.max(150, rate),
    }, kind === "ingest");
    const row = await run("");
    let ok = passes(row);
    row.verdict = ok ? "pass" : "fail";
    // One stall (a GC pause, another process taking both cores) can push p99 over the line on a shared machine:
    // a step that failed only on latency, by less than 3×, is run once more and passes if the repeat passes.
    const marginal = !ok && !row.result.aborted && row.result.ok2xx === row.result.scheduled && row.result.latency.p99 <= 3 * SUSTAIN_P99;
    if (marginal) {
      row.verdict = "fail→repeat";
      await settle();
      const again = await run(" (repeat)");
      ok = passes(again);
      again.verdict = ok ? "pass" : "fail";
    }
    if (ok) pass = Math.max(pass ?? 0, rate);
    else fail = Math.min(fail ?? Infinity, rate);
    await settle();
    let next: number;
    if (fail === null) next = round(rate * 1.5);
    else if (pass === null) next = round(rate / 1.5);
    else next = round((pass + fail) / 2);
    if (pass !== null && fail !== null && (fail - pass <= Math.max(25, pass * 0.1) || next === pass || next === fail)) break;
    if (next < 25) break;
    rate = next;
  }
  return { best: pass, firstFail: fail, lowestTried: lowest };
}

function passes(row: PhaseRow): boolean {
  const r = row.result;
  return !r.aborted && r.latency.p99 <= SUSTAIN_P99 && r.ok2xx === r.scheduled && r.achievedRps >= 0.95 * r.targetRate;
}

function verdictFixed(row: PhaseRow): string {
  const r = row.result;
  return r.latency.p99 <= TARGET_P99_AT_200 && r.ok2xx === r.scheduled ? "PASS" : "FAIL";
}

/**
 * Between phases: wait until the server is idle (under 10% of a core over a second) — a failed step leaves a
 * backlog of requests, and leads their timed-out requests left behind, that the server keeps working on — then
 * the settle pause. Gives up after 90 s.
 */
async function settle(): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 90_000) {
    const c0 = processCpuMs(server!.pid);
    await sleep(1000);
    const c1 = processCpuMs(server!.pid);
    if (c0 === null || c1 === null || c1 - c0 < 100) break;
  }
  await sleep(PLAN.settleMs);
}

function rowsLost(): number {
  return rows.reduce((s, r) => s + (r.db ? r.db.missing2xx + r.db.unrouted : 0), 0);
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function errorText(r: LoadResult): string {
  const parts = [
    ...Object.entries(r.statuses).filter(([s]) => !s.startsWith("2")).map(([s, n]) => `${s}×${n}`),
    ...Object.entries(r.errors).map(([e, n]) => `${e}×${n}`),
  ];
  if (r.aborted) parts.push(`not sent×${r.scheduled - r.sent}`);
  return parts.length ? parts.join(" ") : "0";
}

function table(list: PhaseRow[]): string {
  const head = ["phase", "offered", "achieved", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "2xx", "in DB", "srv CPU/req", "cores srv/pg/gen/other", "DB conns lock/busy", "verdict"];
  const body = list.map((r) => [
    r.name,
    r.target,
    `${r.result.achievedRps.toFixed(0)}/s`,
    fmt(r.result.latency.p50),
    fmt(r.result.latency.p90),
    fmt(r.result.latency.p99),
    fmt(r.result.latency.max),
    errorText(r.result),
    String(r.result.ok2xx),
    r.db ? `${r.db.inDb}${r.db.missing2xx || r.db.unrouted ? ` (${r.db.missing2xx} missing, ${r.db.unrouted} unrouted)` : ""}` : "–",
    r.serverCpuMsPerReq !== null ? `${r.serverCpuMsPerReq.toFixed(2)} ms` : "–",
    r.cores ? [r.cores.server, r.cores.postgres, r.cores.generator, r.cores.other].map((c) => c.toFixed(2)).join("/") : "–",
    r.conns ? `${r.conns.lockWait.toFixed(1)}/${r.conns.busy.toFixed(1)}` : "–",
    r.verdict ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function printProfile(dir: string): void {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  } catch {
    files = [];
  }
  if (!files.length) {
    log("No CPU profile was written (the server did not exit cleanly).");
    return;
  }
  for (const f of files) {
    log(`CPU profile of the server during warm-up + phase (a): ${path.join(dir, f)}`);
    for (const line of summarizeCpuProfile(path.join(dir, f), 25)) log(`  ${line}`);
  }
}

await runBench({ name: "Benchmark", main, scratch: () => ({ server, database }), tmp, serverLog, log });
