/**
 * SLA timer benchmark (issue: SLA timers, alerts and escalations): 100,000 timers due within one minute on
 * PostgreSQL, each an `sla.step` breach job exactly as startSlaChain enqueues it (tests/support/sla-load.ts), each
 * firing through the real handler (server/services/sla/sla-steps.ts: check the lead, write sla_breached, notify the
 * owner in-app, complete — one transaction per batch).
 *
 *   1. One worker (server/jobs/worker.ts, in this process, production defaults: batches of 200): the delay
 *      distribution — fire time (the job's completion, after its effects) minus due time — p50/p90/p99/max, against
 *      the target p99 ≤ 5 s; the claim delay (first claim − due) too.
 *   2. Throughput: the same number of timers all overdue (a backlog, as after an outage), drained by one `npm run
 *      worker` process, then by two side by side: jobs per second (first to last completion) and the ratio.
 *   3. Peer: pg-boss 10.4.2 (the job queue most Node teams would reach for) on the same leads and tasks: 100,000 jobs
 *      with startAfter at the same due times, its worker with the same batch size at its fastest polling (0.5 s),
 *      running the very same handler in one transaction per batch — the same delay figures, and the ratio.
 *
 * Benchmarks print figures; they never assert timings (exit 1 only when a timer fires twice or never).
 *
 * Run: npm run bench:sla [-- --timers 100000] [-- --window 60] [-- --lead 30] [-- --batch 200] [-- --no-peer] [-- --no-throughput] [-- --keep]
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) — where the scratch database is created.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { sql, type Kysely } from "kysely";
import PgBoss from "pg-boss";
import type { Database } from "@/db/types";
import { migrateToLatest } from "@/db/migrate";
import { jobHandlers } from "@/server/jobs/handlers";
import { JobWorker } from "@/server/jobs/worker";
import type { ClaimedJob } from "@/server/repositories/jobs.repository";
import { slaStepHandler } from "@/server/services/sla/sla-steps";
import { fabricateDueTimers, timerCounts } from "../support/sla-load";
import { createPostgresDatabase, machineCpu, PG_ADMIN_URL, postgresCpuByPid, postgresCpuDelta, ROOT } from "./lib/harness";
import { countFlag, machineLines, textTable } from "./lib/report";

const { values: flags } = parseArgs({
  options: {
    timers: { type: "string" }, window: { type: "string" }, lead: { type: "string" }, batch: { type: "string" },
    "no-peer": { type: "boolean" }, "no-throughput": { type: "boolean" }, keep: { type: "boolean" },
  },
  strict: true,
});
const TIMERS = Math.max(1, countFlag(flags.timers, 100_000));
const WINDOW_MS = countFlag(flags.window, 60) * 1000;
const LEAD_MS = countFlag(flags.lead, 30) * 1000;
const BATCH = Math.max(1, countFlag(flags.batch, 200));
const TARGET_P99_MS = 5000;

const n = (x: number) => x.toLocaleString("en-US");
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const log = (line: string) => console.log(line);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Delays { count: number; p50: number; p90: number; p99: number; max: number; claimP99: number | null }

function percentiles(values: number[]): Omit<Delays, "claimP99" | "count"> {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v[v.length - 1] ?? NaN };
}

/** Fire − due of a workspace's jobs, from the database (completion after the effects). */
async function jobDelays(db: Kysely<Database>, workspaceId: string): Promise<Delays> {
  const r = await sql<{ fire: number; claim: number }>`
    select extract(epoch from (finished_at - run_at)) * 1000 as fire, extract(epoch from (first_claimed_at - run_at)) * 1000 as claim
    from jobs where workspace_id = ${workspaceId} and status = 'done'`.execute(db);
  const fire = r.rows.map((x) => Number(x.fire));
  return { count: fire.length, ...percentiles(fire), claimP99: percentiles(r.rows.map((x) => Number(x.claim))).p99 };
}

async function untilDone(db: Kysely<Database>, workspaceId: string, total: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = await timerCounts(db, workspaceId);
    if (c.done >= total) return;
    if (Date.now() > end) throw new Error(`timed out: ${c.done} of ${total} done`);
    await sleep(250);
  }
}

async function checkOnce(db: Kysely<Database>, workspaceId: string, total: number, label: string, problems: string[]) {
  const c = await timerCounts(db, workspaceId);
  if (c.breaches !== total || c.leads_breached !== total || c.notifications !== total || c.dead > 0) {
    problems.push(`${label}: ${c.breaches} breach events for ${c.leads_breached} leads, ${c.notifications} notifications, ${c.dead} dead — expected ${total} of each and none dead`);
  }
}

