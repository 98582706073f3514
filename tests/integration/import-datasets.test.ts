/**
 * The real datasets in ../shared/datasets through the committed mappings of docs/import-mappings (skipped when
 * ../shared is absent). Expected values are computed here from the files themselves. X Education and the Maven
 * pipeline are imported as their first 2,000 rows to keep the suite fast; Olist in full (the closed-deals update
 * needs every MQL).
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpisFromEvents } from "@/server/services/metrics/metrics.service";
import { countRows, openCsv } from "@/server/services/import/csv-file";
import { createImportTestEnv, importAll, mappingFile, NOW, type ImportTestEnv } from "./import-support";

const DATASETS = path.resolve(__dirname, "../../../shared/datasets");
const MAPPINGS = path.resolve(__dirname, "../../docs/import-mappings");
const PREFIX = 2000;

const file = (...p: string[]) => path.join(DATASETS, ...p);
const records = (f: string): Array<Record<string, string>> => parse(readFileSync(f), { columns: true, bom: true }) as Array<Record<string, string>>;

/** The header and first `n` rows of a file without quoted newlines. */
async function prefix(env: ImportTestEnv, source: string, n: number): Promise<string> {
  const lines = readFileSync(source, "utf8").split(/\r?\n/).slice(0, n + 1);
  const out = path.join(env.dataDir, `prefix-${path.basename(source)}`);
  await writeFile(out, `${lines.join("\n")}\n`);
  return out;
}

async function count(env: ImportTestEnv, where: (q: ReturnType<typeof leadsOf>) => ReturnType<typeof leadsOf>): Promise<number> {
  const r = await where(leadsOf(env)).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return r.n;
}
function leadsOf(env: ImportTestEnv) {
  return env.db.selectFrom("leads").where("workspace_id", "=", env.workspaceId);
}

