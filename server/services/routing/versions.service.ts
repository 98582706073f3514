/**
 * Decision-table versions: drafts edited in place, immutable published versions, cell-level diffs, test cases run on
 * every save, the single-lead preview, DMN/JSON import and export, and governed publishing (no errors, tests pass,
 * a simulation of the final draft within 24 hours, an optional second approver, an optional effective time) with
 * one-click rollback. Every change is audited.
 */
import "server-only";
import { sql, type Kysely, type Transaction } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import {
  check, compile, diffTables, DmnImportError, sameTable, exportDmn, importDmn, parseDecisionTable, safeParseDecisionTable,
  describeRuleTrace, evaluateTraced, type DecisionTable, type Diagnostic,
} from "@/lib/decision-table";
import { decideRoute, type DecideInput, type TableVersionRef } from "@/lib/routing/decide";
import { FACT_FIELDS, LeadFacts } from "@/lib/routing/facts";
import { runTableTests, TableTestExpectation, type TableTestCase, type TableTestResult } from "@/lib/routing/table-tests";
import { recordAudit } from "../../repositories/audit.repository";
import { ConflictError, fieldErrorsFromIssues, NotFoundError, PreconditionError, ValidationError } from "../../errors";
import { routingContext } from "../ingest/routing-context";

export interface Actor {
  workspaceId: string;
  userId: string;
  now: Date;
}

/** A simulation counts for publishing if it ran on the draft as it is now and finished within this window. */
export const SIMULATION_FRESH_MS = 24 * 3_600_000;

type Db = Kysely<Database>;

/** Audits a change to a table version. */
function audit(trx: Db, actor: Actor, action: string, entityId: string, summary: string, after?: unknown) {
  return recordAudit(trx, actor, { action, entityType: "decision_table_version", entityId, summary, after });
}

async function versionRow(db: Db, workspaceId: string, versionId: string) {
  const row = await db.selectFrom("decision_table_versions as v")
    .innerJoin("decision_tables as t", "t.id", "v.table_id")
    .select(["v.id", "v.table_id", "v.version", "v.status", "v.definition", "v.change_reason", "v.based_on_version_id", "v.created_by", "v.created_at",
      "v.updated_at", "v.approved_by", "v.approved_at", "v.published_by", "v.published_at", "v.effective_at", "t.name as table_name", "t.key as table_key"])
    .where("v.workspace_id", "=", workspaceId).where("v.id", "=", versionId).executeTakeFirst();
  if (!row) throw new NotFoundError("Table version");
  return row;
}

/** The version live routing uses for a table at `now` (the latest effective published version). */
export async function liveVersionId(db: Db, workspaceId: string, tableId: string, now: Date): Promise<string | null> {
  const row = await db.selectFrom("decision_table_versions")
    .select("id")
    .where("workspace_id", "=", workspaceId).where("table_id", "=", tableId)
    .where("status", "in", ["published", "superseded"])
    .where(sql<Date>`coalesce(effective_at, published_at, created_at)`, "<=", now)
    .orderBy(sql`coalesce(effective_at, published_at, created_at)`, "desc").orderBy("version", "desc")
    .limit(1).executeTakeFirst();
  return row?.id ?? null;
}

function requireApprover(settings: unknown): boolean {
  return (settings as { routing?: { requireApprover?: boolean } } | null)?.routing?.requireApprover === true;
}

/** The editor's view of a table: versions, the open draft, tests and the workspace's publishing rules. */
export async function tableEditor(db: Db, workspaceId: string, tableId: string, now: Date) {
  const table = await db.selectFrom("decision_tables").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", tableId).executeTakeFirst();
  if (!table) throw new NotFoundError("Decision table");
  const [versions, live, ws, tests] = await Promise.all([
    db.selectFrom("decision_table_versions as v")
      .leftJoin("users as c", "c.id", "v.created_by")
      .leftJoin("users as p", "p.id", "v.published_by")
      .leftJoin("users as a", "a.id", "v.approved_by")
      .select(["v.id", "v.version", "v.status", "v.change_reason", "v.created_at", "v.updated_at", "v.published_at", "v.effective_at", "v.approved_at",
        "v.based_on_version_id", "c.name as created_by_name", "p.name as published_by_name", "a.name as approved_by_name", "v.created_by"])
      .where("v.table_id", "=", tableId).orderBy("v.version", "desc").execute(),
    liveVersionId(db, workspaceId, tableId, now),
    db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    listTests(db, workspaceId, tableId),
  ]);
  const draft = versions.find((v) => v.status === "draft") ?? null;
  return {
    table: { id: table.id, key: table.key, name: table.name, description: table.description },
    versions: versions.map((v) => ({
      ...v,
      live: v.id === live,
      scheduled: v.status === "published" && v.effective_at !== null && v.effective_at.getTime() > now.getTime(),
    })),
    liveVersionId: live,
    draftVersionId: draft?.id ?? null,
    tests,
    requireApprover: requireApprover(ws.settings),
  };
}

