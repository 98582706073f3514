/**
 * POST /api/v1/leads through the real route handler, against a real database: routing results, idempotency (also
 * under concurrency), and hostile input — each answered as specified with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/leads/route";
import { recoverUnprocessedLeads } from "@/server/services/ingest/ingest-lead.service";
import { createApiKey } from "@/server/services/sources.service";
import { BASE, createApiTestEnv, jsonRequest, leadBody } from "../support/api";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
beforeAll(async () => { env = await createApiTestEnv(); });
afterAll(async () => env?.close());

async function counts() {
  const [leads, events] = await Promise.all([
    env.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    env.db.selectFrom("lead_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { leads: leads.n, events: events.n };
}

async function expectRejected(req: Request, status: number, field?: string) {
  const before = await counts();
  const res = await POST(req);
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as { status: number; detail: string; errors?: Record<string, string[]> };
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(5);
  if (field !== undefined) expect(Object.keys(body.errors ?? {})).toContain(field);
  expect(await counts()).toEqual(before);
  return body;
}

describe("a valid lead", () => {
  it("is routed and answered 201 with route path, owner, SLA due time and a trace link", async () => {
    const res = await POST(jsonRequest("/api/v1/leads", leadBody()));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ status: "assigned", routePath: "ae-direct", queue: null, duplicateOf: null });
    expect(body.owner.email).toMatch(/@demo\.switchyard\.dev$/);
    expect(new Date(body.slaDueAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(body.traceUrl).toBe(`${BASE}/leads/${body.leadId}`);
    expect(res.headers.get("location")).toBe(`${BASE}/api/v1/leads/${body.leadId}`);

    const types = (await env.db.selectFrom("lead_events").select("type").where("lead_id", "=", body.leadId).orderBy("id").execute()).map((e) => e.type);
    expect(types).toEqual(["received", "validated", "enriched", "classified", "scored", "decided", "assigned", "task_created"]);
    const lead = await env.db.selectFrom("leads").selectAll().where("id", "=", body.leadId).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ status: "assigned", route_path_key: "ae-direct", country: "US", region: "NA", category: "sales_enterprise", priority_tier: "P1" });
    expect(lead.facts).toMatchObject({ category: "sales_enterprise", employees: 3000, region: "NA", lead_source: "web", business_email: true });
    expect(lead.table_version_id).not.toBeNull();
    const task = await env.db.selectFrom("lead_tasks").select(["rep_id", "status"]).where("lead_id", "=", body.leadId).executeTakeFirstOrThrow();
    expect(task).toEqual({ rep_id: body.owner.id, status: "open" });
  });

  it("matches an existing account by email domain and gives an owned account to its owner", async () => {
    const account = await env.db.selectFrom("accounts").select(["name", "domain", "owner_rep_id"]).where("owner_rep_id", "is not", null).where("customer_status", "=", "customer").executeTakeFirstOrThrow();
    const res = await POST(jsonRequest("/api/v1/leads", leadBody({ contact: { email: `buyer@${account.domain}` }, company: { name: account.name } })));
    const body = await res.json();
    const enriched = await env.db.selectFrom("lead_events").select("data").where("lead_id", "=", body.leadId).where("type", "=", "enriched").executeTakeFirstOrThrow();
    expect(enriched.data).toMatchObject({ match: "domain", accountName: account.name, customer: true });
    const owner = await env.db.selectFrom("reps").select("active").where("id", "=", account.owner_rep_id!).executeTakeFirstOrThrow();
    if (owner.active) expect([account.owner_rep_id, null]).toContain(body.owner?.id ?? null);
  });

  it("keeps an explicit form answer over the classifier", async () => {
    const res = await POST(jsonRequest("/api/v1/leads", leadBody({ answers: { category: "support_request" }, message: "pricing for an enterprise demo please" })));
    const body = await res.json();
    expect(body.routePath).toBe("support");
    const lead = await env.db.selectFrom("leads").select(["category", "classifier", "facts"]).where("id", "=", body.leadId).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ category: "support_request", classifier: "form" });
  });

  it("sends junk to the junk route, never to a rep", async () => {
    const res = await POST(jsonRequest("/api/v1/leads", { contact: { email: "asdf@mailinator.com", firstName: "Test", lastName: "Test" }, company: { name: "asdf" }, message: "asdfasdf" }));
    const body = await res.json();
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ status: "junk", routePath: "junk", owner: null });
  });

  it("merges the same person within the window into the open inquiry", async () => {
    const first = await (await POST(jsonRequest("/api/v1/leads", leadBody({ contact: { email: "repeat.person@northstar-health.com" } })))).json();
    const again = await POST(jsonRequest("/api/v1/leads", leadBody({ contact: { email: "Repeat.Person@northstar-health.com" }, message: "Following up on my earlier note." })));
    const body = await again.json();
    expect(again.status).toBe(201);
    expect(body).toMatchObject({ status: "duplicate", duplicateOf: first.leadId, routePath: null, owner: null });
    const note = await env.db.selectFrom("lead_events").select("data").where("lead_id", "=", first.leadId).where("type", "=", "note").executeTakeFirstOrThrow();
    expect(JSON.stringify(note.data)).toContain("Following up");
  });

  it("stores SQL and HTML in text fields verbatim, as data", async () => {
    const evil = `Robert'); DROP TABLE leads;-- <script>alert(1)</script> <img src=x onerror=alert(2)>`;
    const res = await POST(jsonRequest("/api/v1/leads", leadBody({ message: evil, contact: { firstName: "<b>Bobby</b>", lastName: "'; --" }, company: { name: "Acme\" OR 1=1 --" } })));
    expect(res.status).toBe(201);
    const { leadId } = await res.json();
    const lead = await env.db.selectFrom("leads").select(["message", "first_name", "last_name", "company"]).where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead.message).toBe(evil);
    expect(lead.first_name).toBe("<b>Bobby</b>");
    expect(await env.db.selectFrom("leads").select("id").limit(1).execute()).toHaveLength(1); // the table is still there
  });

  it("accepts unicode edge cases", async () => {
    for (const name of ["王伟", "Σωκράτης", "Zoë\u200b", "עִבְרִית", "👩🏽‍💻 Dev", "e\u0301lodie"]) {
      const res = await POST(jsonRequest("/api/v1/leads", leadBody({ contact: { firstName: name }, message: `Bonjour 👋 — ${name} wants a démo ✓` })));
      expect(res.status).toBe(201);
    }
  });
});

describe("idempotency", () => {
  it("returns the original result for a retry with the same Idempotency-Key", async () => {
    const body = leadBody();
    const first = await POST(jsonRequest("/api/v1/leads", body, { "idempotency-key": "evt-retry-1" }));
    const second = await POST(jsonRequest("/api/v1/leads", body, { "idempotency-key": "evt-retry-1" }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const a = await first.json();
    const b = await second.json();
    expect(b).toEqual(a);
  });

  it("creates exactly one lead for 10 concurrent deliveries of the same event id", async () => {
    const body = leadBody({ eventId: "evt-concurrent-10" });
    const responses = await Promise.all(Array.from({ length: 10 }, () => POST(jsonRequest("/api/v1/leads", body))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).leadId)));
    expect(ids.size).toBe(1);
    const stored = await env.db.selectFrom("leads").select("id").where("idempotency_key", "=", "api:evt-concurrent-10").execute();
    expect(stored).toHaveLength(1);
    const assigned = await env.db.selectFrom("lead_events").select("id").where("lead_id", "=", stored[0]!.id).where("type", "=", "assigned").execute();
    expect(assigned.length).toBeLessThanOrEqual(1);
  });
});

describe("hostile and malformed requests store nothing", () => {
  it("401 without or with a bad API key", async () => {
    const noKey = new Request(`${BASE}/api/v1/leads`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(leadBody()) });
    await expectRejected(noKey, 401, "authorization");
    await expectRejected(jsonRequest("/api/v1/leads", leadBody(), { authorization: "Bearer sy_nope_nope" }), 401, "authorization");
    await expectRejected(jsonRequest("/api/v1/leads", leadBody(), { authorization: "Basic Zm9vOmJhcg==" }), 401);
  });

  it("415 for a wrong content type", async () => {
    await expectRejected(jsonRequest("/api/v1/leads", "email=a@b.co", { "content-type": "application/x-www-form-urlencoded" }), 415, "content-type");
  });

  it("413 for a 2 MB body", async () => {
    const big = JSON.stringify(leadBody({ message: "x".repeat(2 * 1024 * 1024) }));
    await expectRejected(jsonRequest("/api/v1/leads", big), 413);
  });

  it("400 for malformed JSON, deep nesting and __proto__ keys", async () => {
    await expectRejected(jsonRequest("/api/v1/leads", '{"contact": {"email": "a@b.co"'), 400);
    let deep: unknown = { email: "a@b.co" };
    for (let i = 0; i < 200; i++) deep = { a: deep };
    await expectRejected(jsonRequest("/api/v1/leads", { ...leadBody(), answers: deep }), 400);
    await expectRejected(jsonRequest("/api/v1/leads", `{"contact":{"email":"a@b.co"},"__proto__":{"admin":true}}`), 400, "__proto__");
    await expectRejected(jsonRequest("/api/v1/leads", `{"contact":{"email":"a@b.co","constructor":{"prototype":{}}}}`), 400);
  });

  it("400 with field paths for wrong types and missing contact", async () => {
    const body = await expectRejected(jsonRequest("/api/v1/leads", { contact: { email: 42 }, company: { employees: -5 }, submittedAt: "yesterday" }), 400);
    expect(Object.keys(body.errors!)).toEqual(expect.arrayContaining(["contact.email", "company.employees", "submittedAt"]));
    await expectRejected(jsonRequest("/api/v1/leads", { contact: { firstName: "No Email" } }), 400, "contact.email");
    await expectRejected(jsonRequest("/api/v1/leads", { ...leadBody(), unexpected: true }), 400);
    await expectRejected(jsonRequest("/api/v1/leads", [leadBody()]), 400);
    await expectRejected(jsonRequest("/api/v1/leads", leadBody(), { "idempotency-key": "k".repeat(300) }), 400, "idempotency-key");
  });

  it("429 once a key's rate limit is spent", async () => {
    const { key } = await createApiKey(env.db, { userId: null, workspaceId: env.workspaceId }, { name: "tight", rateLimitPerMinute: 3 });
    const auth = { authorization: `Bearer ${key}` };
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await POST(jsonRequest("/api/v1/leads", leadBody(), auth))).status);
    expect(results).toEqual([201, 201, 201]);
    const before = await counts();
    const limited = await POST(jsonRequest("/api/v1/leads", leadBody(), auth));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });
});

describe("durability", () => {
  it("finishes a lead that was captured but never routed (a crash between the two)", async () => {
    const ws = await env.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow();
    const input = leadBody();
    const lead = await env.db.insertInto("leads").values({
      workspace_id: ws.id, raw_payload: JSON.stringify(input), facts: "{}", received_at: new Date(Date.now() - 60_000), created_at: new Date(Date.now() - 60_000), idempotency_key: "api:crashed-1",
    }).returning("id").executeTakeFirstOrThrow();
    await env.db.insertInto("lead_events").values({ workspace_id: ws.id, lead_id: lead.id, type: "received", occurred_at: new Date(Date.now() - 60_000), data: JSON.stringify({ input }) }).execute();
    const recovered = await recoverUnprocessedLeads({ db: env.db, now: () => new Date() });
    expect(recovered).toBeGreaterThanOrEqual(1);
    const row = await env.db.selectFrom("leads").select(["status", "route_path_key"]).where("id", "=", lead.id).executeTakeFirstOrThrow();
    expect(row.status).not.toBe("new");
    expect(row.route_path_key).toBe("ae-direct");
    // The sender's retry of that request now returns the routed lead.
    const retry = await POST(jsonRequest("/api/v1/leads", input, { "idempotency-key": "crashed-1" }));
    expect(retry.status).toBe(200);
    expect((await retry.json()).leadId).toBe(lead.id);
  });
});

describe("GET /api/v1/leads/{id}", () => {
  it("returns the lead's current result to its own workspace's key, 404 otherwise", async () => {
    const { GET } = await import("@/app/api/v1/leads/[id]/route");
    const created = await (await POST(jsonRequest("/api/v1/leads", leadBody()))).json();
    const get = (id: string, headers: Record<string, string> = {}) =>
      GET(new Request(`${BASE}/api/v1/leads/${id}`, { headers: { authorization: jsonRequest("/x", {}).headers.get("authorization")!, ...headers } }), { params: Promise.resolve({ id }) });
    const res = await get(created.leadId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
    expect((await get("00000000-0000-4000-8000-000000000009")).status).toBe(404);
    expect((await get("nope")).status).toBe(404);
    expect((await get(created.leadId, { authorization: "Bearer sy_bad_bad" })).status).toBe(401);
  });
});
