/**
 * Alerts beyond the bell, against receivers on 127.0.0.1: a Slack-compatible incoming-webhook receiver (the team
 * channel gets the breach) and a CRM webhook receiver that verifies every message with the Standard Webhooks
 * reference library (lead.assigned with the owner and the task, sla.reminder, sla.breached). With the receiver down,
 * a delivery is retried with backoff until it is dead; a retry from the dead letters then delivers it once.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { LeadInput } from "@/lib/ingest/lead-input";
import { OutboundWebhookMessage } from "@/lib/sla/outbound";
import { encryptSecret } from "@/server/auth/crypto";
import { jobHandlers } from "@/server/jobs/handlers";
import { JobWorker } from "@/server/jobs/worker";
import { claimJobs, retryDeadJobs } from "@/server/repositories/jobs.repository";
import { alertSettings, createOutboundWebhook, retryDeadLetters, setTeamSlack } from "@/server/services/notifications/alert-settings.service";
import { ZodError } from "zod";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { clearRoutingContextCache } from "@/server/services/ingest/routing-context";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const SECRET = `whsec_${Buffer.from("switchyard-test-signing-key-32by").toString("base64")}`;

interface Received { headers: Record<string, string>; body: string }

/** An HTTP receiver on 127.0.0.1 that records what it is sent; `down` makes it answer 503. */
async function receiver(): Promise<{ url: string; got: Received[]; down: boolean; server: Server }> {
  const state = { url: "", got: [] as Received[], down: false, server: null as unknown as Server };
  state.server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (state.down) {
        res.writeHead(503).end("down for maintenance");
        return;
      }
      state.got.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => state.server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/hook`;
  return state;
}

let t: TestDatabase;
let workspaceId: string;
let slack: Awaited<ReturnType<typeof receiver>>;
let crm: Awaited<ReturnType<typeof receiver>>;
let clock = new Date("2026-05-04T14:00:00Z"); // Monday 10:00 in New York
const worker = () => new JobWorker(t.db, { handlers: jobHandlers, now: () => clock, workerId: "channels-test", random: () => 0 });

beforeAll(async () => {
  [slack, crm] = await Promise.all([receiver(), receiver()]);
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: new Date("2026-05-01T00:00:00Z"), leads: 200, days: 10 });
  clearRoutingContextCache();
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
  // The North American AE team's Slack channel, and a CRM endpoint subscribed to every event.
  const team = await t.db.selectFrom("teams").select(["id", "settings"]).where("key", "=", "ae-na").executeTakeFirstOrThrow();
  await t.db.updateTable("teams").set({ settings: json({ ...team.settings, slackWebhookCiphertext: encryptSecret(slack.url) }) }).where("id", "=", team.id).execute();
  await t.db.insertInto("outbound_webhooks").values({ workspace_id: workspaceId, name: "CRM", url: crm.url, secret_ciphertext: encryptSecret(SECRET), event_types: [] }).execute();
}, 240_000);
afterAll(async () => {
  await t?.close();
  slack?.server.close();
  crm?.server.close();
});

async function ingest(n: number) {
  return ingestLead({ db: t.db, now: () => clock }, {
    workspaceId, sourceId: null, idempotencyKey: null, raw: {},
    input: LeadInput.parse({
      contact: { email: `buyer${n}@bigbank-example.com`, firstName: "Bea", lastName: `Buyer${n}` }, company: { name: "BigBank", employees: 8000 },
      country: "US", message: "Demo for 300 seats, please.", answers: { category: "sales_enterprise" }, hints: { ownerEmail: "maya.chen@demo.switchyard.dev" },
    }),
  });
}

/** The CRM receiver's messages, each verified with the reference library (throws on a bad signature). */
function verified(): Array<{ id: string; type: string; data: Record<string, unknown> }> {
  const wh = new Webhook(SECRET);
  return crm.got.map((m) => {
    // Signed as documented, and shaped as the OpenAPI document's OutboundWebhookMessage says.
    const payload = OutboundWebhookMessage.parse(wh.verify(m.body, { "webhook-id": m.headers["webhook-id"]!, "webhook-timestamp": m.headers["webhook-timestamp"]!, "webhook-signature": m.headers["webhook-signature"]! }));
    return { id: m.headers["webhook-id"]!, type: payload.type, data: payload.data };
  });
}

describe("alert channels", () => {
  it("sends the CRM signed lead.assigned, sla.reminder and sla.breached, and the team's Slack channel the breach", async () => {
    // The webhook's timestamp must be near the real time for the reference library: run this one on the real clock.
    clock = new Date();
    const lead = await ingest(1);
    await worker().drain();
    let msgs = verified();
    expect(msgs.map((m) => m.type)).toEqual(["lead.assigned"]);
    const assigned = msgs[0]!.data as { owner: { email: string }; task: { title: string; dueAt: string }; leadId: string; link: string };
    expect(assigned.leadId).toBe(lead.leadId);
    expect(assigned.owner.email).toBe("maya.chen@demo.switchyard.dev");
    expect(assigned.task).toEqual({ id: expect.any(String), title: "First touch", dueAt: lead.slaDueAt!.toISOString() });
    expect(assigned.link).toMatch(new RegExp(`/leads/${lead.leadId}$`));

    // Bring the chain's first two steps forward to now (business hours may be hours away on the real clock).
    await t.db.updateTable("jobs").set({ run_at: clock }).where("lead_id", "=", lead.leadId).where("kind", "=", "sla.step")
      .where((eb) => eb(eb.ref("payload", "->>").key("stepIndex" as never), "in", ["0", "1"])).execute();
    await worker().drain();
    msgs = verified();
    expect(msgs.map((m) => m.type)).toEqual(["lead.assigned", "sla.reminder", "sla.breached"]);
    expect(new Set(msgs.map((m) => m.id)).size).toBe(3);
    expect(slack.got.length).toBe(1);
    const message = JSON.parse(slack.got[0]!.body) as { text: string; blocks: unknown[] };
    expect(message.text).toMatch(/^SLA passed: Bea Buyer1 \(BigBank\)/);
    expect(message.text).toContain(`/leads/${lead.leadId}|Open the lead in Switchyard>`);
    const log = await t.db.selectFrom("deliveries").select(["channel", "status", "attempts", "response_code"]).where("lead_id", "=", lead.leadId).where("channel", "<>", "in_app").orderBy("created_at").execute();
    expect(log.every((d) => d.status === "delivered" && d.attempts === 1 && d.response_code === 200)).toBe(true);
    expect(log.map((d) => d.channel).sort()).toEqual(["slack", "webhook", "webhook", "webhook"]);
  });

  it("receiver down: retried with backoff, dead after the last attempt; a retry from the dead letters delivers it once", async () => {
    crm.down = true;
    crm.got.length = 0;
    clock = new Date();
    const lead = await ingest(2);
    const w = worker();
    await w.drain();
    const deliveryOf = () => t.db.selectFrom("deliveries").select(["id", "status", "attempts", "last_error", "event_id"]).where("lead_id", "=", lead.leadId).where("channel", "=", "webhook").executeTakeFirstOrThrow();
    let d = await deliveryOf();
    expect([d.status, d.attempts, d.last_error]).toEqual(["retrying", 1, "HTTP 503 Service Unavailable"]);
    const job = () => t.db.selectFrom("jobs").select(["id", "status", "attempts", "run_at"]).where("lead_id", "=", lead.leadId).where("kind", "=", "deliver").executeTakeFirstOrThrow();
    // Each retry at its backoff (random 0: half of 10 s, 20 s, 40 s, …); 6 attempts in all.
    const delays: number[] = [];
    for (let attempt = 2; attempt <= 6; attempt++) {
      const j = await job();
      delays.push(new Date(j.run_at).getTime() - clock.getTime());
      clock = new Date(j.run_at);
      await w.drain();
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    d = await deliveryOf();
    expect([d.status, d.attempts]).toEqual(["dead", 6]);
    expect((await job()).status).toBe("dead");
    expect(crm.got).toEqual([]);

    crm.down = false;
    clock = new Date();
    expect(await retryDeadJobs(t.db, workspaceId, [(await job()).id], clock)).toBe(1);
    await w.drain();
    await w.drain();
    const msgs = verified();
    expect(msgs.map((m) => [m.type, m.id])).toEqual([["lead.assigned", d.event_id]]);
    expect((await deliveryOf()).status).toBe("delivered");
  });

  it("settings: bad endpoints and Slack URLs are refused field by field and change nothing; secrets are shown once", async () => {
    const ops = (await t.db.selectFrom("users").select("id").where("role", "=", "ops").executeTakeFirstOrThrow()).id;
    const actor = { userId: ops, workspaceId };
    const before = await alertSettings(t.db, workspaceId);
    const bad = await createOutboundWebhook(t.db, actor, { name: " ", url: "ftp://crm.example.com", eventTypes: ["lead.deleted"] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ZodError);
    expect((bad as ZodError).issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["name", "url", "eventTypes.0"]));
    const team = before.teams[0]!;
    const badSlack = await setTeamSlack(t.db, actor, { teamId: team.id, url: "not a url" }).catch((e: unknown) => e);
    expect((badSlack as ZodError).issues.map((i) => i.path.join("."))).toEqual(["url"]);
    const after = await alertSettings(t.db, workspaceId);
    expect(after.webhooks).toEqual(before.webhooks);
    expect(after.teams).toEqual(before.teams);

    const created = await createOutboundWebhook(t.db, actor, { name: "Task tool", url: "https://tasks.example.com/hook", eventTypes: ["sla.breached"] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const listed = (await alertSettings(t.db, workspaceId)).webhooks.find((w) => w.id === created.webhook.id)!;
    expect(listed).not.toHaveProperty("secret_ciphertext");
    expect(JSON.stringify(await alertSettings(t.db, workspaceId))).not.toContain(created.secret);
    await expect(retryDeadLetters(t.db, actor, "all", new Date())).rejects.toThrow("There is nothing to retry.");
  });

  it("a delivery whose worker died on every attempt is marked dead in the lead's delivery log", async () => {
    crm.down = false;
    clock = new Date();
    const lead = await ingest(3);
    // Worker A claims the delivery and is never heard of again (its only attempt: max 1).
    const job = await t.db.selectFrom("jobs").select("id").where("lead_id", "=", lead.leadId).where("kind", "=", "deliver").executeTakeFirstOrThrow();
    await t.db.updateTable("jobs").set({ max_attempts: 1 }).where("id", "=", job.id).execute();
    const claimed = await claimJobs(t.db, { workerId: "A", now: clock, limit: 100, leaseMs: 1_000 });
    expect(claimed.map((j) => j.id)).toContain(Number(job.id));
    clock = new Date(clock.getTime() + 5_000);
    await worker().drain();
    const d = await t.db.selectFrom("deliveries").select(["status", "last_error"]).where("lead_id", "=", lead.leadId).where("channel", "=", "webhook").executeTakeFirstOrThrow();
    expect(d).toEqual({ status: "dead", last_error: "the worker stopped before finishing, on every attempt" });
  });
});