/** One version with its diagnostics and test results (drafts are checked as they are). */
export async function versionDetail(db: Db, workspaceId: string, versionId: string) {
  const row = await versionRow(db, workspaceId, versionId);
  const parsed = safeParseDecisionTable(row.definition);
  const definition = parsed.ok ? parsed.table : null;
  const diagnostics: Diagnostic[] = definition ? check(definition) : [];
  const tests = definition ? await testsFor(db, workspaceId, row.table_id, definition) : [];
  return {
    id: row.id, tableId: row.table_id, tableName: row.table_name, version: row.version, status: row.status, changeReason: row.change_reason,
    createdAt: row.created_at, updatedAt: row.updated_at, publishedAt: row.published_at, effectiveAt: row.effective_at,
    approvedBy: row.approved_by, approvedAt: row.approved_at, createdBy: row.created_by,
    definition: (definition ?? row.definition) as DecisionTable,
    parseIssues: parsed.ok ? [] : parsed.issues,
    diagnostics,
    tests,
  };
}

/** Opens the table's draft: the existing one, or a copy of `fromVersionId` (default: the live version). */
export async function openDraft(db: Db, actor: Actor, tableId: string, fromVersionId?: string) {
  return db.transaction().execute(async (trx) => {
    // One draft per table: serialize openers on the table row.
    await trx.selectFrom("decision_tables").select("id").where("id", "=", tableId).where("workspace_id", "=", actor.workspaceId).forUpdate().executeTakeFirstOrThrow()
      .catch(() => { throw new NotFoundError("Decision table"); });
    const existing = await trx.selectFrom("decision_table_versions").select("id").where("table_id", "=", tableId).where("status", "=", "draft").executeTakeFirst();
    if (existing) return { id: existing.id, created: false };
    const fromId = fromVersionId ?? (await liveVersionId(trx, actor.workspaceId, tableId, actor.now));
    const from = fromId ? await trx.selectFrom("decision_table_versions").select(["id", "definition", "version"]).where("id", "=", fromId).where("table_id", "=", tableId).executeTakeFirst() : undefined;
    if (fromId && !from) throw new NotFoundError("Table version");
    const next = await trx.selectFrom("decision_table_versions").select((eb) => eb.fn.max("version").as("v")).where("table_id", "=", tableId).executeTakeFirst();
    const version = Number(next?.v ?? 0) + 1;
    const definition = from?.definition ?? { name: "Routing", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }], outputs: [{ name: "route", type: "string" }], rules: [] };
    const created = await trx.insertInto("decision_table_versions").values({
      workspace_id: actor.workspaceId, table_id: tableId, version, status: "draft", definition: json(definition),
      based_on_version_id: from?.id ?? null, created_by: actor.userId, change_reason: "",
    }).returning("id").executeTakeFirstOrThrow();
    await audit(trx, actor, "table_version.draft_opened", created.id, `Opened draft v${version}${from ? ` from v${from.version}` : ""}`);
    return { id: created.id, created: true };
  });
}

export const SaveDraftInput = z.object({
  versionId: z.uuid(),
  definition: z.unknown(),
  changeReason: z.string().trim().max(2000, "Keep the change reason under 2,000 characters.").default(""),
});

