import "server-only";
import { sql } from "kysely";
import { databaseInfo, getDb } from "../db";
import { log } from "../log";

export interface Health {
  ok: boolean;
  database: { ok: boolean; kind?: string; latencyMs?: number; error?: string };
  version: string;
  time: string;
}

const TIMEOUT_MS = 5000;

/** Database reachability: runs `select 1` with a timeout. */
export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  const version = process.env.npm_package_version ?? "0.1.0";
  try {
    const probe = (async () => {
      const db = await getDb();
      await sql`select 1`.execute(db);
    })();
    await Promise.race([
      probe,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
    const info = databaseInfo();
    return {
      ok: true,
      database: { ok: true, kind: info?.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
      version,
      time: new Date().toISOString(),
    };
  } catch (error) {
    // The cause goes to the log, not to an unauthenticated caller (it may name hosts or credentials).
    log.error("health check: database unreachable", { error: error instanceof Error ? error.message : String(error) });
    return {
      ok: false,
      database: { ok: false, kind: databaseInfo()?.kind, error: "database unreachable" },
      version,
      time: new Date().toISOString(),
    };
  }
}
