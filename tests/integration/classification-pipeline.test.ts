/**
 * The classify step inside live routing: the offline model by default (trained on first use), an LLM configured in
 * Settings answering first (the real @ai-sdk/openai client against a fake OpenAI-compatible server on 127.0.0.1),
 * fallback and the circuit breaker when it fails, the taxonomy's validation, and retraining from review labels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { POST } from "@/app/api/v1/leads/route";
import { fieldErrorsFromIssues, ValidationError } from "@/server/errors";
import { loadSessionUser } from "@/server/services/auth.service";
import { ensureOfflineModels } from "@/server/services/classify/classifier.service";
import { createCaller } from "@/server/trpc/root";
import { createApiTestEnv, jsonRequest, leadBody } from "../support/api";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";

let env: Awaited<ReturnType<typeof createApiTestEnv>>;
let ops: ReturnType<typeof createCaller>;
let opsId: string;
let fake: FakeOpenAI;

const ANSWER = {
  category: "pricing_demo", confidence: 0.88, urgency: "high", urgencyPhrase: "this week", timelineDays: 7,
  productHints: ["analytics"], evidence: ["demo"],
  briefing: "They want a demo of the analytics product this week. Offer two slots and ask how many seats they need.",
};

beforeAll(async () => {
  env = await createApiTestEnv({ trainClassifier: false });
  fake = await startFakeOpenAI(() => ({ kind: "json", value: ANSWER, usage: { input: 420, output: 60 } }));
  opsId = (await env.db.selectFrom("users").select("id").where("email", "=", "ops@demo.switchyard.dev").executeTakeFirstOrThrow()).id;
  const user = await loadSessionUser(env.db, opsId);
  ops = createCaller({ db: env.db, user, now: () => new Date() });
});
afterAll(async () => {
  await fake?.close();
  await env?.close();
});

let n = 0;
async function post(message: string) {
  n++;
  const res = await POST(jsonRequest("/api/v1/leads", leadBody({ message: `${message} (ref ${n})` }), { "idempotency-key": `cls-${n}-${Date.now()}` }));
  expect(res.status).toBe(201);
  const body = (await res.json()) as { leadId: string; status: string };
  const event = await env.db.selectFrom("lead_events").select(["data"]).where("lead_id", "=", body.leadId).where("type", "=", "classified").executeTakeFirstOrThrow();
  const lead = await env.db.selectFrom("leads").select(["status", "classifier", "category", "category_confidence"]).where("id", "=", body.leadId).executeTakeFirstOrThrow();
  return { body, lead, data: event.data as Record<string, unknown> & { attempts: Array<{ classifier: string; ok: boolean; error: string | null }>; usage: Record<string, unknown> | null } };
}

/** The field errors a client would get (the errorFormatter's work, done here for the in-process caller). */
async function fieldErrorsOf(call: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toMatchObject({ code: "BAD_REQUEST" });
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof ZodError) return fieldErrorsFromIssues(cause.issues);
  if (cause instanceof ValidationError) return cause.fields;
  throw new Error(`no field errors in ${String(error)}`);
}

async function useLlm(timeoutMs: number) {
  await ops.settings.saveLlm({ settings: { enabled: true, provider: "openai_compatible", baseURL: fake.url, model: "fake-model", api: "chat", timeoutMs } });
}