/** Saves a draft. A definition that does not parse is refused with field-level errors; diagnostics and test results come back. */
export async function saveDraft(db: Db, actor: Actor, input: z.infer<typeof SaveDraftInput>) {
  const parsed = safeParseDecisionTable(input.definition);
  if (!parsed.ok) {
    const fields: Record<string, string[]> = {};
    for (const i of parsed.issues) (fields[i.path ? `definition.${i.path}` : "definition"] ??= []).push(i.message);
    throw new ValidationError("The table has structural problems; nothing was saved.", fields);
  }
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("decision_table_versions").select(["id", "status", "version", "definition", "approved_by"])
      .where("id", "=", input.versionId).where("workspace_id", "=", actor.workspaceId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError("Table version");
    if (row.status !== "draft") throw new ConflictError(`Version ${row.version} is ${row.status} and cannot be edited; open a draft instead.`);
    const before = parseDecisionTable(row.definition);
    const diff = diffTables(before, parsed.table);
    const same = sameTable(before, parsed.table);
    await trx.updateTable("decision_table_versions").set({
      change_reason: input.changeReason,
      // A changed table is a new draft as far as simulations and approvals go: they covered the table as it was.
      ...(same ? {} : { definition: json(parsed.table), updated_at: actor.now, approved_by: null, approved_at: null }),
    }).where("id", "=", row.id).execute();
    if (!same) await audit(trx, actor, "table_version.draft_saved", row.id, `Saved draft v${row.version}: ${describeDiff(diff)}`);
  });
  return versionDetail(db, actor.workspaceId, input.versionId);
}

function describeDiff(diff: ReturnType<typeof diffTables>): string {
  const parts: string[] = [];
  const count = (k: string) => diff.rules.filter((r) => r.kind === k).length;
  if (count("added")) parts.push(`${count("added")} rule(s) added`);
  if (count("removed")) parts.push(`${count("removed")} removed`);
  if (count("changed")) parts.push(`${count("changed")} changed (${diff.changedCells} cells)`);
  if (count("moved")) parts.push(`${count("moved")} moved`);
  if (diff.columns.length) parts.push(`${diff.columns.length} column change(s)`);
  if (diff.settings.length) parts.push(diff.settings.map((s) => `${s.field} ${s.before ?? "—"} → ${s.after ?? "—"}`).join(", "));
  return parts.join("; ") || "no change";
}

export async function discardDraft(db: Db, actor: Actor, versionId: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("decision_table_versions").select(["id", "status", "version"]).where("id", "=", versionId).where("workspace_id", "=", actor.workspaceId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError("Table version");
    if (row.status !== "draft") throw new ConflictError(`Version ${row.version} is ${row.status}; only drafts can be discarded.`);
    // Simulations of the draft go with it (they describe a table that no longer exists).
    await trx.deleteFrom("simulations").where("draft_version_id", "=", row.id).execute();
    await trx.deleteFrom("decision_table_versions").where("id", "=", row.id).execute();
    await audit(trx, actor, "table_version.draft_discarded", row.id, `Discarded draft v${row.version}`);
  });
}

export async function diffVersions(db: Db, workspaceId: string, fromId: string, toId: string) {
  const [a, b] = await Promise.all([versionRow(db, workspaceId, fromId), versionRow(db, workspaceId, toId)]);
  if (a.table_id !== b.table_id) throw new ValidationError("Both versions must belong to the same table.", { to: ["Pick a version of the same table."] });
  return { from: { id: a.id, version: a.version }, to: { id: b.id, version: b.version }, diff: diffTables(parseDecisionTable(a.definition), parseDecisionTable(b.definition)) };
}

// ------------------------------------------------------------------------------------------------ tests

export async function listTests(db: Db, workspaceId: string, tableId: string): Promise<TableTestCase[]> {
  const rows = await db.selectFrom("decision_table_tests").select(["id", "name", "facts", "expected"]).where("workspace_id", "=", workspaceId).where("table_id", "=", tableId).orderBy("created_at").orderBy("name").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, facts: r.facts, expected: TableTestExpectation.parse(r.expected) }));
}

async function decideInputFor(db: Db, workspaceId: string, definition: DecisionTable, ref: { versionId: string; version: number }): Promise<DecideInput> {
  const ctx = await routingContext(db, workspaceId);
  const diagnostics = check(definition);
  const compiled = compile(definition, { skipBrokenRules: diagnostics.some((d) => d.severity === "error") });
  return { table: { ...ref, definition, compiled }, routes: ctx.routes };
}

