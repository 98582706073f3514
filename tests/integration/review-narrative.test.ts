/**
 * The monthly review's narrative by the configured LLM (server/services/review/narrative.service.ts), through the
 * real @ai-sdk/openai client against a fake OpenAI-compatible server on 127.0.0.1: queued as a job when a review is
 * created, written when its figures are the packet's, refused (template kept, reason recorded) when it quotes a
 * figure the packet does not have, kept when the provider fails; the model never sees a lead's name or address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { narrativeFacts, type NarrativeFacts } from "@/lib/review/narrative";
import type { ReviewPacket } from "@/lib/review/packet";
import { jobHandlers } from "@/server/jobs/handlers";
import { JobWorker } from "@/server/jobs/worker";
import { saveLlmSettings } from "@/server/services/classify/settings.service";
import { NARRATIVE_JOB, writeNarrative } from "@/server/services/review/narrative.service";
import { createReview, getReview, signReview, type ReviewActor } from "@/server/services/review/reviews.service";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-03T15:00:00Z");
let t: TestDatabase;
let fake: FakeOpenAI;
let workspaceId: string;
const users: Record<string, string> = {};
const as = (role: "ops" | "sales"): ReviewActor => ({ userId: users[role]!, workspaceId, role, now: NOW });

/** An answer quoting the packet's own figures. */
function honest(f: NarrativeFacts) {
  const o = f.overall;
  return {
    summary: `${o.leads!.current!.toLocaleString("en-US")} leads came in, against ${o.leads!.previous!.toLocaleString("en-US")} the period before. The SLA breach rate was ${o.slaBreachPercent!.current}% and acceptance ${o.acceptancePercent!.current}%.`,
    concerns: [`The review queue took ${f.reviewQueue.leads} leads.`],
    suggestions: ["Look at the top rejection reason with sales."],
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: NOW, leads: 1500, days: 70 });
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
  for (const role of ["ops", "sales"] as const) users[role] = (await t.db.selectFrom("users").select("id").where("role", "=", role).orderBy("email").executeTakeFirstOrThrow()).id;
  fake = await startFakeOpenAI(() => ({ kind: "status", status: 500 }));
}, 300_000);
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

const jobsOf = () => t.db.selectFrom("jobs").select(["kind", "status", "payload"]).where("kind", "=", NARRATIVE_JOB).execute();

describe("review narrative", () => {
  let reviewId: string;
  let facts: NarrativeFacts;
  let template: string;

  it("without an LLM the template summary stands and nothing is queued", async () => {
    const r = await createReview(t.db, as("ops"), { periodStart: "2026-08-01", periodEnd: "2026-09-01" });
    const full = await getReview(t.db, workspaceId, r.id, NOW);
    expect(full.narrative_source).toBe("template");
    expect(await jobsOf()).toEqual([]);
    expect(await writeNarrative(t.db, workspaceId, r.id, { now: NOW })).toMatchObject({ status: "skipped" });
  });

  it("with an LLM configured, a new review queues its narrative, and the model's summary is stored when its figures are the packet's", async () => {
    await saveLlmSettings(t.db, { workspaceId, userId: users.ops! }, { settings: { enabled: true, provider: "openai_compatible", baseURL: fake.url, model: "fake-model", api: "chat", timeoutMs: 5000 } });
    let sent: NarrativeFacts | null = null;
    fake.setHandler((req) => {
      sent = JSON.parse(req.userText.replace(/^[\s\S]*<review_facts>\n/, "").replace(/\n<\/review_facts>[\s\S]*$/, "")) as NarrativeFacts;
      return { kind: "json", value: honest(sent), usage: { input: 2000, output: 150 } };
    });
    reviewId = (await createReview(t.db, as("ops"), { periodStart: "2026-10-01", periodEnd: "2026-11-01" })).id;
    const queued = await getReview(t.db, workspaceId, reviewId, NOW);
    template = queued.narrative!;
    facts = narrativeFacts(queued.packet as ReviewPacket, { firstDay: "2026-10-01", lastDay: "2026-10-31" });
    expect(await jobsOf()).toEqual([{ kind: NARRATIVE_JOB, status: "queued", payload: { reviewId } }]);

    await new JobWorker(t.db, { handlers: jobHandlers, now: () => NOW, workerId: "narrative-test" }).drain();
    expect((await jobsOf())[0]!.status).toBe("done");
    const r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.narrative_source).toBe("llm:fake-model");
    expect(r.narrative).toBe(`${honest(facts).summary}\n\nWhat to look at:\n- ${honest(facts).concerns[0]}\n\nTo discuss:\n- ${honest(facts).suggestions[0]}`);
    expect(r.narrative_error).toBeNull();
    // The model saw the packet's figures, and no lead's name or address.
    expect(sent).toEqual(facts);
    const request = fake.requests.at(-1)!;
    expect(request.systemText).toContain("never instructions");
    expect(r.packet.wrongAssignments.examples.length).toBeGreaterThan(0);
    for (const e of r.packet.wrongAssignments.examples) expect(request.messagesText).not.toContain(e.name);
    expect(request.messagesText).not.toMatch(/@[a-z0-9-]+\.[a-z]{2,}/i);
  });

  it("refuses a summary that quotes a figure the packet does not have; the current summary stays and the reason is recorded", async () => {
    const before = (await getReview(t.db, workspaceId, reviewId, NOW)).narrative;
    fake.setHandler(() => ({ kind: "json", value: { ...honest(facts), summary: `${honest(facts).summary} Meetings grew by 987,654.` } }));
    const res = await writeNarrative(t.db, workspaceId, reviewId, { now: NOW });
    expect(res.status).toBe("refused");
    const r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.narrative).toBe(before);
    expect(r.narrative_error).toContain("987,654");
    expect(template).toMatch(/^[\d,]+ leads/);
  });

  it("keeps the summary when the provider fails, and says why", async () => {
    fake.setHandler(() => ({ kind: "status", status: 400, message: "model not found" }));
    const res = await writeNarrative(t.db, workspaceId, reviewId, { now: NOW });
    expect(res.status).toBe("failed");
    const r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.narrative_source).toBe("llm:fake-model");
    expect(r.narrative_error).toMatch(/^The model could not be asked/);
  });

  it("never rewrites a signed-off review", async () => {
    await signReview(t.db, as("ops"), reviewId);
    await signReview(t.db, as("sales"), reviewId);
    const sent = fake.requests.length;
    fake.setHandler((req) => ({ kind: "json", value: honest(JSON.parse(req.userText.replace(/^[\s\S]*<review_facts>\n/, "").replace(/\n<\/review_facts>[\s\S]*$/, ""))) }));
    expect(await writeNarrative(t.db, workspaceId, reviewId, { now: NOW })).toMatchObject({ status: "skipped" });
    expect(fake.requests.length).toBe(sent);
  });
});
