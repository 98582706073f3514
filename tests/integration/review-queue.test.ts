/** The review queue's actions: assign by hand, mark junk, correct facts and re-route by the table. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/leads/route";
import { createCaller } from "@/server/trpc/root";
import { loadSessionUser } from "@/server/services/auth.service";
import { createApiTestEnv, jsonRequest, leadBody } from "../support/api";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
let ops: ReturnType<typeof createCaller>;
let growth: ReturnType<typeof createCaller>;

beforeAll(async () => {
  env = await createApiTestEnv();
  // Make the AI guard bite: AE direct and SDR queue now need certainty, which no classifier claims.
  await env.db.updateTable("route_paths").set({ confidence_threshold: 1 }).where("key", "in", ["ae-direct", "sdr-queue"]).execute();
  const user = async (email: string) => loadSessionUser(env.db, (await env.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
  ops = createCaller({ db: env.db, user: await user("ops@demo.switchyard.dev"), now: () => new Date() });
  growth = createCaller({ db: env.db, user: await user("growth@demo.switchyard.dev"), now: () => new Date() });
});
afterAll(async () => env?.close());

async function heldLead() {
  const res = await POST(jsonRequest("/api/v1/leads", leadBody()));
  const body = await res.json();
  expect(body).toMatchObject({ status: "in_review", routePath: "review", queue: "review" });
  expect(body.reviewReason).toMatch(/below AE direct's threshold of 100%/);
  return body.leadId as string;
}

describe("review queue", () => {
  it("holds low-confidence leads with the reason, the proposed route and a review SLA", async () => {
    const leadId = await heldLead();
    const queue = await ops.review.queue({ reason: "low_confidence" });
    const item = queue.items.find((i) => i.lead_id === leadId)!;
    expect(item).toMatchObject({ reason_code: "low_confidence", proposedRoute: "ae-direct" });
    expect(item.due_at).not.toBeNull();
    expect(queue.byReason.find((r) => r.reason_code === "low_confidence")!.n).toBeGreaterThanOrEqual(1);
    await expect(growth.review.queue({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("assigns by hand: resolved, owner set, SLA from the proposed route, task created", async () => {
    const leadId = await heldLead();
    const rep = await env.db.selectFrom("reps").select(["id", "team_id"]).where("role", "=", "ae").where("active", "=", true).executeTakeFirstOrThrow();
    await ops.review.assign({ leadId, repId: rep.id });
    const lead = await env.db.selectFrom("leads").selectAll().where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ status: "assigned", owner_rep_id: rep.id, team_id: rep.team_id, route_path_key: "review", ever_in_review: true });
    expect(lead.sla_due_at).not.toBeNull();
    const item = await env.db.selectFrom("review_items").select(["status", "resolved_by"]).where("lead_id", "=", leadId).executeTakeFirstOrThrow();
    expect(item.status).toBe("resolved");
    await expect(ops.review.assign({ leadId, repId: rep.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(ops.review.assign({ leadId, repId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("corrects the category, stores the label and re-routes by the table", async () => {
    const leadId = await heldLead();
    const result = await ops.review.correct({ leadId, correction: { category: "partner_request", note: "They are a reseller" } });
    expect(result).toMatchObject({ outcome: "assigned", route: "partner" });
    const lead = await env.db.selectFrom("leads").select(["status", "category", "classifier", "route_path_key"]).where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead).toEqual({ status: "assigned", category: "partner_request", classifier: "human", route_path_key: "review" });
    const label = await env.db.selectFrom("classification_labels").select(["label", "source"]).where("lead_id", "=", leadId).executeTakeFirstOrThrow();
    expect(label).toEqual({ label: "partner_request", source: "review" });
    const types = (await env.db.selectFrom("lead_events").select("type").where("lead_id", "=", leadId).orderBy("id").execute()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["fact_corrected", "rerouted", "review_resolved", "assigned"]));
  });

  it("rejects invalid corrections with field errors and changes nothing", async () => {
    const leadId = await heldLead();
    await expect(ops.review.correct({ leadId, correction: { country: "Germany" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(ops.review.correct({ leadId, correction: { category: "made_up" as never } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const item = await env.db.selectFrom("review_items").select("status").where("lead_id", "=", leadId).executeTakeFirstOrThrow();
    expect(item.status).toBe("open");
  });

  it("marks junk: out of the queue, never to a rep, labelled spam", async () => {
    const leadId = await heldLead();
    await ops.review.markJunk({ leadId });
    const lead = await env.db.selectFrom("leads").select(["status", "owner_rep_id", "is_junk"]).where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead).toEqual({ status: "junk", owner_rep_id: null, is_junk: true });
    const label = await env.db.selectFrom("classification_labels").select("label").where("lead_id", "=", leadId).executeTakeFirstOrThrow();
    expect(label.label).toBe("spam");
  });
});