async function testsFor(db: Db, workspaceId: string, tableId: string, definition: DecisionTable): Promise<TableTestResult[]> {
  const tests = await listTests(db, workspaceId, tableId);
  if (!tests.length) return [];
  return runTableTests(await decideInputFor(db, workspaceId, definition, { versionId: "preview", version: 0 }), tests);
}

export const TestCaseInput = z.object({
  tableId: z.uuid(),
  id: z.uuid().optional(),
  name: z.string().trim().min(1, "Name the test case.").max(200, "Keep the name under 200 characters."),
  facts: z.record(z.string(), z.unknown()),
  expected: TableTestExpectation,
});

export async function saveTest(db: Db, actor: Actor, input: z.infer<typeof TestCaseInput>) {
  const facts = LeadFacts.safeParse(input.facts);
  if (!facts.success) throw new ValidationError("Some facts are not valid.", fieldErrorsFromIssues(facts.error.issues.map((i) => ({ path: ["facts", ...i.path], message: i.message }))));
  const ctx = await routingContext(db, actor.workspaceId);
  if (!ctx.routes.has(input.expected.route)) throw new ValidationError("Unknown route path.", { "expected.route": [`No active route path “${input.expected.route}”.`] });
  return db.transaction().execute(async (trx) => {
    const table = await trx.selectFrom("decision_tables").select("id").where("id", "=", input.tableId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
    if (!table) throw new NotFoundError("Decision table");
    const values = { name: input.name, facts: json(facts.data as Record<string, unknown>), expected: json(input.expected as Record<string, unknown>) };
    let id: string;
    if (input.id) {
      const updated = await trx.updateTable("decision_table_tests").set(values).where("id", "=", input.id).where("table_id", "=", input.tableId).returning("id").executeTakeFirst();
      if (!updated) throw new NotFoundError("Test case");
      id = updated.id;
    } else {
      id = (await trx.insertInto("decision_table_tests").values({ ...values, workspace_id: actor.workspaceId, table_id: input.tableId, created_by: actor.userId }).returning("id").executeTakeFirstOrThrow()).id;
    }
    await recordAudit(trx, actor, { action: input.id ? "table_test.updated" : "table_test.created", entityType: "decision_table_test", entityId: id, summary: `Test “${input.name}” expects ${input.expected.route}` });
    return { id };
  });
}

export async function deleteTest(db: Db, actor: Actor, testId: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom("decision_table_tests").where("id", "=", testId).where("workspace_id", "=", actor.workspaceId).returning(["id", "name"]).executeTakeFirst();
    if (!row) throw new NotFoundError("Test case");
    await recordAudit(trx, actor, { action: "table_test.deleted", entityType: "decision_table_test", entityId: row.id, summary: `Deleted test “${row.name}”` });
  });
}

// ------------------------------------------------------------------------------------------------ preview

