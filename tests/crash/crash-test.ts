/**
 * Crash test (issue 4): a production server under steady lead load is killed with SIGKILL three times at random
 * moments and restarted each time. Every request's outcome is tracked client-side (2xx with lead id, an error
 * answer, refused, or no answer). Afterwards:
 *   1. leads captured but never routed (killed mid-pipeline) must be finished by the server's own recovery sweep
 *      (server/startup.ts: recoverUnprocessedLeads 10 s after start, then every 15 s) — if they are not, the test
 *      runs recovery itself, reports it as a finding, and goes on;
 *   2. every lead that got a 2xx exists under that id and that Idempotency-Key, and is routed (status ≠ new);
 *   3. every request that got no 2xx is resent with the same key and body: each must answer 200 (the lead existed)
 *      or 201 (it did not) — and which one must agree with the database; a sample of 2xx requests resent must
 *      answer 200 with the same lead id;
 *   4. the run's keys hold exactly one lead each (count = distinct keys = requests), each routed exactly once
 *      (one `received` and one `decided` event).
 * Exit 1 on any violation.
 *
 * Run: npm run test:crash                 (PostgreSQL: a scratch database on BENCH_PG_URL, dropped at the end)
 *      npm run test:crash -- --pglite     (the embedded PGlite database in a temporary DATA_DIR)
 * Options: --rate N (leads/s, default 100; 25 with --pglite), --duration S (load seconds, default 50), --seed S (kill moments),
 *          --no-build (use the existing build).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { DEMO_API_KEY } from "@/db/seed/demo-users";
import { createRandom } from "@/lib/random";
import { recoverUnprocessedLeads } from "@/server/services/ingest/ingest-lead.service";
import {
  authSecret, createPostgresDatabase, ensureBuild, freePort, machineDescription, pgliteDatabase, prepareWorkspace,
  readRecords, runBench, runGenerator, sleep, startServer, waitForHealth, type BenchDatabase, type ServerProcess,
} from "../bench/lib/harness";
import { benchKey, benchKeyPrefix, benchLeadBody } from "../bench/lib/lead-bodies";
import type { LoadResult, RequestRecord } from "../bench/lib/load-generator";

const { values: flags } = parseArgs({
  options: {
    pglite: { type: "boolean" },
    rate: { type: "string" },
    duration: { type: "string" },
    seed: { type: "string" },
    "no-build": { type: "boolean" },
  },
  strict: true,
});
const PGLITE = flags.pglite === true;
/** PGlite is one WASM session behind a mutex: its capacity is a fraction of PostgreSQL's, so it gets a lower default. */
const RATE = Number(flags.rate ?? (PGLITE ? 25 : 100));
const DURATION_S = Number(flags.duration ?? 50);
const SEED = flags.seed ?? String(Date.now());
const KILLS = 3;
const PHASE = "k";
/** The server's sweep: first 10 s after start, then every 15 s, for leads older than 10 s (server/startup.ts). */
const RECOVERY_WAIT_MS = 45_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const runId = String(Date.now()).slice(-9);
const tmp = mkdtempSync(path.join(os.tmpdir(), "switchyard-crash-"));
const serverLog = path.join(tmp, "server.log");
const recordsPath = path.join(tmp, "records.jsonl");
const violations: string[] = [];
const findings: string[] = [];
const violate = (text: string) => {
  violations.push(text);
  log(`  ✗ ${text}`);
};

let database: BenchDatabase | null = null;
let server: ServerProcess | null = null;

