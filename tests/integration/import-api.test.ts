/** The import's edges: POST /api/imports (auth, media types, size, multipart streaming) and the tRPC procedures. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/server/services/auth.service";
import { loadSessionUser } from "@/server/services/auth.service";
import { provideDatabase } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { createCaller } from "@/server/trpc/root";
import { importCompletion } from "@/server/services/import/runner";
import { createImportTestEnv, FIXTURES, mappingFile, NOW, type ImportTestEnv } from "./import-support";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/server/auth/auth", () => ({ currentUser: async () => session.user }));

const { POST } = await import("@/app/api/imports/route");

let env: ImportTestEnv;
const users: Record<string, SessionUser> = {};
beforeAll(async () => {
  env = await createImportTestEnv(150);
  process.env.DATA_DIR = env.dataDir;
  resetEnvCache();
  provideDatabase({ db: env.db, kind: env.kind, location: "test", close: async () => undefined });
  for (const name of ["admin", "ops", "growth", "sales"]) {
    const row = await env.db.selectFrom("users").select("id").where("email", "=", `${name}@demo.switchyard.dev`).executeTakeFirstOrThrow();
    users[name] = (await loadSessionUser(env.db, row.id))!;
  }
});
afterAll(async () => {
  delete process.env.DATA_DIR;
  resetEnvCache();
  await env?.cleanup();
});

const BASE = "http://switchyard.test/api/imports";

function multipart(parts: Array<{ name: string; value: string; filename?: string; type?: string }>): { body: string; type: string } {
  const boundary = "----switchyard-test-7MA4YWxkTrZu0gW";
  const body = parts.map((p) => [
    `--${boundary}`,
    `Content-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}`,
    ...(p.type ? [`Content-Type: ${p.type}`] : []),
    "",
    p.value,
  ].join("\r\n")).join("\r\n") + `\r\n--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { status: number; detail: string; errors?: Record<string, string[]> };
}

function caller(user: SessionUser | null) {
  return createCaller({ db: env.db, user, now: () => NOW });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("POST /api/imports", () => {
  it("answers 401 without a session and 403 for roles that cannot edit settings", async () => {
    session.user = null;
    expect((await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv" }, body: "a\n1\n" }))).status).toBe(401);
    session.user = users.growth!;
    const res = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv" }, body: "a\n1\n" }));
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toMatch(/growth role cannot import/);
  });

  it("refuses other media types, a missing kind, binary files and empty files, with field errors", async () => {
    session.user = users.ops!;
    const json = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(json.status).toBe(415);
    expect((await problem(json)).errors).toHaveProperty("content-type");
    const noKind = await POST(new Request(BASE, { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b\n1,2\n" }));
    expect(noKind.status).toBe(400);
    expect((await problem(noKind)).errors).toHaveProperty("kind");
    const binary = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv" }, body: new Uint8Array([80, 75, 3, 4, 0, 0, 1]) }));
    expect(binary.status).toBe(415);
    const empty = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv" }, body: "" }));
    expect(empty.status).toBe(400);
    const noFile = multipart([{ name: "kind", value: "leads" }]);
    const res = await POST(new Request(BASE, { method: "POST", headers: { "content-type": noFile.type }, body: noFile.body }));
    expect(res.status).toBe(400);
    expect((await problem(res)).errors).toHaveProperty("file");
  });

  it("answers 413 past the size limit, while streaming, and keeps nothing", async () => {
    session.user = users.ops!;
    process.env.IMPORT_MAX_UPLOAD_MB = "0.01"; // 10 KB
    try {
      const big = `id,name\n${Array.from({ length: 2000 }, (_, i) => `${i},name ${i}`).join("\n")}\n`;
      const stream = new Blob([big]).stream(); // no Content-Length: the cap is enforced while reading
      const res = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv" }, body: stream, duplex: "half" } as RequestInit));
      expect(res.status).toBe(413);
      const declared = await POST(new Request(`${BASE}?kind=leads`, { method: "POST", headers: { "content-type": "text/csv", "content-length": String(big.length) }, body: big }));
      expect(declared.status).toBe(413);
    } finally {
      delete process.env.IMPORT_MAX_UPLOAD_MB;
    }
    const jobs = await env.db.selectFrom("import_jobs").select("id").where("filename", "=", "upload.csv").execute();
    expect(jobs).toEqual([]);
  });

  it("streams a multipart upload to disk and creates a pending job", async () => {
    session.user = users.ops!;
    const text = await readFile(path.join(FIXTURES, "leads-small.csv"), "utf8");
    const form = multipart([{ name: "kind", value: "leads" }, { name: "file", value: text, filename: "leads-small.csv", type: "text/csv" }]);
    const res = await POST(new Request(BASE, { method: "POST", headers: { "content-type": form.type }, body: form.body }));
    expect(res.status).toBe(201);
    const { job } = (await res.json()) as { job: { id: string; kind: string; filename: string; totalRows: number; bytes: number } };
    expect(job).toMatchObject({ kind: "leads", filename: "leads-small.csv", totalRows: 12, bytes: Buffer.byteLength(text) });
    const stored = await readFile(path.join(env.dataDir, "imports", `${job.id}.csv`), "utf8");
    expect(stored).toBe(text);
    const row = await env.db.selectFrom("import_jobs").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", kind: "leads", total_rows: 12 });
  });
});

describe("tRPC import procedures", () => {
  let jobId: string;
  beforeAll(async () => {
    session.user = users.ops!;
    const text = await readFile(path.join(FIXTURES, "leads-small.csv"));
    const res = await POST(new Request(`${BASE}?kind=leads&filename=fixture.csv`, { method: "POST", headers: { "content-type": "text/csv" }, body: text }));
    jobId = ((await res.json()) as { job: { id: string } }).job.id;
  });

  it("are for admin and ops only", async () => {
    expect(await code(caller(null).import.list())).toBe("UNAUTHORIZED");
    expect(await code(caller(users.growth!).import.list())).toBe("FORBIDDEN");
    expect(await code(caller(users.sales!).import.get({ id: jobId }))).toBe("FORBIDDEN");
    expect(await code(caller(users.admin!).import.list())).toBe("OK");
  });

  it("analyses the file: detected types with samples and a suggested mapping", async () => {
    const a = await caller(users.ops!).import.analyze({ id: jobId });
    expect(a.headers[0]).toBe("lead_id");
    expect(a.delimiter).toBe(",");
    const type = (name: string) => a.columns.find((c) => c.name === name);
    expect(type("created_at")).toMatchObject({ type: "datetime", format: "yyyy-MM-dd HH:mm:ss" });
    expect(type("email")?.type).toBe("email");
    expect(type("status")).toMatchObject({ type: "categorical" });
    expect(type("status")?.values?.map((v) => v.value)).toContain("Won");
    expect(a.suggestion.fields).toMatchObject({ external_id: { column: "lead_id" }, received_at: { column: "created_at" }, email: { column: "email" } });
    expect(a.workspace).toEqual({ timeZone: "America/New_York", currency: "USD" });
    expect(a.routePaths).toContain("ae-direct");
    expect(a.targets.find((t) => t.key === "received_at")?.required).toBe(true);
  });

  it("validates a mapping with field errors", async () => {
    try {
      await caller(users.ops!).import.preview({ id: jobId, mapping: { kind: "leads", fields: { email: { column: "nope" } } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TRPCError);
      expect((e as TRPCError).code).toBe("BAD_REQUEST");
      expect((e as TRPCError).message).toMatch(/no column "nope"/);
    }
    expect(await code(caller(users.ops!).import.preview({ id: jobId, mapping: { kind: "reps", fields: {} } }))).toBe("BAD_REQUEST");
    expect(await code(caller(users.ops!).import.get({ id: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");
  });

  it("previews the first rows exactly as the import will treat them, without writing", async () => {
    const before = await env.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const mapping = await mappingFile(path.join(FIXTURES, "leads-small.mapping.json"));
    const p = await caller(users.ops!).import.preview({ id: jobId, mapping });
    expect(p.rows).toHaveLength(12);
    expect(p.rows.filter((r) => !r.ok).map((r) => r.row)).toEqual([7, 8, 9, 10, 11, 12]);
    const first = p.rows[0]!;
    expect(first.values).toMatchObject({ external_id: "F-001", received_at: "2025-06-02T13:00:00Z", opportunity_amount: "12000" });
    expect(first.outcome).toMatchObject({ action: "insert", status: "won", route: "ae-direct", owner: "Maya Chen <maya.chen@demo.switchyard.dev>" });
    expect(first.outcome?.events).toEqual(["received", "decided", "assigned", "first_touch", "accepted", "meeting_booked", "opportunity_created", "closed_won"]);
    expect(p.rows[7]!.errors[0]).toMatchObject({ row: 8, column: "owner_email", field: "owner" });
    const after = await env.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("starts, runs in the background, and lists the finished job", async () => {
    const mapping = await mappingFile(path.join(FIXTURES, "leads-small.mapping.json"));
    const started = await caller(users.ops!).import.start({ id: jobId, mapping });
    expect(["running", "done"]).toContain(started.status);
    await importCompletion(jobId);
    const job = await caller(users.ops!).import.get({ id: jobId });
    expect(job).toMatchObject({ status: "done", processedRows: 12, errorCount: 6, active: false, interrupted: false });
    expect(job.mapping?.fields.received_at).toEqual({ column: "created_at", format: "yyyy-MM-dd HH:mm:ss" });
    const list = await caller(users.ops!).import.list();
    expect(list.find((j) => j.id === jobId)).toMatchObject({ status: "done", filename: "fixture.csv", errorCount: 6 });
    expect(await code(caller(users.ops!).import.resume({ id: jobId }))).toBe("CONFLICT");
    expect(await code(caller(users.ops!).import.pause({ id: jobId }))).toBe("CONFLICT");
  });
});