/** Routes one lead's facts through a version (a draft as it is now) and explains every rule it tried. */
export async function previewLead(db: Db, workspaceId: string, versionId: string, source: { facts: Record<string, unknown> } | { leadId: string }) {
  const row = await versionRow(db, workspaceId, versionId);
  let facts: Record<string, unknown>;
  let flags = { junk: false, doubt: false };
  let lead: { id: string; name: string; routePath: string | null; ruleId: string | null } | null = null;
  if ("leadId" in source) {
    const l = await db.selectFrom("leads").select(["id", "facts", "is_junk", "first_name", "last_name", "email", "route_path_key", "rule_id"]).where("workspace_id", "=", workspaceId).where("id", "=", source.leadId).executeTakeFirst();
    if (!l) throw new NotFoundError("Lead");
    facts = l.facts;
    flags = { junk: l.is_junk, doubt: (l.facts as { junk_suspect?: boolean }).junk_suspect === true };
    lead = { id: l.id, name: [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "lead", routePath: l.route_path_key, ruleId: l.rule_id };
  } else {
    const parsed = LeadFacts.safeParse(source.facts);
    if (!parsed.success) throw new ValidationError("Some facts are not valid.", fieldErrorsFromIssues(parsed.error.issues.map((i) => ({ path: ["facts", ...i.path], message: i.message }))));
    facts = parsed.data as Record<string, unknown>;
  }
  const routeThrough = async (v: { id: string; version: number; definition: unknown }) => {
    const definition = parseDecisionTable(v.definition);
    const input = await decideInputFor(db, workspaceId, definition, { versionId: v.id, version: v.version });
    const decision = decideRoute(input, facts as LeadFacts, flags, true);
    const table = input.table as TableVersionRef;
    const traced = evaluateTraced(table.compiled, facts);
    return {
      versionId: v.id,
      version: v.version,
      route: decision.routeKey,
      proposedRoute: decision.proposedRoute,
      ruleId: decision.ruleId,
      review: decision.review,
      guard: decision.event.guard ?? null,
      rules: traced.rules.map((r) => ({ ruleId: r.ruleId, matched: r.matched, skipped: r.skipped ?? false, text: describeRuleTrace(table.compiled, r) })),
      invalidFacts: traced.invalidFacts,
    };
  };
  const result = await routeThrough(row);
  // A draft is shown beside the live version: both traces of the same facts.
  const liveId = row.status === "draft" ? await liveVersionId(db, workspaceId, row.table_id, new Date()) : null;
  const live = liveId ? await versionRow(db, workspaceId, liveId) : null;
  return { lead, facts, ...result, live: live ? await routeThrough(live) : null };
}

/** Catalog of facts a table can bind, with the values observed on recent leads (for autocomplete). */
export async function factCatalog(db: Db, workspaceId: string) {
  const stringFields = FACT_FIELDS.filter((f) => f.type === "string").map((f) => f.field);
  const observed = await sql<{ field: string; value: string; n: string | number }>`
    with recent as (select facts from leads where workspace_id = ${workspaceId} order by received_at desc limit 5000)
    select f.field, r.facts ->> f.field as value, count(*) as n
    from recent r cross join unnest(${sql.val(stringFields)}::text[]) as f(field)
    where r.facts ->> f.field is not null
    group by 1, 2 order by 1, 3 desc`.execute(db);
  const values = new Map<string, string[]>();
  for (const r of observed.rows) {
    const list = values.get(r.field) ?? [];
    if (list.length < 50) list.push(r.value);
    values.set(r.field, list);
  }
  const ctx = await routingContext(db, workspaceId);
  return {
    fields: FACT_FIELDS.map((f) => ({ field: f.field, label: f.label, type: f.type, source: f.source, values: [...new Set([...(f.values ?? []), ...(values.get(f.field) ?? [])])] })),
    routes: [...ctx.routes.values()].map((r) => ({ key: r.key, name: r.name, kind: r.kind })),
  };
}

// ------------------------------------------------------------------------------------------------ import / export

export const ImportInput = z.object({
  versionId: z.uuid(),
  format: z.enum(["json", "dmn"]),
  text: z.string().min(1, "Paste or choose a file.").max(5_000_000, "The file is larger than 5 MB."),
});

/** Replaces a draft's definition with an imported one (DMN XML or Switchyard JSON). */
export async function importDefinition(db: Db, actor: Actor, input: z.infer<typeof ImportInput>) {
  let definition: unknown;
  if (input.format === "dmn") {
    try {
      definition = importDmn(input.text);
    } catch (error) {
      if (error instanceof DmnImportError) throw new ValidationError("The DMN file could not be imported.", { text: error.problems.map((p) => p.message) });
      throw new ValidationError("The DMN file could not be imported.", { text: [error instanceof Error ? error.message : String(error)] });
    }
  } else {
    try {
      definition = JSON.parse(input.text);
    } catch (error) {
      throw new ValidationError("The file is not valid JSON.", { text: [error instanceof Error ? error.message : String(error)] });
    }
  }
  return saveDraft(db, actor, { versionId: input.versionId, definition, changeReason: `Imported from ${input.format.toUpperCase()}` });
}

export async function exportDefinition(db: Db, workspaceId: string, versionId: string, format: "json" | "dmn") {
  const row = await versionRow(db, workspaceId, versionId);
  const definition = parseDecisionTable(row.definition);
  const base = `${row.table_key}-v${row.version}`;
  return format === "dmn"
    ? { filename: `${base}.dmn`, mime: "application/xml", text: exportDmn(definition) }
    : { filename: `${base}.json`, mime: "application/json", text: `${JSON.stringify(definition, null, 2)}\n` };
}

// ------------------------------------------------------------------------------------------------ publishing

export interface PublishCheck {
  key: "diagnostics" | "tests" | "simulation" | "approval";
  ok: boolean;
  required: boolean;
  message: string;
  /** When the check's evidence dates from (the simulation's finish). */
  at?: Date | null;
}

/** What stands between a draft and publishing. */
export async function publishReadiness(db: Db, workspaceId: string, versionId: string, now: Date) {
  const detail = await versionDetail(db, workspaceId, versionId);
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow();
  const errors = detail.parseIssues.length + detail.diagnostics.filter((d) => d.severity === "error").length;
  const failing = detail.tests.filter((t) => !t.passed);
  const sim = await db.selectFrom("simulations").select(["id", "finished_at", "lead_count"])
    .where("draft_version_id", "=", versionId).where("status", "=", "done")
    .where("started_at", ">=", detail.updatedAt).where("finished_at", ">=", new Date(now.getTime() - SIMULATION_FRESH_MS))
    .orderBy("finished_at", "desc").limit(1).executeTakeFirst();
  const needApprover = requireApprover(ws.settings);
  const checks: PublishCheck[] = [
    { key: "diagnostics", required: true, ok: detail.status === "draft" && errors === 0, message: detail.status !== "draft" ? `Version ${detail.version} is ${detail.status}` : errors ? `${errors} error${errors === 1 ? "" : "s"} in the table` : "No errors" },
    { key: "tests", required: true, ok: failing.length === 0, message: detail.tests.length === 0 ? "No test cases (add some to protect key routes)" : failing.length ? `${failing.length} of ${detail.tests.length} test cases fail` : `All ${detail.tests.length} test cases pass` },
    { key: "simulation", required: true, ok: !!sim, at: sim?.finished_at ?? null, message: sim ? `Simulated over ${sim.lead_count?.toLocaleString("en-US") ?? "?"} leads` : "Run a simulation of this draft (as saved) — one from the last 24 hours is required" },
  ];
  if (needApprover) {
    const ok = !!detail.approvedBy;
    checks.push({ key: "approval", required: true, ok, message: ok ? "Approved by a second person" : "A second admin or ops user must approve this draft" });
  }
  return { versionId, version: detail.version, checks, ready: checks.every((c) => c.ok || !c.required), simulationId: sim?.id ?? null, requireApprover: needApprover, createdBy: detail.createdBy };
}

export async function approveDraft(db: Db, actor: Actor, versionId: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("decision_table_versions").select(["id", "status", "version", "created_by", "updated_at"]).where("id", "=", versionId).where("workspace_id", "=", actor.workspaceId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError("Table version");
    if (row.status !== "draft") throw new ConflictError(`Version ${row.version} is ${row.status}; only drafts are approved.`);
    const lastEditor = await trx.selectFrom("audit_log").select("actor_user_id").where("entity_id", "=", row.id).where("action", "in", ["table_version.draft_saved", "table_version.draft_opened"]).orderBy("id", "desc").limit(1).executeTakeFirst();
    if (row.created_by === actor.userId || lastEditor?.actor_user_id === actor.userId) throw new PreconditionError("The approver must be someone other than the draft's author and last editor.");
    await trx.updateTable("decision_table_versions").set({ approved_by: actor.userId, approved_at: actor.now }).where("id", "=", row.id).execute();
    await audit(trx, actor, "table_version.approved", row.id, `Approved draft v${row.version}`);
  });
}