describe.skipIf(!existsSync(DATASETS))("real datasets through the documented mappings", () => {
  let env: ImportTestEnv;
  beforeAll(async () => {
    env = await createImportTestEnv(50);
  });
  afterAll(async () => env?.cleanup());

  it("X Education (no timestamps): synthesized received times, Converted = won", async () => {
    const source = file("x-education-leads", "Leads.csv");
    const rows = records(source).slice(0, PREFIX);
    const { job } = await importAll(env, "leads", { file: await prefix(env, source, PREFIX) }, await mappingFile(path.join(MAPPINGS, "x-education-leads.json")));
    expect(job).toMatchObject({ status: "done", processedRows: PREFIX, errorCount: 0, stats: { inserted: PREFIX } });
    const ids = rows.map((r) => `import:${r["Prospect ID"]}`);
    const leads = await leadsOf(env).select(["idempotency_key", "received_at", "status", "country", "channel", "facts"])
      .where("idempotency_key", "in", ids).execute();
    expect(leads).toHaveLength(PREFIX);
    const converted = rows.filter((r) => r.Converted === "1").length;
    expect(leads.filter((l) => l.status === "won")).toHaveLength(converted);
    // Spread over 2025-10-01 … 2025-12-31 (Asia/Kolkata), newest lead (first row) last.
    const byKey = new Map(leads.map((l) => [l.idempotency_key, l]));
    const times = ids.map((k) => byKey.get(k)!.received_at.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse("2025-09-30T18:30:00Z"));
    expect(Math.max(...times)).toBeLessThan(Date.parse("2025-12-31T18:30:00Z"));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
    expect(byKey.get(ids[1]!)).toMatchObject({ country: "IN", channel: "organic_search" });
    // "Select" is the form's unanswered default: read as empty.
    expect(leads.filter((l) => (l.facts as { product_interest?: string }).product_interest === "select")).toEqual([]);
    expect(leads.some((l) => (l.facts as { product_interest?: string }).product_interest === "finance management")).toBe(true);
    const received = await env.db.selectFrom("lead_events").select("data").where("type", "=", "received")
      .where("lead_id", "=", (await leadsOf(env).select("id").where("idempotency_key", "=", ids[0]!).executeTakeFirstOrThrow()).id).executeTakeFirstOrThrow();
    expect(received.data).toMatchObject({ imported: true, receivedAtSynthetic: true });
  });

  it("Olist: 8,000 MQLs, then the closed deals as an outcomes update with hashed SDRs and sales reps created", async () => {
    const mqlFile = file("olist-marketing-funnel", "olist_marketing_qualified_leads_dataset.csv");
    const dealsFile = file("olist-marketing-funnel", "olist_closed_deals_dataset.csv");
    const mqls = await importAll(env, "leads", { file: mqlFile }, await mappingFile(path.join(MAPPINGS, "olist-mqls.json")));
    expect(mqls.job).toMatchObject({ status: "done", processedRows: 8000, errorCount: 0, stats: { inserted: 8000 } });

    const deals = records(dealsFile);
    const mqlDates = new Map(records(mqlFile).map((r) => [r.mql_id, r.first_contact_date]));
    // A deal "won" before the MQL's first contact (Sao Paulo local dates) is refused as history that cannot be.
    const impossible = deals.filter((d) => d.won_date!.slice(0, 10) < mqlDates.get(d.mql_id)!).length;
    const update = await importAll(env, "leads", { file: dealsFile }, await mappingFile(path.join(MAPPINGS, "olist-closed-deals.json")));
    expect(update.job).toMatchObject({ status: "done", processedRows: deals.length, errorCount: impossible, stats: { updated: deals.length - impossible } });
    expect(update.job.errors.every((e) => e.field === "closed_at" && /before the lead was received/.test(e.message))).toBe(true);
    expect(await count(env, (q) => q.where("status", "=", "won").where("idempotency_key", "like", "import:%").where(sql<boolean>`length(idempotency_key) = 39`))).toBe(deals.length - impossible);

    const good = deals.filter((d) => d.won_date!.slice(0, 10) >= mqlDates.get(d.mql_id)!);
    // One rep per hash: a person who is SDR on some deals and SR on others is created once, in the team of the role
    // they first appear in.
    const created = await env.db.selectFrom("reps").innerJoin("teams", "teams.id", "reps.team_id").select(["reps.name", "reps.role", "teams.name as team"])
      .where("teams.name", "in", ["Olist SDRs", "Olist sales"]).execute();
    expect(new Set(created.map((r) => r.name))).toEqual(new Set([...good.map((d) => d.sdr_id!), ...good.map((d) => d.sr_id!)]));
    expect(created).toHaveLength(new Set(created.map((r) => r.name)).size);
    expect(created.every((r) => (r.team === "Olist SDRs") === (r.role === "sdr"))).toBe(true);
    const srOnly = new Set(good.map((d) => d.sr_id!).filter((id) => !good.some((d) => d.sdr_id === id)));
    expect(created.filter((r) => srOnly.has(r.name)).every((r) => r.role === "ae")).toBe(true);

    const k = await kpisFromEvents(env.db, { workspaceId: env.workspaceId, from: new Date("2017-06-01T00:00:00Z"), to: new Date("2018-07-01T00:00:00Z") }, NOW);
    expect(k.volume).toBe(8000);
    expect(k.wrongAssignment.denominator).toBe(good.length);
    expect(k.meetingRate).toEqual({ numerator: 0, denominator: good.length, rate: 0 });

    const again = await importAll(env, "leads", { file: dealsFile }, await mappingFile(path.join(MAPPINGS, "olist-closed-deals.json")));
    expect(again.job.stats).toEqual({ inserted: 0, updated: 0, skipped: good.length });
  });

  it("Maven CRM: sales teams → reps, accounts → accounts, the pipeline → leads with outcomes", async () => {
    const dir = (f: string) => file("maven-crm-sales-opportunities", f);
    const reps = await importAll(env, "reps", { file: dir("sales_teams.csv") }, await mappingFile(path.join(MAPPINGS, "maven-sales-teams.json")));
    expect(reps.job).toMatchObject({ status: "done", errorCount: 0, stats: { inserted: 35 } });
    const teams = await env.db.selectFrom("teams").select("key").where("workspace_id", "=", env.workspaceId).where("key", "in", ["central", "east", "west"]).execute();
    expect(teams).toHaveLength(3);
    const accounts = await importAll(env, "accounts", { file: dir("accounts.csv") }, await mappingFile(path.join(MAPPINGS, "maven-accounts.json")));
    expect(accounts.job).toMatchObject({ status: "done", errorCount: 0, stats: { inserted: 85 } });
    const acme = await env.db.selectFrom("accounts").selectAll().where("external_id", "=", "Acme Corporation").executeTakeFirstOrThrow();
    expect(acme).toMatchObject({ industry: "technology", employees: 2822, country: "US", region: "NA", annual_revenue: 1_100_040_000 });

    const rows = records(dir("sales_pipeline.csv")).slice(0, PREFIX);
    const pipeline = await importAll(env, "leads", { file: await prefix(env, dir("sales_pipeline.csv"), PREFIX) }, await mappingFile(path.join(MAPPINGS, "maven-sales-pipeline.json")));
    expect(pipeline.job).toMatchObject({ status: "done", processedRows: PREFIX, errorCount: 0, stats: { inserted: PREFIX } });
    const ids = rows.map((r) => `import:${r.opportunity_id}`);
    const leads = await leadsOf(env).select(["idempotency_key", "status", "opportunity_amount", "owner_rep_id", "account_id", "decision"]).where("idempotency_key", "in", ids).execute();
    const stage = (s: string) => rows.filter((r) => r.deal_stage === s).length;
    expect(leads.filter((l) => l.status === "won")).toHaveLength(stage("Won"));
    expect(leads.filter((l) => l.status === "lost")).toHaveLength(stage("Lost"));
    expect(leads.filter((l) => l.decision === "accepted")).toHaveLength(stage("Won") + stage("Lost") + stage("Engaging"));
    expect(leads.every((l) => l.owner_rep_id !== null)).toBe(true);
    expect(leads.filter((l) => l.account_id !== null)).toHaveLength(rows.filter((r) => r.account !== "").length);
    const won = rows.filter((r) => r.deal_stage === "Won").reduce((s, r) => s + Number(r.close_value), 0);
    const k = await kpisFromEvents(env.db, { workspaceId: env.workspaceId, from: new Date("2016-01-01T00:00:00Z"), to: new Date("2018-01-01T00:00:00Z") }, NOW);
    expect(k.pipeline.amount).toBe(won);
    expect(k.acceptance.rate).toBe(1);
  });

  it("reads the IT tickets file: UTF-8 BOM, CRLF and quoted newlines", async () => {
    const source = file("it-ticket-assignment-grp", "input_data.csv");
    const { headers, records: items } = await openCsv(source);
    expect(headers).toEqual(["Short description", "Description", "Caller", "Assignment group"]);
    let rows = 0;
    let multiline = 0;
    for await (const item of items) {
      expect(item.kind).toBe("row");
      if (item.kind === "row") {
        rows++;
        expect(item.cells).toHaveLength(4);
        if (item.cells[1]!.includes("\n")) multiline++;
      }
    }
    expect(rows).toBe(8500);
    expect(multiline).toBeGreaterThan(100);
    expect((await countRows(source)).rows).toBe(8500);
  });
});
