/**
 * The monthly review's packet and anomaly findings on a real database (server/services/review/): the packet's
 * figures agree with counts of their own; the demo's ordinary month raises nothing; planted anomalies — a source
 * that stops, a jump of the fallback (review) share, a rep who gets nothing — are each found and explained.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { periodFindings } from "@/server/services/review/anomalies.service";
import { computePacket } from "@/server/services/review/packet.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const period = { from: new Date(NOW.getTime() - 30 * DAY), to: NOW };
let t: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: NOW, leads: 6000, days: 90 });
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
}, 300_000);
afterAll(async () => t?.close());

describe("review packet", () => {
  it("adds up: every figure agrees with a count of its own over the same leads", async () => {
    const p = await computePacket(t.db, workspaceId, period, NOW);
    const count = async (where: ReturnType<typeof sql>) => Number((await sql<{ n: number }>`select count(*)::int as n from lead_metrics
      where workspace_id = ${workspaceId} and received_at >= ${period.from} and received_at < ${period.to} and ${where}`.execute(t.db)).rows[0]!.n);
    expect(p.overall.current.volume).toBe(await count(sql`true`));
    expect(p.overall.current.volume).toBeGreaterThan(1000);
    expect(p.routePaths.reduce((a, r) => a + r.current.volume, 0)).toBe(p.overall.current.volume);
    expect(p.reviewQueue.current.n).toBe(await count(sql`entered_review`));
    expect(p.reviewQueue.current.share).toBeCloseTo(p.reviewQueue.current.n / p.overall.current.volume, 10);
    // SLA breaches by cause add up to the dashboard's breach count.
    expect(p.slaBreaches.total).toBe(p.overall.current.slaBreach.numerator);
    expect(p.slaBreaches.total).toBeGreaterThan(0);
    expect(p.reps.reduce((a, r) => a + r.assigned, 0)).toBe(await count(sql`first_rep_id is not null`));
    const rejections = Number((await sql<{ n: number }>`select count(*)::int as n from lead_metrics m cross join lateral jsonb_array_elements(m.rejections)
      where m.workspace_id = ${workspaceId} and m.received_at >= ${period.from} and m.received_at < ${period.to}`.execute(t.db)).rows[0]!.n);
    expect(p.reps.reduce((a, r) => a + r.rejected, 0)).toBe(rejections);
    expect(p.wrongAssignments.total).toBe(await count(sql`wrong_assigned`));
    expect(p.wrongAssignments.examples.length).toBe(Math.min(20, p.wrongAssignments.total));
    expect(p.anomalies).toEqual([]);
    expect(p.versions).toEqual([]);
  });

  it("measures a rule change published in the period: its leads against those of the version it replaced", async () => {
    // History as if v2 went live mid-period: leads received after its publication were routed by it.
    const v1 = await t.db.selectFrom("decision_table_versions").selectAll().where("workspace_id", "=", workspaceId).where("status", "=", "published").executeTakeFirstOrThrow();
    const publishedAt = new Date(period.from.getTime() + 15 * DAY);
    const v2 = await t.db.insertInto("decision_table_versions").values({
      workspace_id: workspaceId, table_id: v1.table_id, version: v1.version + 1, status: "superseded", definition: v1.definition, change_reason: "Partners to SDRs first",
      based_on_version_id: v1.id, published_at: publishedAt, effective_at: publishedAt,
    }).returning("id").executeTakeFirstOrThrow();
    await t.db.updateTable("lead_metrics").set({ table_version_id: v2.id }).where("workspace_id", "=", workspaceId).where("received_at", ">=", publishedAt).where("table_version_id", "=", v1.id).execute();
    const p = await computePacket(t.db, workspaceId, period, NOW);
    // Both populations over the period and the one before it (as long as the period).
    const count = async (versionId: string, field = sql`true`) => Number((await sql<{ n: number }>`select count(*)::int as n from lead_metrics
      where workspace_id = ${workspaceId} and received_at >= ${new Date(period.from.getTime() - 30 * DAY)} and received_at < ${period.to}
        and table_version_id = ${versionId} and ${field}`.execute(t.db)).rows[0]!.n);
    expect(p.versions).toHaveLength(1);
    const [change] = p.versions;
    expect(change).toMatchObject({ id: v2.id, version: v1.version + 1, reason: "Partners to SDRs first", before: { id: v1.id, version: v1.version } });
    expect(change!.after!.volume).toBe(await count(v2.id));
    expect(change!.after!.volume).toBeGreaterThan(500);
    expect(change!.before!.kpis.volume).toBe(await count(v1.id));
    expect(change!.after!.wrongAssignment.numerator).toBe(await count(v2.id, sql`wrong_assigned`));
    expect(change!.before!.kpis.wrongAssignment.numerator).toBe(await count(v1.id, sql`wrong_assigned`));
    await t.db.updateTable("lead_metrics").set({ table_version_id: v1.id }).where("table_version_id", "=", v2.id).execute();
  });
});

describe("review anomalies", () => {
  it("the demo's ordinary month raises no alarm", async () => {
    const { findings, input } = await periodFindings(t.db, workspaceId, period, NOW);
    expect(input.routePaths.length).toBeGreaterThan(3);
    expect(input.reps.filter((r) => r.baseline > 0).length).toBeGreaterThan(5);
    expect(findings.map((f) => f.explanation)).toEqual([]);
  });

  it("finds a source that stopped, a review-share jump and a rep who got nothing", async () => {
    // A partner form that sent about 6 leads a day goes quiet for the period's last 4 days.
    const source = await t.db.insertInto("sources").values({ workspace_id: workspaceId, name: "Partner form", kind: "json", secret_ciphertext: "v1:x", secret_hint: "xxxx", settings: "{}", field_mapping: "{}" }).returning("id").executeTakeFirstOrThrow();
    await sql`update lead_metrics set source_id = ${source.id} where lead_id in (
      select lead_id from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${new Date(NOW.getTime() - 60 * DAY)} and received_at < ${new Date(NOW.getTime() - 4 * DAY)}
        and route_path_key = 'sdr-queue' order by lead_id limit 100000)`.execute(t.db);
    // The fallback queue takes a fifth of the period's leads more.
    await sql`update lead_metrics set entered_review = true where workspace_id = ${workspaceId} and received_at >= ${period.from} and not entered_review and (hashtext(lead_id::text) % 5) = 0`.execute(t.db);
    // The busiest rep gets nothing in the period: their leads went to someone else.
    const busiest = await sql<{ first_rep_id: string }>`select first_rep_id from lead_metrics where workspace_id = ${workspaceId} and first_rep_id is not null
      and received_at >= ${new Date(NOW.getTime() - 60 * DAY)} group by 1 order by count(*) desc limit 1`.execute(t.db);
    const rep = busiest.rows[0]!.first_rep_id;
    const other = (await t.db.selectFrom("reps").select("id").where("workspace_id", "=", workspaceId).where("id", "<>", rep).executeTakeFirstOrThrow()).id;
    await sql`update lead_metrics set first_rep_id = ${other} where workspace_id = ${workspaceId} and first_rep_id = ${rep} and received_at >= ${period.from}`.execute(t.db);

    const { findings } = await periodFindings(t.db, workspaceId, period, NOW);
    const kinds = findings.map((f) => `${f.kind}:${f.subject.type === "rep" ? "rep" : f.subject.label}`);
    expect(kinds).toEqual(expect.arrayContaining(["source_silent:Partner form", "share_jump:All route paths", "rep_starved:rep"]));
    expect(findings.find((f) => f.kind === "rep_starved")!.subject.key).toBe(rep);
    expect(findings.find((f) => f.kind === "source_silent")!.explanation).toMatch(/^Partner form sent no leads for the last 3 days of the period/);
    expect(findings.find((f) => f.kind === "share_jump")!.metric).toBe("review-queue share");
  });
});
