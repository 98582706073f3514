/** The rep's inbox actions: the same outcome service as the API, own leads only for sales, field errors, idempotent per click. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSessionUser } from "@/server/services/auth.service";
import { createCaller } from "@/server/trpc/root";
import { POST } from "@/app/api/v1/leads/route";
import { createApiTestEnv, jsonRequest, leadBody } from "../support/api";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
let sales: ReturnType<typeof createCaller>;
let ops: ReturnType<typeof createCaller>;

beforeAll(async () => {
  env = await createApiTestEnv({ leads: 400, now: new Date() });
  const caller = async (email: string) => createCaller({ db: env.db, user: await loadSessionUser(env.db, (await env.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id), now: () => new Date() });
  sales = await caller("sales@demo.switchyard.dev");
  ops = await caller("ops@demo.switchyard.dev");
});
afterAll(async () => env?.close());

/** A fresh lead routed to Maya Chen (the sales demo user) through the API, by an explicit owner hint. */
async function assignedToMe(): Promise<string> {
  const rep = await env.db.selectFrom("users as u").innerJoin("reps as r", "r.id", "u.rep_id").select("r.email").where("u.email", "=", "sales@demo.switchyard.dev").executeTakeFirstOrThrow();
  const res = await POST(jsonRequest("/api/v1/leads", leadBody({ hints: { ownerEmail: rep.email } })));
  const body = (await res.json()) as { leadId: string; status: string };
  expect(body.status).toBe("assigned");
  return body.leadId;
}

async function eventsOf(leadId: string) {
  return env.db.selectFrom("lead_events").select(["type", "reason_code", "amount"]).where("lead_id", "=", leadId).orderBy("id").execute();
}

describe("inbox actions", () => {
  it("lets a rep accept, touch and book a meeting on their own lead, once per click", async () => {
    const leadId = await assignedToMe();
    const lead = (await sales.inbox.list({})).leads.find((l) => l.id === leadId);
    expect(lead).toBeTruthy();
    const r = await sales.inbox.act({ leadId: lead!.id, actionId: "click-accept-1", type: "accepted" });
    expect(r).toMatchObject({ status: "accepted", replayed: false });
    expect(await sales.inbox.act({ leadId: lead!.id, actionId: "click-accept-1", type: "accepted" })).toMatchObject({ replayed: true });
    await sales.inbox.act({ leadId: lead!.id, actionId: "click-touch-1", type: "first_touch" });
    await sales.inbox.act({ leadId: lead!.id, actionId: "click-meeting-1", type: "meeting_booked" });
    await sales.inbox.act({ leadId: lead!.id, actionId: "click-opp-1", type: "opportunity_created", amount: 48_000 });
    const types = (await eventsOf(lead!.id)).map((e) => e.type);
    expect(types.filter((t) => t === "accepted")).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(["first_touch", "meeting_booked", "opportunity_created"]));
    const row = await env.db.selectFrom("leads").select(["first_touch_at", "status"]).where("id", "=", lead!.id).executeTakeFirstOrThrow();
    expect(row.first_touch_at).not.toBeNull();
  });

  it("re-routes a wrong-territory rejection away from the rep, and counts it", async () => {
    const leadId = await assignedToMe();
    const lead = (await sales.inbox.list({})).leads.find((l) => l.id === leadId);
    expect(lead).toBeTruthy();
    const me = (await env.db.selectFrom("users").select("rep_id").where("email", "=", "sales@demo.switchyard.dev").executeTakeFirstOrThrow()).rep_id;
    const r = await sales.inbox.act({ leadId: lead!.id, actionId: "click-reject-1", type: "rejected", reasonCode: "wrong_territory" });
    expect(r.reroutedTo).not.toBeNull();
    expect(r.ownerRepId).not.toBe(me);
    const events = await eventsOf(lead!.id);
    expect(events.find((e) => e.type === "rejected")).toMatchObject({ reason_code: "wrong_territory" });
    expect((await sales.inbox.list({})).leads.map((l) => l.id)).not.toContain(lead!.id);
  });

  it("refuses bad input with field errors and another rep's lead, changing nothing", async () => {
    const inbox = await sales.inbox.list({});
    const lead = inbox.leads.find((l) => l.status === "assigned") ?? inbox.leads[0]!;
    const before = (await eventsOf(lead.id)).length;
    const noReason = await sales.inbox.act({ leadId: lead.id, actionId: "click-bad-1", type: "rejected" }).then(() => null, (e: unknown) => e);
    expect(noReason).toMatchObject({ code: "BAD_REQUEST" });
    expect((noReason as { cause?: { fields?: Record<string, string[]> } }).cause?.fields).toHaveProperty("reasonCode");
    await expect(sales.inbox.act({ leadId: lead.id, actionId: "click-bad-2", type: "opportunity_created", amount: -5 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await eventsOf(lead.id)).length).toBe(before);

    const others = await ops.inbox.list({});
    const someoneElses = (await Promise.all(others.reps.map((r) => ops.inbox.list({ repId: r.id })))).flatMap((x) => x.leads).find((l) => !inbox.leads.some((m) => m.id === l.id));
    expect(someoneElses).toBeTruthy();
    await expect(sales.inbox.act({ leadId: someoneElses!.id, actionId: "click-other-1", type: "accepted" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