describe("classification in live routing", () => {
  it("never makes a lead wait for the first training: keyword rules answer meanwhile, and the trace says so", async () => {
    const { body, data } = await post("Could we get pricing for 40 seats and a demo next week?");
    expect(body.status).not.toBe("new");
    expect(data.classifier).toBe("keywords");
    expect(data.attempts).toEqual([
      expect.objectContaining({ classifier: "offline", ok: false, error: expect.stringContaining("still being trained") }),
      expect.objectContaining({ classifier: "keywords", ok: true }),
    ]);
    await ensureOfflineModels(env.db); // waits for the training the first lead started
  });

  it("uses the offline model when no LLM is configured, and the trace says so", async () => {
    const { lead, data } = await post("Could we get pricing for 40 seats and a demo next week?");
    expect(data.classifier).toBe("offline");
    expect(data.attempts).toEqual([expect.objectContaining({ classifier: "offline", ok: true })]);
    expect(data.usage).toBeNull();
    expect(lead).toMatchObject({ classifier: "offline", category: "pricing_demo" });
    expect(lead.category_confidence).toBeLessThanOrEqual(0.99);
    const model = await env.db.selectFrom("classifier_models").select(["training_size", "active"]).where("workspace_id", "=", env.workspaceId).where("active", "=", true).executeTakeFirstOrThrow();
    expect(model.training_size).toBeGreaterThan(400);
    expect(fake.requests).toHaveLength(0);
  });

  it("asks the LLM configured in Settings first and records latency and tokens per lead", async () => {
    await useLlm(3000);
    fake.reset();
    const { lead, data } = await post("Please show us a demo this week");
    expect(fake.requests).toHaveLength(1);
    expect(data).toMatchObject({ classifier: "llm:fake-model", category: "pricing_demo", urgency: "high", timelineDays: 7, fellBack: false });
    expect(data.usage).toMatchObject({ inputTokens: 420, outputTokens: 60, cached: false, attempts: 1 });
    expect(lead).toMatchObject({ classifier: "llm:fake-model", category: "pricing_demo", category_confidence: 0.88 });
    // The lead text travels as data in the user message, never in the instructions.
    expect(fake.requests[0]!.systemText).not.toContain("Please show us a demo");
    expect(fake.requests[0]!.userText).toContain("Please show us a demo");

    const overview = await ops.settings.classification();
    expect(overview.llm.effective).toMatchObject({ model: "fake-model", api: "chat", source: "settings" });
    expect(overview.usage.llm).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
    expect(overview.usage.llm!.calls).toBeGreaterThanOrEqual(1);
    expect(overview.usage.classifiers.map((c) => c.classifier)).toEqual(expect.arrayContaining(["offline", "llm:fake-model"]));
  });

  it("routes on the offline model when the LLM fails, and stops calling it once the breaker opens", async () => {
    await useLlm(2500); // a new configuration: its own breaker
    fake.setHandler(() => ({ kind: "status", status: 500 }));
    fake.reset();
    for (let i = 0; i < 5; i++) {
      const { body, lead, data } = await post(`We need an enterprise agreement for 2,000 users, attempt ${i}`);
      expect(body.status).not.toBe("new");
      expect(data).toMatchObject({ classifier: "offline", fellBack: true });
      expect(data.attempts[0]).toMatchObject({ classifier: "llm:fake-model", ok: false });
      expect(lead.classifier).toBe("offline");
    }
    const sent = fake.requests.length;
    expect(sent).toBe(10); // five failures, each retried once
    const { data } = await post("We need an enterprise agreement for 2,000 users, after the breaker opened");
    expect(data).toMatchObject({ classifier: "offline", fellBack: true });
    expect(String(data.attempts[0]!.error)).toMatch(/circuit/i);
    expect(fake.requests.length).toBe(sent);
    const overview = await ops.settings.classification();
    expect(overview.llm.state).toMatchObject({ breaker: "open" });
    fake.setHandler(() => ({ kind: "json", value: ANSWER }));
  });

  it("treats an answer outside the taxonomy as a failure, not a guess", async () => {
    await useLlm(2600);
    fake.setHandler(() => ({ kind: "json", value: { ...ANSWER, category: "very_hot_lead" } }));
    const { lead, data } = await post("Quote for the analytics product please");
    expect(data).toMatchObject({ classifier: "offline", fellBack: true });
    expect(lead.category).not.toBe("very_hot_lead");
    fake.setHandler(() => ({ kind: "json", value: ANSWER }));
  });

  it("validates the LLM settings with field errors and changes nothing", async () => {
    const before = await env.db.selectFrom("workspaces").select("settings").where("id", "=", env.workspaceId).executeTakeFirstOrThrow();
    await expect(ops.settings.saveLlm({ settings: { enabled: true, provider: "openai_compatible", baseURL: "ftp://x", model: "m", api: "chat", timeoutMs: 4000 } }))
      .rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await fieldErrorsOf(ops.settings.saveLlm({ settings: { enabled: true, provider: "openai_compatible", baseURL: "", model: "m", api: "chat", timeoutMs: 4000 } })))
      .toEqual({ "settings.baseURL": [expect.any(String)] });
    await expect(ops.settings.saveLlm({ settings: { enabled: true, provider: "openai_compatible", baseURL: fake.url, model: "m", api: "chat", timeoutMs: 10 } }))
      .rejects.toMatchObject({ code: "BAD_REQUEST" });
    const after = await env.db.selectFrom("workspaces").select("settings").where("id", "=", env.workspaceId).executeTakeFirstOrThrow();
    expect(after.settings).toEqual(before.settings);
  });
});

