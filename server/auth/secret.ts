/**
 * The secret that signs session tokens. AUTH_SECRET wins. On the embedded database with none set, a random one
 * is generated on first start and kept in `.data/auth-secret` (0600) so sessions survive restarts. With
 * DATABASE_URL set, a missing AUTH_SECRET is a configuration error: the app refuses to start and says so.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors";
import { env } from "../env";

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  const e = env();
  if (e.AUTH_SECRET) return (cached = e.AUTH_SECRET);
  if (e.DATABASE_URL) {
    throw new ConfigError(
      "AUTH_SECRET is required when DATABASE_URL is set. Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  const file = path.join(e.dataDir, "auth-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return (cached = existing);
  } catch {
    // not there yet: create it below
  }
  mkdirSync(e.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "w" });
  return (cached = secret);
}
