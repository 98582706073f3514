/**
 * What the ingestion benchmark and the crash test share: a fresh PostgreSQL database (or PGlite folder) with a small
 * demo workspace, a production build, a `next start` server whose PID is the server itself, the load generator as
 * a separate process, and CPU readings from /proc. Run under `node --conditions=react-server --import tsx` (the demo
 * seed imports server-only code).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { createDatabase, type DatabaseHandle } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import { seedDemo } from "@/db/seed/demo";
import type { LoadOptions, LoadResult, RequestRecord } from "./load-generator";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const GENERATOR = path.join(ROOT, "tests", "bench", "lib", "load-generator.ts");

/** The PostgreSQL server the benchmark creates its databases on (trust auth), overridable with BENCH_PG_URL. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// ------------------------------------------------------------------------------------------------ build

/** Same rule as scripts/start.mjs: the build is stale when any source is newer than .next/BUILD_ID. */
const BUILD_SOURCES = ["app", "server", "lib", "db", "public", "next.config.ts", "instrumentation.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/**
 * Makes sure a production build exists and is not older than the sources (builds with `next build` otherwise).
 * `skipIfPresent`: use whatever build exists (fails only when there is none).
 */
export function ensureBuild(log: (line: string) => void, skipIfPresent = false): void {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt && skipIfPresent) {
    log("Using the existing production build (--no-build).");
    return;
  }
  const sourcesAt = Math.max(...BUILD_SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (builtAt >= sourcesAt) {
    log("Production build is up to date.");
    return;
  }
  log(builtAt ? "Sources changed since the last build: running next build…" : "No production build: running next build…");
  const started = Date.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

// ------------------------------------------------------------------------------------------------ database

export interface BenchDatabase {
  /** DATABASE_URL for the server, or undefined for PGlite. */
  url: string | undefined;
  /** PGlite data directory (DATA_DIR is its parent), when url is undefined. */
  dataDir: string | undefined;
  label: string;
  /** Opens a handle (PGlite: only while no server holds the folder). */
  open(): DatabaseHandle;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database named `<prefix>_<time>_<pid>` on PG_ADMIN_URL. */
export async function createPostgresDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  return {
    url: dbUrl,
    dataDir: undefined,
    label: `PostgreSQL ${url.host}/${name}`,
    open: () => createDatabase({ url: dbUrl, poolSize: 4 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An embedded PGlite database under `dataRoot/pglite` (the server gets DATA_DIR=dataRoot). */
export function pgliteDatabase(dataRoot: string): BenchDatabase {
  const dataDir = path.join(dataRoot, "pglite");
  return {
    url: undefined,
    dataDir,
    label: `PGlite ${dataDir}`,
    open: () => createDatabase({ dataDir }),
    drop: async () => undefined,
  };
}

export interface PreparedWorkspace {
  workspaceId: string;
  seededLeads: number;
  seedMs: number;
}

/**
 * Migrates and seeds a small demo workspace, then lifts the demo API key's rate limit: its default of 1,200
 * requests a minute (20/s) would answer most of a 200 leads/s load with 429 and measure the limiter, not ingestion.
 */
export async function prepareWorkspace(database: BenchDatabase, leads: number): Promise<PreparedWorkspace> {
  const handle = database.open();
  try {
    await migrateToLatest(handle.db);
    const summary = await seedDemo(handle.db, { leads, now: new Date(Date.now() - 3_600_000) });
    await handle.db.updateTable("api_keys").set({ rate_limit_per_minute: 100_000_000 }).where("workspace_id", "=", summary.workspaceId).execute();
    if (database.url) await sql`analyze`.execute(handle.db);
    return { workspaceId: summary.workspaceId, seededLeads: summary.leads, seedMs: summary.ms };
  } finally {
    await handle.close();
  }
}

// ------------------------------------------------------------------------------------------------ server

export interface ServerProcess {
  pid: number;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code/signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL right now (a crash). */
  kill9(): Promise<void>;
}

/** A free TCP port in [from, to] on 127.0.0.1. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

/** A fresh random AUTH_SECRET (the app requires one with DATABASE_URL). */
export function authSecret(): string {
  return randomBytes(32).toString("base64");
}

/**
 * Starts `next start -p port` as a direct child (no shell, no npm: the PID we hold is the server itself, so SIGKILL
 * kills exactly the server). Output is appended to `logPath`.
 */
export function startServer(options: { port: number; env: Record<string, string | undefined>; logPath: string; nodeArgs?: string[] }): ServerProcess {
  const log = createWriteStream(options.logPath, { flags: "a" });
  // The caller decides the database and secrets: drop any the benchmark itself was started with.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const k of ["DATABASE_URL", "DATA_DIR", "AUTH_SECRET", "SEED_ON_START", "SEED_DEMO_LEADS", "PORT", "NODE_OPTIONS", "OPENAI_API_KEY", "OPENAI_BASE_URL", "SWITCHYARD_LLM_PROVIDER", "SWITCHYARD_LLM_MODEL", "SWITCHYARD_LLM_API", "SWITCHYARD_LLM_TIMEOUT_MS"]) delete env[k];
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), NEXT_BIN, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid!,
    port: options.port,
    child,
    exited,
    stop: async (graceMs = 8000) => {
      if (gone()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill9: async () => {
      if (gone()) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls GET /api/health until it answers 200 (throws after `timeoutMs` or if the process exits). */
export async function waitForHealth(server: ServerProcess, timeoutMs = 90_000): Promise<number> {
  const started = Date.now();
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`the server exited before it became healthy`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not become healthy within ${timeoutMs} ms`);
}

// ------------------------------------------------------------------------------------------------ load

const generators = new Set<ChildProcess>();

/** Stops every load generator still running (cleanup after a failure). */
export function stopGenerators(): void {
  for (const child of generators) child.kill("SIGKILL");
  generators.clear();
}

/** Runs the load generator in its own process and returns its result. */
export function runGenerator(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", GENERATOR, JSON.stringify(options)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    generators.add(child);
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => {
      generators.delete(child);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as LoadResult);
      } catch (error) {
        reject(new Error(`load generator printed no result: ${String(error)}`));
      }
    });
  });
}

// ------------------------------------------------------------------------------------------------ CPU

/** user+system CPU of a process so far (ms), from /proc; null when it is gone or /proc is missing. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the full line)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** user+system CPU (ms) so far of every process named `postgres` (all databases of the server), by PID. */
export function postgresCpuByPid(): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/u.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * PostgreSQL CPU (ms) between two readings: per PID, so a backend that exits in between (the pool closes idle
 * connections) does not subtract its whole lifetime; backends born in between count in full.
 */
export function postgresCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += Math.max(0, ms - (before.get(pid) ?? 0));
  return sum;
}

/** Machine-wide busy and total jiffies (from /proc/stat), to compute utilisation between two readings. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/u).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((s, x) => s + x, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** CPU model, cores, load average, Node version: the context every figure must be read in. */
export function machineDescription(): string[] {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" / ");
  return [
    `CPU: ${cpus[0]?.model ?? "unknown"} × ${cpus.length} cores (shared by the server, PostgreSQL and the load generator)`,
    `Load average (1/5/15 min) at start: ${load}`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; ${os.type()} ${os.release()}`,
  ];
}

/** The PostgreSQL server's version string (null when unreachable). */
export async function postgresVersion(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await c.connect();
    const r = await c.query<{ v: string }>("select current_setting('server_version') as v");
    return r.rows[0]?.v ?? null;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Sleeps `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs a benchmark's `main` and exits with its code. On the way out — and on SIGINT/SIGTERM (exit 130) — it stops
 * the load generators and the server, runs `release` (anything else the script holds), drops the scratch database
 * and removes `tmp` (kept when BENCH_KEEP_FILES is set). If `main` throws, the error and the last lines of the
 * server's log are printed and the exit code is 1. `scratch` reads the script's current server and database.
 */
export async function runBench(o: {
  name: string;
  main: () => Promise<number>;
  scratch: () => { server: ServerProcess | null; database: BenchDatabase | null };
  release?: () => Promise<void>;
  tmp: string;
  serverLog: string;
  log: (line: string) => void;
}): Promise<never> {
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    stopGenerators();
    const { server, database } = o.scratch();
    if (server) await server.stop(5000).catch(() => undefined);
    if (o.release) await o.release();
    if (database) await database.drop().catch((e: unknown) => o.log(`could not drop the scratch database: ${String(e)}`));
    if (!process.env.BENCH_KEEP_FILES) rmSync(o.tmp, { recursive: true, force: true });
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      o.log(`${sig}: stopping the server and cleaning up…`);
      void cleanup().then(() => process.exit(130));
    });
  }
  let code = 1;
  try {
    code = await o.main();
  } catch (error) {
    o.log(`${o.name} broke: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    try {
      o.log(`Last lines of the server log:\n${readFileSync(o.serverLog, "utf8").split("\n").slice(-30).join("\n")}`);
    } catch {
      // no log yet
    }
  } finally {
    await cleanup();
  }
  process.exit(code);
}

/** The per-request records a load generator wrote (one JSON line each). */
export function readRecords(recordsPath: string): RequestRecord[] {
  return readFileSync(recordsPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as RequestRecord);
}

/** The lead ids of the requests answered 2xx: what the server acknowledged and must never lose. */
export function acknowledgedLeadIds(records: readonly RequestRecord[]): string[] {
  return records.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.leadId).filter((id): id is string => id !== null);
}
