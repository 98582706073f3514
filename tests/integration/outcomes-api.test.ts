/** POST /api/v1/leads/{id}/events: idempotent, validated against the lead's state, ordered by occurred-at. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postLead } from "@/app/api/v1/leads/route";
import { POST as postEvent } from "@/app/api/v1/leads/[id]/events/route";
import { createApiTestEnv, jsonRequest, leadBody } from "../support/api";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
beforeAll(async () => { env = await createApiTestEnv(); });
afterAll(async () => env?.close());

async function newLead(overrides: Record<string, unknown> = {}) {
  const res = await postLead(jsonRequest("/api/v1/leads", leadBody(overrides)));
  expect(res.status).toBe(201);
  return (await res.json()) as { leadId: string; owner: { id: string; email: string } | null; routePath: string };
}

function event(leadId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postEvent(jsonRequest(`/api/v1/leads/${leadId}/events`, body, headers), { params: Promise.resolve({ id: leadId }) });
}

async function lead(id: string) {
  return env.db.selectFrom("leads").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("outcome events", () => {
  it("records first touch, acceptance, meeting and opportunity, and projects them on the lead", async () => {
    const l = await newLead();
    const start = Date.now() + 1000; // after receipt, within the 5-minute future tolerance
    const t = (step: number) => new Date(start + step * 10_000).toISOString();
    expect((await event(l.leadId, { type: "first_touch", occurredAt: t(1), eventId: "crm-1" })).status).toBe(201);
    expect((await event(l.leadId, { type: "accepted", occurredAt: t(2) })).status).toBe(201);
    expect((await event(l.leadId, { type: "meeting_booked", occurredAt: t(3) })).status).toBe(201);
    expect((await event(l.leadId, { type: "opportunity_created", amount: 42_000, currency: "USD", occurredAt: t(4) })).status).toBe(201);
    const row = await lead(l.leadId);
    expect(row).toMatchObject({ status: "working", decision: "accepted", opportunity_amount: 42_000 });
    expect(row.first_touch_at?.toISOString()).toBe(t(1));
    expect(row.meeting_booked_at?.toISOString()).toBe(t(3));
    const task = await env.db.selectFrom("lead_tasks").select("status").where("lead_id", "=", l.leadId).executeTakeFirstOrThrow();
    expect(task.status).toBe("done");
    expect((await event(l.leadId, { type: "closed_won", amount: 42_000, occurredAt: t(5) })).status).toBe(201);
    expect((await lead(l.leadId)).status).toBe("won");
  });

  it("is idempotent by event id, and refuses reusing an id for another type", async () => {
    const l = await newLead();
    const first = await event(l.leadId, { type: "first_touch", eventId: "crm-touch-7" });
    const again = await event(l.leadId, { type: "first_touch", eventId: "crm-touch-7" });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((await again.json()).eventId).toBe((await first.json()).eventId);
    expect((await event(l.leadId, { type: "meeting_booked", eventId: "crm-touch-7" })).status).toBe(409);
    const byHeader = await event(l.leadId, { type: "meeting_booked" }, { "idempotency-key": "hdr-1" });
    const byHeaderAgain = await event(l.leadId, { type: "meeting_booked" }, { "idempotency-key": "hdr-1" });
    expect([byHeader.status, byHeaderAgain.status]).toEqual([201, 200]);
  });

  it("applies late events in occurred-at order", async () => {
    const l = await newLead();
    const base = Date.now() + 1000;
    expect((await event(l.leadId, { type: "first_touch", occurredAt: new Date(base + 120_000).toISOString() })).status).toBe(201);
    expect((await event(l.leadId, { type: "first_touch", occurredAt: new Date(base + 30_000).toISOString() })).status).toBe(201);
    expect((await lead(l.leadId)).first_touch_at?.getTime()).toBe(base + 30_000);
  });

  it("re-routes a wrong-territory rejection to another rep and counts it as wrong assignment", async () => {
    const l = await newLead();
    const res = await event(l.leadId, { type: "rejected", reasonCode: "wrong_territory", comment: "I cover DACH" });
    expect(res.status).toBe(201);
    const body = await res.json();
    const row = await lead(l.leadId);
    expect(row.ever_wrong_assigned).toBe(true);
    if (body.reroutedTo && "repId" in body.reroutedTo) {
      expect(body.reroutedTo.repId).not.toBe(l.owner!.id);
      expect(row).toMatchObject({ status: "assigned", owner_rep_id: body.reroutedTo.repId });
      const reassigned = await env.db.selectFrom("lead_events").select(["rep_id", "reason_code"]).where("lead_id", "=", l.leadId).where("type", "=", "reassigned").executeTakeFirstOrThrow();
      expect(reassigned).toEqual({ rep_id: body.reroutedTo.repId, reason_code: "rejected_reroute" });
    } else {
      expect(row.status).toBe("in_review");
    }
  });

  it("a not-a-fit rejection closes the rep's decision without re-routing", async () => {
    const l = await newLead();
    expect((await event(l.leadId, { type: "rejected", reasonCode: "not_a_fit" })).status).toBe(201);
    expect(await lead(l.leadId)).toMatchObject({ status: "rejected", decision: "rejected", ever_wrong_assigned: false, owner_rep_id: l.owner!.id });
  });

  it("reassigns to a named rep", async () => {
    const l = await newLead();
    const other = await env.db.selectFrom("reps").select(["id", "email"]).where("id", "!=", l.owner!.id).where("role", "=", "ae").where("active", "=", true).executeTakeFirstOrThrow();
    expect((await event(l.leadId, { type: "reassigned", repEmail: other.email, reasonCode: "manual" })).status).toBe(201);
    expect(await lead(l.leadId)).toMatchObject({ owner_rep_id: other.id, status: "assigned", ever_wrong_assigned: false });
  });

  it("validates against the lead's state with field-level errors", async () => {
    const l = await newLead();
    const expectError = async (body: Record<string, unknown>, status: number, field?: string) => {
      const before = (await env.db.selectFrom("lead_events").select((eb) => eb.fn.countAll<number>().as("n")).where("lead_id", "=", l.leadId).executeTakeFirstOrThrow()).n;
      const res = await event(l.leadId, body);
      expect(res.status).toBe(status);
      const problem = await res.json();
      if (field) expect(Object.keys(problem.errors ?? {})).toContain(field);
      const after = (await env.db.selectFrom("lead_events").select((eb) => eb.fn.countAll<number>().as("n")).where("lead_id", "=", l.leadId).executeTakeFirstOrThrow()).n;
      expect(after).toBe(before);
    };
    await expectError({ type: "rejected" }, 400, "reasonCode");
    await expectError({ type: "rejected", reasonCode: "because" }, 400, "reasonCode");
    await expectError({ type: "rejected", reasonCode: "other" }, 400, "comment");
    await expectError({ type: "opportunity_created" }, 400, "amount");
    await expectError({ type: "opportunity_created", amount: 10, currency: "EUR" }, 400, "currency");
    await expectError({ type: "first_touch", amount: 10 }, 400, "amount");
    await expectError({ type: "exploded" }, 400, "type");
    await expectError({ type: "first_touch", occurredAt: new Date(Date.now() + 3_600_000).toISOString() }, 400, "occurredAt");
    await expectError({ type: "first_touch", occurredAt: "2001-01-01T00:00:00Z" }, 400, "occurredAt");
    await expectError({ type: "first_touch", repEmail: "nobody@nowhere.io" }, 400, "repEmail");
    await expectError({ type: "reassigned", reasonCode: "manual" }, 400, "repEmail");
    const someoneElse = await env.db.selectFrom("reps").select("email").where("id", "!=", l.owner!.id).executeTakeFirstOrThrow();
    await expectError({ type: "accepted", repEmail: someoneElse.email }, 409);
    const junk = await (await postLead(jsonRequest("/api/v1/leads", { contact: { email: "test@example.com", firstName: "Test", lastName: "Test" }, message: "test test" }))).json();
    const onJunk = await event(junk.leadId, { type: "first_touch" });
    expect(onJunk.status).toBe(409);
  });

  it("answers 404 for unknown leads and 401 without a key", async () => {
    expect((await event("00000000-0000-4000-8000-000000000001", { type: "first_touch" })).status).toBe(404);
    expect((await event("nope", { type: "first_touch" })).status).toBe(404);
    const l = await newLead();
    const res = await postEvent(new Request(`http://switchyard.test/api/v1/leads/${l.leadId}/events`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({ id: l.leadId }) });
    expect(res.status).toBe(401);
  });
});