describe("taxonomy and retraining", () => {
  it("refuses duplicate keys and the removal of a category the published table tests, changing nothing", async () => {
    const { taxonomy } = await ops.settings.classification();
    const before = await env.db.selectFrom("workspaces").select("settings").where("id", "=", env.workspaceId).executeTakeFirstOrThrow();
    expect(await fieldErrorsOf(ops.settings.saveTaxonomy({ taxonomy: [...taxonomy, { ...taxonomy[0]! }] })))
      .toEqual({ [`taxonomy.${taxonomy.length}.key`]: [expect.stringContaining("already")] });
    expect(await fieldErrorsOf(ops.settings.saveTaxonomy({ taxonomy: taxonomy.filter((c) => c.key !== "spam") })))
      .toEqual({ taxonomy: [expect.stringContaining("R01")] });
    await expect(ops.settings.saveTaxonomy({ taxonomy: [...taxonomy, { key: "Bad Key!", label: "x", description: "" }] }))
      .rejects.toMatchObject({ code: "BAD_REQUEST" });
    const after = await env.db.selectFrom("workspaces").select("settings").where("id", "=", env.workspaceId).executeTakeFirstOrThrow();
    expect(after.settings).toEqual(before.settings);
  });

  it("learns a new category from review corrections when ops retrain", async () => {
    await ops.settings.saveLlm({ settings: { enabled: false, provider: "openai", baseURL: "", model: "gpt-4o-mini", api: "responses", timeoutMs: 4000 } });
    const { taxonomy } = await ops.settings.classification();
    await ops.settings.saveTaxonomy({ taxonomy: [...taxonomy, { key: "event_sponsorship", label: "Event sponsorship", description: "Organisers selling booths and sponsorships at their events." }] });
    const queue = await ops.review.queue({});
    expect(queue.taxonomy.map((c) => c.key)).toContain("event_sponsorship");
    const texts = [
      "Sponsorship packages for DataConf Berlin are open: gold booth, keynote slot and lanyard branding.",
      "Would you like to sponsor our analytics summit in Lisbon? Booth prices start at 5,000 EUR.",
      "Exhibitor opportunity at the Nordic Data Expo: 3x3 booth plus two speaking slots.",
      "We're organising the Cloud BI meetup series and look for a headline sponsor for 2027.",
      "Last chance to book a booth at AnalyticsWorld, 4,000 attendees, sponsorship deck attached.",
      "Become a silver sponsor of the Women in Data conference, logo on all materials.",
      "Our webinar series reaches 20k data leaders; sponsorship slots available for Q1.",
      "Exhibit at the FinTech Data Forum: stand, attendee list and a workshop slot.",
      "Sponsor the hackathon at our university data festival, branding and judging seat included.",
      "Booth and sponsorship options for the Retail Analytics Congress in Madrid attached.",
      "Would your company like a sponsored session at our Data Leaders dinner series?",
      "Conference partnership: exhibitor booth and keynote at BI Days Vienna, early-bird pricing.",
    ];
    await env.db.insertInto("classification_labels").values(texts.map((text) => ({ workspace_id: env.workspaceId, text, label: "event_sponsorship", source: "review" as const }))).execute();
    const result = await ops.settings.retrainClassifier();
    expect(result.trainingSize).toBeGreaterThan(texts.length);
    expect(result.accuracy).toBeGreaterThan(0.8);
    const tried = await ops.settings.testClassification({ text: "Sponsorship and booth packages for our data conference in Prague are now open." });
    expect(tried.classification).toMatchObject({ category: "event_sponsorship", classifier: "offline" });
    const overview = await ops.settings.classification();
    expect(overview.model).toMatchObject({ counts: expect.objectContaining({ review: texts.length }) });
    expect(overview.model!.evaluation!.classes).toContain("event_sponsorship");
    const audit = await env.db.selectFrom("audit_log").select("actor_user_id").where("workspace_id", "=", env.workspaceId).where("action", "=", "classifier.trained").orderBy("created_at").execute();
    expect(audit.map((a) => a.actor_user_id)).toEqual([null, opsId]); // first use (the system), then ops
  });
});