export const PublishInput = z.object({
  versionId: z.uuid(),
  effectiveAt: z.coerce.date({ error: "Enter a date and time." }).optional(),
  changeReason: z.string().trim().min(3, "Say why this change is being made (at least 3 characters).").max(2000, "Keep the change reason under 2,000 characters."),
});

/** Publishes a draft once every required check passes; live routing switches at the effective time. */
export async function publishDraft(db: Db, actor: Actor, input: z.infer<typeof PublishInput>) {
  if (input.effectiveAt && input.effectiveAt.getTime() < actor.now.getTime() - 60_000) {
    throw new ValidationError("The effective time is in the past.", { effectiveAt: ["Pick a time from now on, or leave it empty to publish now."] });
  }
  const readiness = await publishReadiness(db, actor.workspaceId, input.versionId, actor.now);
  const blocking = readiness.checks.filter((c) => c.required && !c.ok);
  if (blocking.length) throw new PreconditionError("This draft cannot be published yet.", blocking.map((c) => c.message));
  const effectiveAt = input.effectiveAt && input.effectiveAt.getTime() > actor.now.getTime() ? input.effectiveAt : actor.now;
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("decision_table_versions").select(["id", "status", "version", "table_id", "definition"]).where("id", "=", input.versionId).forUpdate().executeTakeFirstOrThrow();
    if (row.status !== "draft") throw new ConflictError(`Version ${row.version} was ${row.status} meanwhile.`);
    await supersede(trx, row.table_id, actor.now, effectiveAt);
    await trx.updateTable("decision_table_versions").set({
      status: "published", published_by: actor.userId, published_at: actor.now, effective_at: effectiveAt, change_reason: input.changeReason,
    }).where("id", "=", row.id).execute();
    const when = effectiveAt.getTime() > actor.now.getTime() ? `, effective ${effectiveAt.toISOString()}` : "";
    await audit(trx, actor, "table_version.published", row.id, `Published v${row.version}${when}: ${input.changeReason}`, { simulationId: readiness.simulationId, effectiveAt });
  });
  return { versionId: input.versionId, effectiveAt };
}

