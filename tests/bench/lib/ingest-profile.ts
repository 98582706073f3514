/**
 * Where does an ingested lead's time go? Runs the same code the route runs (API-key auth, zod parse, ingestLead)
 * in-process — no Next.js, no HTTP — against a scratch PostgreSQL database, with every SQL statement timed through
 * Kysely's query log, then prints: statements per lead by shape with their latency, wall vs Node CPU per lead,
 * the pipeline steps' own recorded durations, and the in-process ceiling at a given concurrency.
 *
 * Run: node --conditions=react-server --import tsx tests/bench/lib/ingest-profile.ts [--leads 500] [--concurrency 10]
 *      [--cpu-prof]  (also profile the concurrent phase and print where Node's CPU went)
 * (the diagnostic behind the recommendations printed with `npm run bench:ingest`; not part of CI).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Kysely, PostgresDialect, sql, type LogEvent } from "kysely";
import pg from "pg";
import type { Database } from "@/db/types";
import { DEMO_API_KEY } from "@/db/seed/demo-users";
import { LeadInput } from "@/lib/ingest/lead-input";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { authenticateApiKey, ingestDeps } from "@/server/services/ingest/inbound";
import { summarizeCpuProfile } from "./cpu-profile";
import { createPostgresDatabase, machineDescription, prepareWorkspace, processCpuMs } from "./harness";
import { benchKey, benchLeadBody } from "./lead-bodies";
import { summarize } from "./load-generator";

const { values } = parseArgs({ options: { leads: { type: "string" }, concurrency: { type: "string" }, "cpu-prof": { type: "boolean" } }, strict: true });
const LEADS = Number(values.leads ?? 500);
const CONCURRENCY = Number(values.concurrency ?? 10);
const runId = String(Date.now()).slice(-9);

interface Stat {
  count: number;
  ms: number;
}
let recording = false;
const shapes = new Map<string, Stat>();
let statements = 0;
let dbMs = 0;

/** "insert into "leads" ("workspace_id", …" → a short, parameter-free label of the statement. */
function shapeOf(sqlText: string): string {
  const s = sqlText.replace(/\s+/gu, " ").replace(/"/gu, "").trim();
  const m = /^(select|insert into|update|delete from|begin|commit|rollback)\b\s*(.*)$/iu.exec(s);
  if (!m) return s.slice(0, 60);
  const verb = m[1]!.toLowerCase();
  const rest = m[2] ?? "";
  if (verb === "select") {
    const from = /\bfrom ([a-z_]+)( as [a-z]+)?/iu.exec(rest)?.[1] ?? "?";
    const lock = /for update/iu.test(rest) ? " for update" : "";
    const where = /\bwhere (.{0,60})/iu.exec(rest)?.[1]?.replace(/\$\d+/gu, "?") ?? "";
    return `select ${from}${lock} where ${where.split(" and ").map((w) => w.split(" ")[0]).join(",")}`;
  }
  if (verb === "insert into" || verb === "update" || verb === "delete from") {
    const table = /^([a-z_]+)/iu.exec(rest)?.[1] ?? "?";
    return `${verb} ${table}${/on conflict/iu.test(rest) ? " on conflict" : ""}`;
  }
  return verb;
}

function onLog(event: LogEvent): void {
  if (!recording) return;
  const shape = shapeOf(event.query.sql);
  const stat = shapes.get(shape) ?? { count: 0, ms: 0 };
  stat.count++;
  stat.ms += event.queryDurationMillis;
  shapes.set(shape, stat);
  statements++;
  dbMs += event.queryDurationMillis;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

async function main(): Promise<void> {
  for (const line of machineDescription()) console.log(line);
  const database = await createPostgresDatabase("switchyard_profile");
  try {
    const prepared = await prepareWorkspace(database, 2000);
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: onLog });
    const deps = ingestDeps(db);
    let n = 0;
    const one = async (phase: string) => {
      const i = n++;
      const raw = JSON.parse(JSON.stringify(benchLeadBody(runId, phase, i))) as unknown;
      const auth = await authenticateApiKey(db, `Bearer ${DEMO_API_KEY}`, new Date());
      const input = LeadInput.parse(raw);
      return ingestLead(deps, { workspaceId: auth.workspaceId, sourceId: null, idempotencyKey: benchKey(runId, phase, i), input, raw });
    };

    // Warm-up (JIT, routing-context cache, pool).
    for (let i = 0; i < 150; i++) await one("pw");

    // Sequential: one lead at a time, so each lead's statements and CPU are its own.
    recording = true;
    const wall: number[] = [];
    const cpu0 = process.cpuUsage();
    const statuses = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < LEADS; i++) {
      const s = performance.now();
      const r = await one("ps");
      wall.push(performance.now() - s);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    const seqMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    recording = false;
    const cpuPerLead = (cpu.user + cpu.system) / 1000 / LEADS;
    const w = summarize(wall);

    console.log(`\nIn-process ingestion (auth + zod + ingestLead, no Next.js/HTTP), PostgreSQL, demo workspace of ${prepared.seededLeads} leads`);
    console.log(`Sequential, ${LEADS} leads: wall per lead p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms, mean ${w.mean.toFixed(2)} ms → ${(LEADS / (seqMs / 1000)).toFixed(0)} leads/s on one connection at a time`);
    console.log(`  Node CPU per lead ${cpuPerLead.toFixed(2)} ms; SQL statements per lead ${(statements / LEADS).toFixed(1)}, their summed latency ${(dbMs / LEADS).toFixed(2)} ms (round trip incl. driver)`);
    console.log(`  outcomes: ${[...statuses].map(([s, c]) => `${s} ${c}`).join(", ")}`);
    console.log(`  statements per lead by shape (count/lead, mean ms each):`);
    for (const [shape, s] of [...shapes].sort((a, b) => b[1].ms - a[1].ms)) {
      console.log(`    ${(s.count / LEADS).toFixed(2).padStart(5)} × ${(s.ms / s.count).toFixed(3).padStart(6)} ms  ${shape}`);
    }

    // Step durations the pipeline itself recorded for these leads.
    const steps = await db
      .selectFrom("lead_events as e")
      .innerJoin("leads as l", "l.id", "e.lead_id")
      .select(["e.type", (eb) => eb.fn.avg<number>("e.duration_ms").as("avg"), (eb) => eb.fn.countAll<number>().as("n")])
      .where("l.idempotency_key", "like", `api:${`bench-${runId}-ps-`}%`)
      .where("e.duration_ms", "is not", null)
      .groupBy("e.type")
      .execute();
    console.log(`  pipeline steps' own durations (lead_events.duration_ms, mean): ${steps.map((s) => `${s.type} ${Number(s.avg).toFixed(3)} ms`).join(", ")}`);

    // Bytes written per lead: event payloads (the decision trace) and the assignment state rewritten each time.
    const sizes = await sql<{ type: string; bytes: number }>`select e.type, avg(pg_column_size(e.data))::int as bytes from lead_events e
      join leads l on l.id = e.lead_id where l.idempotency_key like ${`api:bench-${runId}-ps-%`} group by e.type order by 2 desc`.execute(db);
    const state = await sql<{ bytes: number; raw: number }>`select pg_column_size(state) as bytes, length(state::text) as raw from assignment_state`.execute(db);
    const perLead = sizes.rows.reduce((s, r) => s + Number(r.bytes), 0);
    console.log(`  event payload bytes (stored, mean per event): ${sizes.rows.map((r) => `${r.type} ${r.bytes}`).join(", ")} — about ${perLead} bytes of events per lead`);
    console.log(`  assignment_state: ${state.rows.map((r) => `${r.raw} characters of JSON (${r.bytes} bytes stored)`).join("; ")}, read, parsed, re-serialised and rewritten under a row lock by every assigned lead`);

    // Concurrent: the in-process ceiling (what Next.js's overhead is added to).
    const total = LEADS * 2;
    let next = 0;
    const session = values["cpu-prof"] ? new Session() : null;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
    }
    // PostgreSQL's side: CPU of the backends serving this database, and WAL written (cluster-wide) over the phase.
    const backendPids = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => Number(r.pid));
    const walLsn = async () => (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db)).rows[0]!.lsn;
    const pgBefore = new Map((await backendPids()).map((pid) => [pid, processCpuMs(pid) ?? 0]));
    const wal0 = await walLsn();
    const cpuC0 = process.cpuUsage();
    const tc = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) await one("pc");
    }));
    const concMs = performance.now() - tc;
    const cpuC = process.cpuUsage(cpuC0);
    const pidsAfter = await backendPids();
    const pgMs = pidsAfter.reduce((sum, pid) => sum + Math.max(0, (processCpuMs(pid) ?? 0) - (pgBefore.get(pid) ?? 0)), 0);
    const wal1 = await walLsn();
    const walBytes = Number((await sql<{ d: string }>`select pg_wal_lsn_diff(${wal1}::pg_lsn, ${wal0}::pg_lsn)::text as d`.execute(db)).rows[0]!.d);
    console.log(`Concurrent (${CONCURRENCY} at a time), ${total} leads: ${(total / (concMs / 1000)).toFixed(0)} leads/s in-process, Node CPU ${((cpuC.user + cpuC.system) / 1000 / total).toFixed(2)} ms per lead, PostgreSQL backend CPU ${(pgMs / total).toFixed(2)} ms per lead, WAL ${(walBytes / total / 1024).toFixed(1)} KiB per lead`);
    if (session) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      const file = path.join(os.tmpdir(), `switchyard-ingest-${runId}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the concurrent phase (${file}):`);
      for (const line of summarizeCpuProfile(file, 30)) console.log(`  ${line}`);
    }
    await db.destroy();
  } finally {
    await database.drop();
  }
}

await main();
