/**
 * POST /api/v1/sources/{id}/webhook for every source type, with known-good signatures (the Standard Webhooks
 * reference library as the sender) and hostile ones: bad and expired signatures, replays, unknown sources.
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/sources/[sourceId]/webhook/route";
import { DEMO_SOURCE_ID } from "@/db/seed/demo";
import { DEMO_API_KEY, DEMO_WEBHOOK_SECRET } from "@/db/seed/demo-users";
import { switchyardSignature } from "@/server/services/ingest/signatures";
import { createSource } from "@/server/services/sources.service";
import { BASE, createApiTestEnv, leadBody } from "../support/api";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
beforeAll(async () => { env = await createApiTestEnv(); });
afterAll(async () => env?.close());

function call(sourceId: string, body: string, headers: Record<string, string>) {
  return POST(new Request(`${BASE}/api/v1/sources/${sourceId}/webhook`, { method: "POST", headers, body }), { params: Promise.resolve({ sourceId }) });
}

async function leadCount() {
  return (await env.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
}

async function expectNothingStored(res: Promise<Response>, status: number) {
  const before = await leadCount();
  const r = await res;
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/problem+json");
  expect(await leadCount()).toBe(before);
  return r.json();
}

describe("Standard Webhooks source (the demo's)", () => {
  const wh = new Webhook(DEMO_WEBHOOK_SECRET);
  const send = (id: string, payload: unknown, at = new Date(), headersOverride: Record<string, string> = {}) => {
    const body = JSON.stringify(payload);
    const signature = wh.sign(id, at, body);
    return call(DEMO_SOURCE_ID, body, {
      "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature, ...headersOverride,
    });
  };

  it("accepts a lead signed by the reference library, and a {type, data} envelope", async () => {
    const res = await send("msg_sw_1", leadBody());
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.routePath).toBe("ae-direct");
    const lead = await env.db.selectFrom("leads").select(["source_id", "channel", "idempotency_key"]).where("id", "=", body.leadId).executeTakeFirstOrThrow();
    expect(lead).toEqual({ source_id: DEMO_SOURCE_ID, channel: "web", idempotency_key: `${DEMO_SOURCE_ID}:msg_sw_1` });
    const wrapped = await send("msg_sw_2", { type: "lead.created", data: leadBody() });
    expect(wrapped.status).toBe(201);
  });

  it("answers a replayed webhook-id with the original lead (200)", async () => {
    const payload = leadBody();
    const first = await (await send("msg_sw_replay", payload)).json();
    const replay = await send("msg_sw_replay", payload);
    expect(replay.status).toBe(200);
    expect((await replay.json()).leadId).toBe(first.leadId);
  });

  it("refuses bad, missing and expired signatures with 401 and stores nothing", async () => {
    const body = JSON.stringify(leadBody());
    const ts = String(Math.floor(Date.now() / 1000));
    await expectNothingStored(call(DEMO_SOURCE_ID, body, { "content-type": "application/json", "webhook-id": "msg_bad", "webhook-timestamp": ts, "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }), 401);
    await expectNothingStored(call(DEMO_SOURCE_ID, body, { "content-type": "application/json" }), 401);
    await expectNothingStored(send("msg_old", leadBody(), new Date(Date.now() - 10 * 60_000)), 401);
    await expectNothingStored(send("msg_future", leadBody(), new Date(Date.now() + 10 * 60_000)), 401);
    // A valid signature over a different body.
    const signed = wh.sign("msg_tamper", new Date(), body);
    await expectNothingStored(call(DEMO_SOURCE_ID, body.replace("Dana", "Eve"), { "content-type": "application/json", "webhook-id": "msg_tamper", "webhook-timestamp": ts, "webhook-signature": signed }), 401);
  });

  it("400 with field errors when the payload does not make a lead", async () => {
    const body = (await expectNothingStored(send("msg_invalid", { contact: { email: "not an email" } }), 400)) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors)).toContain("contact.email");
  });

  it("404 for an unknown source, 403 for a disabled one", async () => {
    await expectNothingStored(call("00000000-0000-4000-8000-000000000000", "{}", { "content-type": "application/json" }), 404);
    await expectNothingStored(call("not-a-uuid", "{}", { "content-type": "application/json" }), 404);
    await env.db.updateTable("sources").set({ active: false }).where("id", "=", DEMO_SOURCE_ID).execute();
    try {
      await expectNothingStored(send("msg_disabled", leadBody()), 403);
    } finally {
      await env.db.updateTable("sources").set({ active: true }).where("id", "=", DEMO_SOURCE_ID).execute();
    }
  });
});

describe("other source kinds", () => {
  const actor = () => ({ userId: null, workspaceId: env.workspaceId });

  it("Typeform: sha256= signature over the body, answers mapped by field ref, event_id idempotent", async () => {
    const { source, secret } = await createSource(env.db, actor(), { name: "Typeform contact form", kind: "typeform", secret: "typeform-shared-secret" });
    expect(secret).toBe("typeform-shared-secret");
    const payload = {
      event_id: "01TF-EVENT-1", event_type: "form_response",
      form_response: {
        submitted_at: new Date().toISOString(),
        answers: [
          { field: { ref: "email" }, type: "email", email: "li.na@kestrel-health.com" },
          { field: { ref: "first_name" }, type: "text", text: "Li" },
          { field: { ref: "last_name" }, type: "text", text: "Na" },
          { field: { ref: "company" }, type: "text", text: "Kestrel Health" },
          { field: { ref: "message" }, type: "text", text: "Our dashboards stopped refreshing, error 500 since yesterday" },
        ],
      },
    };
    const body = JSON.stringify(payload);
    const sig = `sha256=${createHmac("sha256", secret).update(body).digest("base64")}`;
    const res = await call(source.id, body, { "content-type": "application/json", "typeform-signature": sig });
    expect(res.status).toBe(201);
    expect((await res.json()).routePath).toBe("support");
    expect((await call(source.id, body, { "content-type": "application/json", "typeform-signature": sig })).status).toBe(200);
    await expectNothingStored(call(source.id, body, { "content-type": "application/json", "typeform-signature": "sha256=bm9wZQ==" }), 401);
  });

  it("HubSpot: signature v3 over method + URI + body + timestamp, within 5 minutes", async () => {
    const { source, secret } = await createSource(env.db, actor(), { name: "HubSpot workflow", kind: "hubspot", secret: "hubspot-client-secret" });
    const payload = { eventId: 99001, properties: { email: { value: "ops.lead@meridian-media.de" }, firstname: { value: "Jonas" }, company: { value: "Meridian Media" }, country: { value: "Germany" }, message: { value: "Could you send pricing and book a demo for 40 people?" } } };
    const body = JSON.stringify(payload);
    const uri = `${BASE}/api/v1/sources/${source.id}/webhook`;
    const sign = (ts: number) => createHmac("sha256", secret).update(`POST${uri}${body}${ts}`).digest("base64");
    const ts = Date.now();
    const res = await call(source.id, body, { "content-type": "application/json", "x-hubspot-signature-v3": sign(ts), "x-hubspot-request-timestamp": String(ts) });
    expect(res.status).toBe(201);
    const lead = await env.db.selectFrom("leads").select(["email", "country"]).where("id", "=", (await res.json()).leadId).executeTakeFirstOrThrow();
    expect(lead).toEqual({ email: "ops.lead@meridian-media.de", country: "DE" });
    const old = Date.now() - 6 * 60_000;
    await expectNothingStored(call(source.id, body, { "content-type": "application/json", "x-hubspot-signature-v3": sign(old), "x-hubspot-request-timestamp": String(old) }), 401);
  });

  it("generic JSON: Switchyard-Signature, a configured mapping, or a workspace API key", async () => {
    const { source, secret } = await createSource(env.db, actor(), {
      name: "Webinar platform", kind: "json", channel: "event",
      fieldMapping: { eventId: "id", "contact.email": "attendee.email", "contact.name": ["attendee.first", "' '", "attendee.last"], "company.name": "attendee.org", message: "question" },
    });
    const payload = { id: "web-123", attendee: { email: "sam.ortiz@polar-energy.com", first: "Sam", last: "Ortiz", org: "Polar Energy" }, question: "Is there a free version for personal use?" };
    const body = JSON.stringify(payload);
    const res = await call(source.id, body, { "content-type": "application/json", "switchyard-signature": switchyardSignature(secret, body, Date.now()) });
    expect(res.status).toBe(201);
    const id = (await res.json()).leadId;
    const lead = await env.db.selectFrom("leads").select(["first_name", "last_name", "channel", "company"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(lead).toEqual({ first_name: "Sam", last_name: "Ortiz", channel: "event", company: "Polar Energy" });
    const withKey = await call(source.id, JSON.stringify({ ...payload, id: "web-124" }), { "content-type": "application/json", authorization: `Bearer ${DEMO_API_KEY}` });
    expect(withKey.status).toBe(201);
    await expectNothingStored(call(source.id, body, { "content-type": "application/json", "switchyard-signature": `t=${Math.floor(Date.now() / 1000)},v1=deadbeef` }), 401);
    await expectNothingStored(call(source.id, body, { "content-type": "application/json", authorization: "Bearer sy_wrong_key" }), 401);
  });

  it("HTML form: form-encoded body mapped by the default form mapping; wrong content type is 415", async () => {
    const { source, secret } = await createSource(env.db, actor(), { name: "Contact page", kind: "form" });
    const body = new URLSearchParams({ email: "ana@cedar-labs.es", first_name: "Ana", company: "Cedar Labs", country: "España", message: "We want a demo and pricing for our 80-person team" }).toString();
    const res = await call(source.id, body, { "content-type": "application/x-www-form-urlencoded", "switchyard-signature": switchyardSignature(secret, body, Date.now()) });
    expect(res.status).toBe(201);
    const lead = await env.db.selectFrom("leads").select(["country", "first_name"]).where("id", "=", (await res.json()).leadId).executeTakeFirstOrThrow();
    expect(lead).toEqual({ country: "ES", first_name: "Ana" });
    await expectNothingStored(call(source.id, JSON.stringify({ email: "x@y.io" }), { "content-type": "application/json" }), 415);
    const proto = "__proto__=1&email=a%40b.co";
    await expectNothingStored(call(source.id, proto, { "content-type": "application/x-www-form-urlencoded", "switchyard-signature": switchyardSignature(secret, proto, Date.now()) }), 400);
  });
});