/**
 * Makes room for a new published version: the current one becomes superseded (live routing still uses it until the
 * new version's effective time); a version still waiting for its effective time is withdrawn (archived).
 */
async function supersede(trx: Transaction<Database>, tableId: string, now: Date, effectiveAt: Date) {
  await trx.updateTable("decision_table_versions").set({ status: "archived" })
    .where("table_id", "=", tableId).where("status", "in", ["published", "superseded"]).where("effective_at", ">", now).where("effective_at", ">=", effectiveAt).execute();
  await trx.updateTable("decision_table_versions").set({ status: "superseded" }).where("table_id", "=", tableId).where("status", "=", "published").execute();
}

export const RollbackInput = z.object({
  versionId: z.uuid(),
  changeReason: z.string().trim().min(3, "Say why you are rolling back (at least 3 characters).").max(2000),
});

/** Publishes a copy of an earlier version as a new version, effective now. */
export async function rollbackTo(db: Db, actor: Actor, input: z.infer<typeof RollbackInput>) {
  return db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom("decision_table_versions").select(["id", "status", "version", "table_id", "definition"]).where("id", "=", input.versionId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
    if (!target) throw new NotFoundError("Table version");
    if (target.status === "draft") throw new ConflictError("A draft has never been live; publish it instead.");
    await trx.selectFrom("decision_tables").select("id").where("id", "=", target.table_id).forUpdate().execute();
    const next = await trx.selectFrom("decision_table_versions").select((eb) => eb.fn.max("version").as("v")).where("table_id", "=", target.table_id).executeTakeFirst();
    const version = Number(next?.v ?? 0) + 1;
    await supersede(trx, target.table_id, actor.now, actor.now);
    const created = await trx.insertInto("decision_table_versions").values({
      workspace_id: actor.workspaceId, table_id: target.table_id, version, status: "published", definition: json(target.definition),
      change_reason: `Rollback to v${target.version}: ${input.changeReason}`, based_on_version_id: target.id, created_by: actor.userId,
      published_by: actor.userId, published_at: actor.now, effective_at: actor.now,
    }).returning("id").executeTakeFirstOrThrow();
    await audit(trx, actor, "table_version.rolled_back", created.id, `Rolled back to v${target.version} as v${version}: ${input.changeReason}`, { from: target.id });
    return { versionId: created.id, version };
  });
}

export async function auditTrail(db: Db, workspaceId: string, tableId: string) {
  return db.selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .select(["a.id", "a.action", "a.summary", "a.created_at", "u.name as actor_name", "a.entity_id"])
    .where("a.workspace_id", "=", workspaceId)
    .where((eb) => eb.or([
      eb("a.entity_id", "in", eb.selectFrom("decision_table_versions").select(sql<string>`id::text`.as("id")).where("table_id", "=", tableId)),
      eb("a.entity_type", "=", "decision_table_test"),
      eb("a.entity_type", "=", "simulation"),
    ]))
    .orderBy("a.id", "desc").limit(200).execute();
}

export { DmnImportError };
