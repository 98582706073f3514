/**
 * The secret that signs session tokens. AUTH_SECRET wins. On the embedded database with none set, a random one
 * is generated on first start and kept in `.data/auth-secret` (0600) so sessions survive restarts. With
 * DATABASE_URL set, a missing AUTH_SECRET is a configuration error: the app refuses to start and says so.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "@/db/data-dir";
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
  let existing: string | null = null;
  try {
    existing = readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (existing !== null) {
    // Never silently replace a secret: it signs sessions and encrypts every source's webhook secret.
    if (existing.length < 32) throw new ConfigError(`${file} holds no usable secret (${existing.length} characters). Restore it, or delete it to start over (sessions and source secrets are then lost).`);
    return (cached = existing);
  }
  ensurePrivateDir(e.dataDir);
  const secret = randomBytes(32).toString("base64url");
  // Written to a temporary file and renamed, so a crash never leaves a half-written secret behind.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, secret + "\n", { mode: 0o600, flag: "wx" });
  renameSync(tmp, file);
  return (cached = secret);
}
