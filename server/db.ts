/**
 * The app's database: one handle per process, kept on globalThis so route handlers, tRPC and server components
 * share it (PGlite allows one instance per data folder). The first caller migrates the schema and, on an empty
 * database, seeds the demo workspace; everyone else awaits the same promise.
 */
import "server-only";
import path from "node:path";
import type { Kysely } from "kysely";
import { createDatabase, type DatabaseHandle } from "@/db";
import type { Database } from "@/db/types";
import { migrateToLatest } from "@/db/migrate";
import { env } from "./env";
import { log } from "./log";

interface Ready {
  handle: DatabaseHandle;
  ready: Promise<Kysely<Database>>;
}

const globalKey = Symbol.for("switchyard.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Ready };

/** The migrated (and, if it was empty, seeded) database. */
export function getDb(): Promise<Kysely<Database>> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const e = env();
    const handle = createDatabase({ url: e.DATABASE_URL, dataDir: path.join(e.dataDir, "pglite") });
    const ready = prepare(handle).catch((error: unknown) => {
      delete g[globalKey]; // let the next request try again rather than caching a failure forever
      throw error;
    });
    g[globalKey] = { handle, ready };
  }
  return g[globalKey]!.ready;
}

/**
 * Makes this process use an already-open database (tests, the worker): route handlers and tRPC then share it.
 * The caller owns migrations and closing.
 */
export function provideDatabase(handle: DatabaseHandle): void {
  (globalThis as GlobalWithDb)[globalKey] = { handle, ready: Promise.resolve(handle.db) };
}

/** Which database this process uses, for /api/health and logs. */
export function databaseInfo(): { kind: string; location: string } | null {
  const r = (globalThis as GlobalWithDb)[globalKey];
  return r ? { kind: r.handle.kind, location: r.handle.location } : null;
}

async function prepare(handle: DatabaseHandle): Promise<Kysely<Database>> {
  const started = Date.now();
  const results = await migrateToLatest(handle.db);
  const applied = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
  log.info("database ready", { kind: handle.kind, location: handle.location, applied, ms: Date.now() - started });
  // The demo (with published demo credentials) never lands in a PostgreSQL database unless asked for explicitly.
  const mode = env().SEED_ON_START;
  if (mode === "always" || (mode === "auto" && handle.kind === "pglite")) {
    const { seedDemoIfEmpty } = await import("@/db/seed/demo");
    const seeded = await seedDemoIfEmpty(handle.db, { onProgress: (m) => log.info(m) });
    if (seeded) {
      log.info("seeded the demo workspace because the database was empty", { ...seeded });
    }
  }
  return handle.db;
}