async function main(): Promise<void> {
  log(`Switchyard crash test on ${PGLITE ? "PGlite (embedded)" : "PostgreSQL"} — run ${runId}, seed ${SEED}, ${RATE} leads/s for ${DURATION_S} s, ${KILLS} × SIGKILL`);
  for (const line of machineDescription()) log(line);
  ensureBuild(log, flags["no-build"] === true);

  database = PGLITE ? pgliteDatabase(path.join(tmp, "data")) : await createPostgresDatabase("switchyard_crash");
  log(`Database: ${database.label}`);
  const prepared = await prepareWorkspace(database, 500);
  log(`Seeded a demo workspace (${prepared.seededLeads} leads).`);

  const port = await freePort(3550, 3599);
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: PGLITE ? path.join(tmp, "data") : undefined,
    AUTH_SECRET: authSecret(),
    SEED_ON_START: "never",
  };
  const start = async (why: string) => {
    server = startServer({ port, env, logPath: serverLog });
    const ms = await waitForHealth(server);
    log(`  server ${why}: pid ${server.pid}, healthy after ${ms} ms`);
    return ms;
  };
  await start("started");
  await runGenerator({ url: `http://127.0.0.1:${port}/api/v1/leads`, headers: { authorization: `Bearer ${DEMO_API_KEY}` }, rate: 50, durationS: 2, runId, phase: "w", timeoutMs: 10_000 });

  // ---------------------------------------------------------------- load + three crashes
  const rnd = createRandom(SEED);
  const loadStarted = Date.now();
  const load: Promise<LoadResult> = runGenerator({
    url: `http://127.0.0.1:${port}/api/v1/leads`,
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    rate: RATE,
    durationS: DURATION_S,
    runId,
    phase: PHASE,
    timeoutMs: 8_000,
    recordsPath,
  });
  load.catch(() => undefined); // awaited below; this only keeps a failure during the kills from going unhandled
  const kills: Array<{ atS: number; downMs: number }> = [];
  let lastRestartAt = Date.now();
  // One kill at a random moment in each third of the first 70% of the load (at least 2 s after the last restart).
  const killWindowMs = (DURATION_S * 700) / KILLS;
  for (let k = 0; k < KILLS; k++) {
    const target = loadStarted + k * killWindowMs + rnd.int(0, Math.floor(killWindowMs));
    await sleep(Math.max(2000 - (Date.now() - lastRestartAt), target - Date.now()));
    const at = Date.now();
    await server!.kill9();
    log(`  SIGKILL #${k + 1} at t=${((at - loadStarted) / 1000).toFixed(1)} s`);
    await start("restarted");
    lastRestartAt = Date.now();
    kills.push({ atS: (at - loadStarted) / 1000, downMs: Date.now() - at });
  }
  if ((lastRestartAt - loadStarted) / 1000 > DURATION_S - 3) {
    findings.push(`the load ended only ${(DURATION_S - (lastRestartAt - loadStarted) / 1000).toFixed(1)} s after the last restart; use a longer --duration`);
  }
  const result = await load;
  const records = readRecords(recordsPath);
  const ok = records.filter((r) => r.status === 200 || r.status === 201);
  const notOk = records.filter((r) => !(r.status === 200 || r.status === 201));
  const byError = new Map<string, number>();
  for (const r of notOk) {
    const kind = r.status > 0 ? `HTTP ${r.status}` : r.error === "ECONNREFUSED" ? "refused (server down)" : `no answer (${r.error})`;
    byError.set(kind, (byError.get(kind) ?? 0) + 1);
  }
  log(`Load done: ${records.length} requests, ${ok.length} answered 2xx, ${notOk.length} not: ${[...byError].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`);

  // ---------------------------------------------------------------- 1. recovery of leads killed mid-pipeline
  const like = `api:${benchKeyPrefix(runId, PHASE)}%`;
  // PGlite: one process per data folder — the server must be stopped whenever this process opens the database.
  const exclusive = PGLITE;
  let recoveredBy = "its recovery sweep";
  let unroutedAtEnd: number | null = null;
  if (!exclusive) {
    const handle = database.open();
    try {
      const initial = await countNew(handle.db, like);
      unroutedAtEnd = initial;
      log(`Leads of the run captured but not routed when the load ended: ${initial}`);
      if (initial > 0) {
        const deadline = lastRestartAt + RECOVERY_WAIT_MS;
        while ((await countNew(handle.db, like)) > 0 && Date.now() < deadline) await sleep(1000);
        if ((await countNew(handle.db, like)) === 0) {
          recoveredBy = `its recovery sweep, done ${((Date.now() - lastRestartAt) / 1000).toFixed(0)} s after the last restart`;
        }
      }
    } finally {
      await handle.close();
    }
  } else {
    const waitMs = Math.max(0, lastRestartAt + RECOVERY_WAIT_MS - Date.now());
    log(`PGlite: waiting ${Math.round(waitMs / 1000)} s for the server's recovery sweeps, then stopping it to open the database…`);
    await sleep(waitMs);
    await server!.stop();
    recoveredBy = "its recovery sweep; PGlite is only checked once the server is stopped";
  }

  const db1 = database.open();
  const existingKeys = new Set<string>();
  let stuckAtEnd = 0;
  let routedWithoutAnswer = 0;
  try {
    // Leads captured for requests that got no 2xx (the server died mid-request, or the client gave up first).
    const keys = notOk.map((r) => `api:${r.key}`);
    for (let i = 0; i < keys.length; i += 5000) {
      const rows = await db1.db.selectFrom("leads").select(["idempotency_key", "status"]).where("idempotency_key", "in", keys.slice(i, i + 5000)).execute();
      for (const row of rows) {
        if (!row.idempotency_key) continue;
        existingKeys.add(row.idempotency_key.slice(4));
        if (row.status !== "new") routedWithoutAnswer++;
      }
    }
    log(`Requests without a 2xx whose lead was captured anyway: ${existingKeys.size} of ${notOk.length}; already routed by the server: ${routedWithoutAnswer}`);

    stuckAtEnd = await countNew(db1.db, like);
    if (stuckAtEnd > 0) {
      findings.push(`${stuckAtEnd} lead(s) captured before a crash were still unrouted ${Math.round(RECOVERY_WAIT_MS / 1000)} s after the last restart: the server's recovery did not finish them; the test ran recoverUnprocessedLeads itself`);
      const n = await recoverUnprocessedLeads({ db: db1.db, now: () => new Date() }, 0, 10_000);
      log(`  recoverUnprocessedLeads (called by the test) routed ${n} lead(s)`);
      const still = await countNew(db1.db, like);
      if (still > 0) violate(`${still} lead(s) still unrouted after an explicit recoverUnprocessedLeads`);
    }

    // ---------------------------------------------------------------- 2. every 2xx is there, under its key, routed
    const okIds = ok.map((r) => r.leadId).filter((id): id is string => id !== null);
    if (okIds.length !== ok.length) violate(`${ok.length - okIds.length} 2xx answer(s) carried no leadId`);
    const found = new Map<string, { key: string | null; status: string }>();
    for (let i = 0; i < okIds.length; i += 5000) {
      const rows = await db1.db.selectFrom("leads").select(["id", "idempotency_key", "status"]).where("id", "in", okIds.slice(i, i + 5000)).execute();
      for (const row of rows) found.set(row.id, { key: row.idempotency_key, status: row.status });
    }
    let missing = 0;
    let wrongKey = 0;
    let unrouted = 0;
    for (const r of ok) {
      const row = r.leadId ? found.get(r.leadId) : undefined;
      if (!row) missing++;
      else if (row.key !== `api:${r.key}`) wrongKey++;
      else if (row.status === "new") unrouted++;
    }
    if (missing) violate(`${missing} lead(s) answered 2xx are not in the database (lost)`);
    if (wrongKey) violate(`${wrongKey} 2xx lead id(s) belong to a different Idempotency-Key`);
    if (unrouted) violate(`${unrouted} lead(s) answered 2xx are not routed (status new)`);
    log(`2xx leads in the database: ${ok.length - missing} of ${ok.length} (${wrongKey} wrong key, ${unrouted} unrouted)`);

  } finally {
    await db1.close();
  }

  // ---------------------------------------------------------------- 3. resend
  if (exclusive) await start("started again for the resend");
  const resend = await resendAll(port, notOk, existingKeys);
  const sample = pickSample(ok, 50, rnd);
  const replay = await resendAll(port, sample, new Set(sample.map((r) => r.key)));
  if (exclusive) await server!.stop();

  // ---------------------------------------------------------------- 4. no duplicates, routed once
  const db2 = database.open();
  let totals: { leads: number; keys: number; unrouted: number; multiDecided: number; multiReceived: number };
  try {
    const t = await db2.db
      .selectFrom("leads")
      .select((eb) => [
        eb.fn.countAll<number>().as("leads"),
        eb.fn.count<number>("idempotency_key").distinct().as("keys"),
        eb.fn.count<number>(sql`case when status = 'new' then 1 end`).as("unrouted"),
      ])
      .where("idempotency_key", "like", like)
      .executeTakeFirstOrThrow();
    const multi = async (type: "decided" | "received") =>
      Number((await sql<{ n: number }>`select count(*) as n from (select e.lead_id from lead_events e join leads l on l.id = e.lead_id
        where l.idempotency_key like ${like} and e.type = ${type} group by e.lead_id having count(*) > 1) x`.execute(db2.db)).rows[0]?.n ?? 0);
    totals = { leads: Number(t.leads), keys: Number(t.keys), unrouted: Number(t.unrouted), multiDecided: await multi("decided"), multiReceived: await multi("received") };
  } finally {
    await db2.close();
  }
  const distinct = new Set(records.map((r) => r.key)).size;
  if (totals.leads !== distinct) violate(`${totals.leads} leads for ${distinct} distinct keys (${totals.leads > distinct ? "duplicates" : "missing"})`);
  if (totals.keys !== totals.leads) violate(`${totals.leads - totals.keys} duplicate Idempotency-Key(s)`);
  if (totals.unrouted) violate(`${totals.unrouted} lead(s) of the run still unrouted at the end`);
  if (totals.multiDecided) violate(`${totals.multiDecided} lead(s) routed more than once (several decided events)`);
  if (totals.multiReceived) violate(`${totals.multiReceived} lead(s) with several received events`);

  // ---------------------------------------------------------------- summary
  const out: string[] = [];
  out.push("");
  out.push(`Switchyard crash test — ${PGLITE ? "PGlite (embedded, DATA_DIR in a temp folder)" : "PostgreSQL"} — ${new Date().toISOString()}`);
  out.push(...machineDescription().map((l) => l.replace("at start", "now")));
  out.push(`Load: ${RATE} leads/s evenly spaced for ${DURATION_S} s from a separate process, unique Idempotency-Key per request; seed ${SEED}`);
  out.push(`Crashes: ${kills.map((k, i) => `#${i + 1} SIGKILL at t=${k.atS.toFixed(1)} s, back healthy after ${(k.downMs / 1000).toFixed(1)} s`).join("; ")}`);
  out.push(`Requests: ${records.length} sent; 2xx ${ok.length}; without 2xx ${notOk.length} (${[...byError].map(([k, n]) => `${k}: ${n}`).join(", ") || "none"})`);
  out.push(`  load p50/p99/max ${result.latency.p50.toFixed(1)}/${result.latency.p99.toFixed(1)}/${result.latency.max.toFixed(0)} ms (answered requests, from schedule)`);
  out.push(`Recovery: ${existingKeys.size} lead(s) captured without a 2xx answer; ${unroutedAtEnd === null ? "" : `${unroutedAtEnd} of the run's leads were unrouted when the load ended; `}` +
    `${routedWithoutAnswer} routed by the server on its own (${recoveredBy}); ${stuckAtEnd} still unrouted ${Math.round(RECOVERY_WAIT_MS / 1000)} s after the last restart${stuckAtEnd ? " (recovered by the test)" : ""}`);
  out.push(`Every 2xx lead in the database, under its key, routed: ${violations.some((v) => v.includes("2xx")) ? "NO" : "yes"} (${ok.length})`);
  out.push(`Resent ${resend.sent} unanswered/failed requests: 201 ${resend.created}, 200 ${resend.replayed}, other ${resend.other}; disagreeing with the database ${resend.inconsistent}`);
  out.push(`Resent ${replay.sent} answered requests (sample): 200 with the same lead ${replay.sameLead} of ${replay.sent}`);
  out.push(`Leads for the run's keys: ${totals.leads} for ${distinct} distinct keys; duplicates ${Math.max(0, totals.leads - totals.keys)}; unrouted ${totals.unrouted}; routed twice ${totals.multiDecided}`);
  for (const f of findings) out.push(`FINDING: ${f}`);
  out.push(violations.length ? `FAIL — ${violations.length} violation(s):\n  ${violations.join("\n  ")}` : "PASS — no acknowledged lead lost, no duplicates after resending");
  out.push("");
  process.stdout.write(`${out.join("\n")}\n`);

  // Keep the answered sample's lead ids honest: a replay must return the original lead.
  function pickSample(list: RequestRecord[], n: number, r: ReturnType<typeof createRandom>): RequestRecord[] {
    const copy = [...list];
    const picked: RequestRecord[] = [];
    while (picked.length < n && copy.length) picked.push(copy.splice(r.int(0, copy.length - 1), 1)[0]!);
    return picked;
  }
}