function startCliWorker(url: string): ChildProcess {
  return spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/jobs/cli.ts"], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: url, JOB_BATCH_SIZE: String(BATCH), NODE_ENV: "production" }, stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopCli(children: ChildProcess[]) {
  await Promise.all(children.map((c) => new Promise((r) => { if (c.exitCode !== null) r(null); else { c.once("exit", r); c.kill("SIGTERM"); } })));
}

async function main() {
  log(`Switchyard SLA timer benchmark — ${n(TIMERS)} timers due within ${WINDOW_MS / 1000} s, batches of ${BATCH}`);
  for (const line of await machineLines({ adminUrl: PG_ADMIN_URL, settings: ["server_version", "shared_buffers", "synchronous_commit", "max_connections"] })) log(line);
  const database = await createPostgresDatabase("sy_bench_sla");
  const handle = database.open();
  const db = handle.db;
  const problems: string[] = [];
  const rows: string[][] = [];
  const out: string[] = [];
  try {
    await migrateToLatest(db);

    // 1. One worker, timers due within one minute.
    let t0 = Date.now();
    const a = await fabricateDueTimers(db, { count: TIMERS, dueFrom: new Date(t0 + LEAD_MS), spreadMs: WINDOW_MS, slug: "due-window" });
    const genMs = Date.now() - t0;
    log(`  generated ${n(TIMERS)} leads, tasks and timer jobs in ${ms(genMs)}; the first is due in ${ms(Math.max(0, t0 + LEAD_MS - Date.now()))}`);
    if (Date.now() > t0 + LEAD_MS) problems.push(`generation outlasted the lead time (${ms(genMs)} > ${ms(LEAD_MS)}): the first timers were overdue before the worker started; raise --lead`);
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpuByPid();
    const m0 = machineCpu();
    const worker = new JobWorker(db, { handlers: jobHandlers, batchSize: BATCH, workerId: "bench-1" });
    worker.start();
    await untilDone(db, a.workspaceId, TIMERS, LEAD_MS + WINDOW_MS + 600_000);
    await worker.stop();
    const cpu = process.cpuUsage(cpu0);
    const pgMs = postgresCpuDelta(pg0, postgresCpuByPid());
    const m1 = machineCpu();
    const ours = await jobDelays(db, a.workspaceId);
    await checkOnce(db, a.workspaceId, TIMERS, "one worker", problems);
    rows.push(["Switchyard, one worker (in-process)", n(ours.count), ms(ours.p50), ms(ours.p90), ms(ours.p99), ms(ours.max), ms(ours.claimP99 ?? NaN),
      ms((cpu.user + cpu.system) / 1000), ms(pgMs), m0 && m1 ? `${(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100).toFixed(0)}%` : "–"]);
    log(`  one worker: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}, max ${ms(ours.max)} (fire − due)`);

    // 3. Peer: pg-boss on the same kind of load (its own leads and tasks; its jobs instead of ours).
    let peer: Delays | null = null;
    if (flags["no-peer"] !== true) {
      t0 = Date.now();
      const b = await fabricateDueTimers(db, { count: TIMERS, dueFrom: new Date(t0 + LEAD_MS + 15_000), spreadMs: WINDOW_MS, slug: "due-window-peer", jobs: false });
      // In due order: pg-boss takes jobs by creation order, not by startAfter.
      const tasks = await db.selectFrom("lead_tasks").select(["id", "lead_id", "due_at"]).where("workspace_id", "=", b.workspaceId).orderBy("due_at").execute();
      const boss = new PgBoss({ connectionString: database.url!, max: 4 });
      boss.on("error", (e) => problems.push(`pg-boss: ${String(e)}`));
      await boss.start();
      await boss.createQueue("sla-step");
      const step = { kind: "breach", notifyManager: false, notifyChannel: false };
      for (let i = 0; i < tasks.length; i += 5000) {
        await boss.insert(tasks.slice(i, i + 5000).map((t) => ({
          name: "sla-step", startAfter: new Date(t.due_at!), retryLimit: 0,
          data: { taskId: t.id, repId: b.repId, stepIndex: 1, step, dueAt: new Date(t.due_at!).toISOString(), routeKey: "ae-direct", leadId: t.lead_id },
        })));
      }
      log(`  pg-boss: ${n(tasks.length)} jobs inserted; the first is due in ${ms(Math.max(0, t0 + LEAD_MS + 15_000 - Date.now()))}`);
      const fired: number[] = [];
      const bcpu0 = process.cpuUsage();
      const bpg0 = postgresCpuByPid();
      let seq = 0;
      await boss.work<Record<string, unknown>>("sla-step", { batchSize: BATCH, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        const claimed: ClaimedJob[] = jobs.map((j) => ({
          id: ++seq, workspaceId: b.workspaceId, kind: "sla.step", payload: j.data, runAt: new Date(j.data.dueAt as string), attempts: 1, maxAttempts: 1,
          leadId: j.data.leadId as string, firstClaimedAt: new Date(),
        }));
        if (!slaStepHandler.transactional) throw new Error("the SLA step handler is transactional");
        await db.transaction().execute((trx) => slaStepHandler.run(trx, claimed, { now: new Date(), workerId: "pg-boss" }));
        const now = Date.now();
        for (const c of claimed) fired.push(now - c.runAt.getTime());
      });
      const end = Date.now() + LEAD_MS + WINDOW_MS + 600_000;
      while (fired.length < tasks.length && Date.now() < end) await sleep(250);
      await boss.stop({ graceful: true, wait: true });
      const bcpu = process.cpuUsage(bcpu0);
      const bpg = postgresCpuDelta(bpg0, postgresCpuByPid());
      const c = await timerCounts(db, b.workspaceId);
      if (c.breaches !== TIMERS || c.leads_breached !== TIMERS) problems.push(`pg-boss: ${c.breaches} breach events for ${c.leads_breached} leads, expected ${TIMERS}`);
      peer = { count: fired.length, ...percentiles(fired), claimP99: null };
      rows.push(["pg-boss 10.4.2, one worker, same handler", n(peer.count), ms(peer.p50), ms(peer.p90), ms(peer.p99), ms(peer.max), "–",
        ms((bcpu.user + bcpu.system) / 1000), ms(bpg), "–"]);
      log(`  pg-boss: p50 ${ms(peer.p50)}, p99 ${ms(peer.p99)}, max ${ms(peer.max)}`);
    }

    // 2. Throughput on a backlog: one worker process, then two.
    const throughput: Array<{ workers: number; perS: number; spanMs: number }> = [];
    if (flags["no-throughput"] !== true) {
      for (const workers of [1, 2]) {
        const c = await fabricateDueTimers(db, { count: TIMERS, dueFrom: new Date(Date.now() - WINDOW_MS - 1000), spreadMs: WINDOW_MS, slug: `backlog-${workers}` });
        const children = Array.from({ length: workers }, () => startCliWorker(database.url!));
        try {
          await untilDone(db, c.workspaceId, TIMERS, 900_000);
        } finally {
          await stopCli(children);
        }
        await checkOnce(db, c.workspaceId, TIMERS, `backlog, ${workers} workers`, problems);
        const span = await sql<{ first: Date; last: Date }>`select min(first_claimed_at) as first, max(finished_at) as last from jobs where workspace_id = ${c.workspaceId}`.execute(db);
        const spanMs = new Date(span.rows[0]!.last).getTime() - new Date(span.rows[0]!.first).getTime();
        throughput.push({ workers, perS: TIMERS / (spanMs / 1000), spanMs });
        log(`  backlog of ${n(TIMERS)}, ${workers} worker process${workers > 1 ? "es" : ""}: ${ms(spanMs)} → ${n(Math.round(TIMERS / (spanMs / 1000)))} timers/s`);
      }
    }

    out.push("", `=== ${n(TIMERS)} SLA breach timers due within ${WINDOW_MS / 1000} s (the first ${LEAD_MS / 1000} s after generation), PostgreSQL, batches of ${BATCH} ===`);
    out.push(...textTable(["queue", "timers", "p50", "p90", "p99", "max", "claim p99", "worker CPU", "PG CPU", "machine busy"], rows, 1));
    out.push(`(delay = fire time − due time; fire time = the job's completion, written after the lead's sla_breached event and the owner's`);
    out.push(` notification in the same transaction; for pg-boss, when its handler returned. worker CPU = this process; machine busy = both cores over the run)`);
    out.push(`${ours.p99 <= TARGET_P99_MS ? "PASS" : "MISS"}  p99 ${ms(ours.p99)} against ${ms(TARGET_P99_MS)} with one worker${peer ? `; pg-boss p99 ${ms(peer.p99)} (${(peer.p99 / ours.p99).toFixed(1)}× ours), p50 ${ms(peer.p50)} (${(peer.p50 / ours.p50).toFixed(1)}× ours)` : ""}`);
    if (throughput.length) {
      out.push("", `=== Throughput on a backlog of ${n(TIMERS)} overdue timers (npm run worker processes, first claim to last completion) ===`);
      out.push(...textTable(["workers", "time", "timers/s"], throughput.map((x) => [String(x.workers), ms(x.spanMs), n(Math.round(x.perS))]), 1));
      if (throughput.length === 2) out.push(`two workers: ${(throughput[1]!.perS / throughput[0]!.perS).toFixed(2)}× one (2 cores shared with PostgreSQL)`);
    }
    for (const p of problems) out.push(`PROBLEM: ${p}`);
    for (const line of out) log(line);
  } finally {
    await handle.close();
    if (flags.keep) log(`Kept ${database.label}.`);
    else await database.drop();
  }
  if (problems.some((p) => !p.startsWith("generation outlasted"))) process.exitCode = 1;
}

await main();
