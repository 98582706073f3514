import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { authenticate, loadSessionUser } from "@/server/services/auth.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

let t: TestDatabase;
let userId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const ws = await t.db.insertInto("workspaces").values({ slug: "auth-ws", name: "Auth WS", settings: json({}) }).returning("id").executeTakeFirstOrThrow();
  const hash = await hashPassword("correct horse battery staple");
  const u = await t.db.insertInto("users").values({ workspace_id: ws.id, email: "ops@example.com", name: "Ops", role: "ops", password_hash: hash, rep_id: null, preferences: json({}) }).returning("id").executeTakeFirstOrThrow();
  userId = u.id;
  await t.db.insertInto("users").values({ workspace_id: ws.id, email: "gone@example.com", name: "Gone", role: "growth", password_hash: hash, rep_id: null, active: false, preferences: json({}) }).execute();
});
afterAll(async () => t?.close());

describe("password hashing", () => {
  it("verifies the right password, rejects a wrong one and malformed hashes", async () => {
    const h = await hashPassword("s3cret");
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("s3cret", h)).toBe(true);
    expect(await verifyPassword("s3cret ", h)).toBe(false);
    expect(await verifyPassword("s3cret", "plain-text")).toBe(false);
    expect(await verifyPassword("s3cret", "scrypt$x$8$1$abc$def")).toBe(false);
    expect(await hashPassword("s3cret")).not.toBe(h); // salted
  });
});

describe("authenticate", () => {
  it("signs in with the right credentials (email case-insensitive) and records the sign-in", async () => {
    const r = await authenticate(t.db, { email: "  OPS@example.com ", password: "correct horse battery staple" });
    expect(r).toMatchObject({ ok: true, user: { id: userId, role: "ops", workspaceName: "Auth WS", repId: null } });
    const row = await t.db.selectFrom("users").select("last_sign_in_at").where("id", "=", userId).executeTakeFirstOrThrow();
    expect(row.last_sign_in_at).toBeInstanceOf(Date);
  });

  it("refuses wrong passwords, unknown and deactivated users, and malformed input alike", async () => {
    for (const creds of [
      { email: "ops@example.com", password: "wrong" },
      { email: "nobody@example.com", password: "correct horse battery staple" },
      { email: "gone@example.com", password: "correct horse battery staple" },
      { email: "not-an-email", password: "x" },
      { email: "ops@example.com" },
      null,
    ]) {
      expect(await authenticate(t.db, creds)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("locks an email out after 10 failures", async () => {
    const email = "ops-lock@example.com";
    for (let i = 0; i < 10; i++) expect((await authenticate(t.db, { email, password: "x" })).ok).toBe(false);
    expect(await authenticate(t.db, { email, password: "x" })).toEqual({ ok: false, reason: "locked" });
  });

  it("loads the current user fresh, and not a deactivated one", async () => {
    expect(await loadSessionUser(t.db, userId)).toMatchObject({ email: "ops@example.com", role: "ops" });
    expect(await loadSessionUser(t.db, "not-a-uuid")).toBeNull();
    await t.db.updateTable("users").set({ role: "growth" }).where("id", "=", userId).execute();
    expect(await loadSessionUser(t.db, userId)).toMatchObject({ role: "growth" });
    await t.db.updateTable("users").set({ active: false }).where("id", "=", userId).execute();
    expect(await loadSessionUser(t.db, userId)).toBeNull();
  });
});

describe("per-address brake", () => {
  it("locks an address after 50 failures across many emails", async () => {
    for (let i = 0; i < 50; i++) await authenticate(t.db, { email: `spray${i}@example.com`, password: "Winter2026!" }, "203.0.113.7");
    expect(await authenticate(t.db, { email: "ops@example.com", password: "whatever" }, "203.0.113.7")).toEqual({ ok: false, reason: "locked" });
    expect(await authenticate(t.db, { email: "nobody-else@example.com", password: "x" }, "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
  });
});