async function countNew(db: ReturnType<BenchDatabase["open"]>["db"], like: string): Promise<number> {
  const row = await db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).where("idempotency_key", "like", like).where("status", "=", "new").executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Resends requests with their original key and body (8 at a time); checks 201 = new, 200 = existed, same lead. */
async function resendAll(port: number, list: RequestRecord[], existed: Set<string>) {
  const stats = { sent: 0, created: 0, replayed: 0, other: 0, inconsistent: 0, sameLead: 0 };
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < list.length) {
      const r = list[next++]!;
      const i = Number(r.key.slice(benchKeyPrefix(runId, PHASE).length));
      if (benchKey(runId, PHASE, i) !== r.key) throw new Error(`cannot rebuild request ${r.key}`);
      let status = 0;
      let leadId: string | null = null;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/leads`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": r.key },
          body: JSON.stringify(benchLeadBody(runId, PHASE, i)),
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        leadId = ((await res.json()) as { leadId?: string }).leadId ?? null;
      } catch (error) {
        violate(`resend of ${r.key} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      stats.sent++;
      if (status === 201) stats.created++;
      else if (status === 200) stats.replayed++;
      else {
        stats.other++;
        violate(`resend of ${r.key} answered ${status}`);
        continue;
      }
      const expected = existed.has(r.key) ? 200 : 201;
      if (status !== expected) {
        stats.inconsistent++;
        violate(`resend of ${r.key} answered ${status}, but the lead ${existed.has(r.key) ? "existed" : "did not exist"}`);
      }
      if (r.leadId) {
        if (leadId === r.leadId) stats.sameLead++;
        else violate(`replay of ${r.key} returned lead ${leadId}, originally ${r.leadId}`);
      }
    }
  }));
  return stats;
}

await runBench({
  name: "Crash test",
  main: async () => {
    await main();
    return violations.length ? 1 : 0;
  },
  scratch: () => ({ server, database }),
  tmp,
  serverLog,
  log,
});
