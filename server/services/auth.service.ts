/**
 * Credential checks and the signed-in user as the rest of the server sees it. Auth.js calls `authenticate` from
 * its Credentials provider; tRPC and the page guards call `loadSessionUser` on every request so a deactivated
 * user or a changed role takes effect immediately, not when the token expires.
 */
import "server-only";
import type { Kysely } from "kysely";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { z } from "zod";
import type { Database } from "@/db/types";
import type { Role } from "@/lib/auth/permissions";
import { dummyPasswordHash, verifyPassword } from "../auth/password";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string;
  workspaceName: string;
  /** The rep this user is (required for sales users). */
  repId: string | null;
}

export const Credentials = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address." })),
  password: z.string().min(1, { error: "Enter your password." }).max(512),
});

// Brute-force brakes (per process): 10 failed attempts per email and 50 per client address per 15 minutes, then
// refuse for the rest of the window. The address limit stops one password being tried across many accounts.
const failures = new RateLimiterMemory({ points: 10, duration: 15 * 60, keyPrefix: "signin" });
const addressFailures = new RateLimiterMemory({ points: 50, duration: 15 * 60, keyPrefix: "signin-ip" });

export type AuthResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "locked" };

export async function authenticate(db: Kysely<Database>, raw: unknown, clientAddress?: string | null): Promise<AuthResult> {
  const parsed = Credentials.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const state = await failures.get(email);
  if (state && state.remainingPoints <= 0) return { ok: false, reason: "locked" };
  if (clientAddress) {
    const byAddress = await addressFailures.get(clientAddress);
    if (byAddress && byAddress.remainingPoints <= 0) return { ok: false, reason: "locked" };
  }

  const row = await db
    .selectFrom("users")
    .innerJoin("workspaces", "workspaces.id", "users.workspace_id")
    .select([
      "users.id", "users.email", "users.name", "users.role", "users.workspace_id", "users.rep_id",
      "users.password_hash", "users.active", "workspaces.name as workspace_name",
    ])
    .where("users.email", "=", email)
    .executeTakeFirst();
  // Always spend the same KDF time, whether or not the user exists.
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
  if (!row || !ok || !row.active) {
    await failures.consume(email).catch(() => undefined);
    if (clientAddress) await addressFailures.consume(clientAddress).catch(() => undefined);
    return { ok: false, reason: "invalid" };
  }
  await failures.delete(email);
  await db.updateTable("users").set({ last_sign_in_at: new Date() }).where("id", "=", row.id).execute();
  return {
    ok: true,
    user: {
      id: row.id, email: row.email, name: row.name, role: row.role, workspaceId: row.workspace_id,
      workspaceName: row.workspace_name, repId: row.rep_id,
    },
  };
}

/** The current state of a signed-in user, or null if they no longer exist or were deactivated. */
export async function loadSessionUser(db: Kysely<Database>, userId: string): Promise<SessionUser | null> {
  if (!z.uuid().safeParse(userId).success) return null;
  const row = await db
    .selectFrom("users")
    .innerJoin("workspaces", "workspaces.id", "users.workspace_id")
    .select(["users.id", "users.email", "users.name", "users.role", "users.workspace_id", "users.rep_id", "users.active", "workspaces.name as workspace_name"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!row || !row.active) return null;
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, workspaceId: row.workspace_id,
    workspaceName: row.workspace_name, repId: row.rep_id,
  };
}
