/**
 * Server start: refuse unsafe configuration, then migrate (and on an empty database seed) in the background so the
 * first page load does not pay for it; requests await the same preparation.
 */
import "server-only";
import { getDb } from "./db";
import { log } from "./log";

export async function onServerStart(): Promise<void> {
  if (process.env.DATABASE_URL && !process.env.AUTH_SECRET) {
    log.error("AUTH_SECRET is required when DATABASE_URL is set. Generate one with `openssl rand -base64 32`, set it, and start again.");
    process.exit(1);
  }
  getDb().catch((error: unknown) => {
    log.error("database preparation failed", { error: error instanceof Error ? error.message : String(error) });
  });
}
