/**
 * One batch of an import: prepare (read-only: resolve reps and accounts, decide routes, build rows and events with
 * lib/import) and write (inside the batch's transaction). Preparing is separate from writing so the preview and
 * dry runs use exactly the import's code, and so a batch the database refuses can be retried row by row.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { loadMetricContext, refreshLeadMetrics } from "../metrics/lead-metrics";
import type { Insertable, Kysely, Updateable } from "kysely";
import { json } from "@/db";
import type { AccountsTable, Database, LeadEventsTable, LeadsTable, LeadStatus, RepsTable } from "@/db/types";
import {
  buildLeadHistory, decideImportedRoute, importedLeadFacts, projectImportedLead, type AccountFacts, type ImportedEvent,
  targetField, type ImportMapping, type MappedAccount, type MappedLead, type MappedRep, type ResolvedOwner, type RowError,
} from "@/lib/import";
import {
  accountsByDomainOrName, accountsByKeys, eventsForLeads, insertAccounts, insertEvents, insertLeads, insertReps, insertTeam,
  leadsByIdempotencyKey, repsByEmail, teamByKey, updateAccount, updateLead, updateRep,
} from "../../repositories/import.repository";
import {
  DEFAULT_TEAM_NAME, DEFAULT_WEEKLY_HOURS, ensureTeam, Planner, resolveRep, type ImportContext, type Needs, type RepEntry,
} from "./context";

type Db = Kysely<Database>;

export interface BatchEnv {
  ctx: ImportContext;
  mapping: ImportMapping;
  headers: readonly string[];
  jobId: string;
  now: Date;
}

/** What a prepared row will do, for the preview. */
export interface RowOutcome {
  action: "insert" | "update" | "skip";
  status?: string;
  route?: string | null;
  ruleId?: string | null;
  owner?: string | null;
  firstOwner?: string | null;
  account?: string | null;
  events?: string[];
  creates?: string[];
  note?: string;
}

export interface PreparedItem {
  row: number;
  needs: Needs;
  outcome: RowOutcome;
}

export interface WriteResult {
  inserted: number;
  updated: number;
  skipped: number;
}

export interface PreparedBatch<T extends PreparedItem = PreparedItem> {
  items: T[];
  errors: RowError[];
  write(db: Db, items: T[]): Promise<WriteResult>;
  /** After the write committed: update in-memory state (the rep directory) with what it created. */
  afterCommit?(items: T[]): void;
}

function columnOf(mapping: ImportMapping, key: string): string | null {
  return mapping.fields[key]?.column ?? null;
}

function record(headers: readonly string[], cells: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((h, i) => {
    out[h] = cells[i] ?? "";
  });
  return out;
}

// ------------------------------------------------------------------------------------------------ teams and reps

/**
 * Inserts the teams and reps the rows need (idempotently). When another process created one meanwhile, the stored
 * id wins: planned objects are updated in place and the returned map says which rep/team ids to replace.
 */
async function writeNeeds(db: Db, ctx: ImportContext, needsList: Needs[]): Promise<Map<string, string>> {
  const remap = new Map<string, string>();
  const teams = [...new Set(needsList.flatMap((n) => n.teams))];
  for (const t of teams) {
    await insertTeam(db, {
      id: t.id, workspace_id: ctx.workspace.id, key: t.key, name: t.name, time_zone: t.timeZone,
      weekly_hours: json(DEFAULT_WEEKLY_HOURS), holidays: json([]), settings: json({ createdBy: "import" }),
    });
    const stored = await teamByKey(db, ctx.workspace.id, t.key);
    if (stored && stored.id !== t.id) {
      remap.set(t.id, stored.id);
      t.id = stored.id;
    }
  }
  const reps = [...new Set(needsList.flatMap((n) => n.reps))];
  for (const r of reps) {
    const teamId = remap.get(r.teamId);
    if (teamId) r.teamId = teamId;
  }
  if (reps.length) {
    await insertReps(db, reps.map((r): Insertable<RepsTable> => ({
      id: r.id, workspace_id: ctx.workspace.id, team_id: r.teamId, name: r.name, email: r.email, role: r.role,
      time_zone: r.timeZone, settings: json({ createdBy: "import" }), working_hours: json(null),
    })));
    const stored = await repsByEmail(db, ctx.workspace.id, reps.map((r) => r.email));
    for (const s of stored) {
      const planned = reps.find((r) => r.email === s.email);
      if (planned && planned.id !== s.id) {
        remap.set(planned.id, s.id);
        remap.set(planned.teamId, s.team_id);
        planned.id = s.id;
        planned.teamId = s.team_id;
      }
    }
  }
  return remap;
}

const re = (remap: Map<string, string>, id: string | null | undefined): string | null => (id == null ? null : remap.get(id) ?? id);

function ownerLabel(r: { kind: "rep"; rep: RepEntry } | { kind: "planned"; rep: { name: string; email: string } } | null): string | null {
  if (r === null) return null;
  return r.kind === "planned" ? `${r.rep.name} (new rep, ${r.rep.email})` : `${r.rep.name} <${r.rep.email}>`;
}

// ------------------------------------------------------------------------------------------------ leads

export interface PreparedLeadInsert extends PreparedItem {
  lead: Insertable<LeadsTable>;
  events: Array<Insertable<LeadEventsTable>>;
}

export interface PreparedLeadUpdate extends PreparedItem {
  leadId: string;
  routeKind: string | null;
  events: Array<Insertable<LeadEventsTable>>;
}

interface OwnerResolution {
  owner: ResolvedOwner | null;
  firstOwner: ResolvedOwner | null;
  labels: { owner: string | null; firstOwner: string | null };
  errors: RowError[];
}

function resolveOwners(env: BatchEnv, planner: Planner, needs: Needs, lead: MappedLead): OwnerResolution {
  const out: OwnerResolution = { owner: null, firstOwner: null, labels: { owner: null, firstOwner: null }, errors: [] };
  for (const key of ["first_owner", "owner"] as const) {
    const ref = key === "owner" ? lead.owner : lead.firstOwner;
    if (ref === null) continue;
    const r = resolveRep(env.ctx, planner, needs, ref, { key, mapping: env.mapping.fields[key], column: columnOf(env.mapping, key), row: lead.row }, env.mapping.options.unknownOwner);
    if (r.kind === "error") out.errors.push(r.error);
    if (r.kind === "rep" || r.kind === "planned") {
      const resolved = { repId: r.rep.id, teamId: r.rep.teamId };
      if (key === "owner") {
        out.owner = resolved;
        out.labels.owner = ownerLabel(r);
      } else {
        out.firstOwner = resolved;
        out.labels.firstOwner = ownerLabel(r);
      }
    }
  }
  return out;
}

function historyErrors(env: BatchEnv, row: number, errors: Array<{ field: string; message: string }>): RowError[] {
  return errors.map((e) => {
    const label = e.field ? targetField(env.mapping.kind, e.field)?.label ?? e.field : null;
    return { row, column: e.field ? columnOf(env.mapping, e.field) : null, field: e.field, message: label ? `${label}: ${e.message}` : e.message };
  });
}

function eventRow(workspaceId: string, leadId: string, e: ImportedEvent): Insertable<LeadEventsTable> {
  return {
    workspace_id: workspaceId, lead_id: leadId, type: e.type as Insertable<LeadEventsTable>["type"], occurred_at: e.occurredAt,
    rep_id: e.repId, reason_code: e.reasonCode, amount: e.amount, currency: e.currency, external_id: e.externalId, data: json(e.data),
  };
}

/** Prepares new leads (insert mode). */
export async function prepareLeadInserts(db: Db, env: BatchEnv, leads: MappedLead[], cells: Map<number, string[]>): Promise<PreparedBatch<PreparedLeadInsert>> {
  const { ctx } = env;
  const domains = [...new Set(leads.map((l) => l.companyDomain).filter((d): d is string => d !== null))];
  const names = [...new Set(leads.map((l) => l.companyNameKey).filter((n): n is string => n !== null && n !== ""))];
  const accounts = await accountsByDomainOrName(db, ctx.workspace.id, domains, names);
  const byDomain = new Map(accounts.filter((a) => a.domain).map((a) => [a.domain!, a]));
  const byName = new Map<string, typeof accounts>();
  for (const a of accounts) byName.set(a.name_key, [...(byName.get(a.name_key) ?? []), a]);

  const planner = new Planner();
  const items: PreparedLeadInsert[] = [];
  const errors: RowError[] = [];
  for (const lead of leads) {
    const needs: Needs = { teams: [], reps: [] };
    const owners = resolveOwners(env, planner, needs, lead);
    if (owners.errors.length) {
      errors.push(...owners.errors);
      continue;
    }
    const nameMatches = lead.companyNameKey ? byName.get(lead.companyNameKey) ?? [] : [];
    const account = (lead.companyDomain ? byDomain.get(lead.companyDomain) : undefined) ?? (nameMatches.length === 1 ? nameMatches[0] : undefined);
    const accountFacts: AccountFacts | null = account
      ? { accountId: account.id, customer: account.customer_status === "customer", employees: account.employees, industry: account.industry, region: account.region, country: account.country }
      : null;
    const facts = importedLeadFacts(lead, accountFacts, ctx.scoring);
    let routeKey: string | null = null;
    let ruleId: string | null = null;
    let decidedBy: "file" | "table" | "none" = "none";
    if (lead.routePath !== null) {
      routeKey = lead.routePath;
      decidedBy = "file";
    } else if (ctx.table) {
      const decision = decideImportedRoute(ctx.table, facts);
      routeKey = decision.route;
      ruleId = decision.ruleId;
      decidedBy = decision.route !== null ? "table" : "none";
    }
    const route = routeKey !== null ? ctx.routes.get(routeKey) ?? null : null;
    const leadId = randomUUID();
    const history = buildLeadHistory({
      mode: "insert", receivedAt: lead.receivedAt!, receivedAtSynthetic: lead.receivedAtSynthetic, channel: lead.channel ?? "import",
      importJobId: env.jobId, row: lead.row, externalId: lead.externalId,
      route: { key: routeKey, kind: route?.kind ?? null, ruleId, tableVersionId: decidedBy === "table" ? ctx.table?.versionId ?? null : null, decidedBy, slaMinutes: route?.slaMinutes ?? null },
      firstOwner: owners.firstOwner, owner: owners.owner, outcomes: lead.outcomes, currency: ctx.workspace.currency, now: env.now,
      slaDueAt: (teamId, start, minutes) => ctx.directory.slaDueAt(teamId, start, minutes),
    });
    if (history.errors.length) {
      errors.push(...historyErrors(env, lead.row, history.errors));
      continue;
    }
    const p = projectImportedLead(history.events, route?.kind ?? null);
    const ownerTeam = p.ownerRepId === owners.owner?.repId ? owners.owner?.teamId : p.ownerRepId === owners.firstOwner?.repId ? owners.firstOwner?.teamId : null;
    const queue = p.ownerRepId === null && route && ["nurture", "review", "junk"].includes(route.kind) ? route.key : null;
    items.push({
      row: lead.row,
      needs,
      lead: {
        id: leadId, workspace_id: ctx.workspace.id, source_id: null, idempotency_key: lead.idempotencyKey, channel: lead.channel ?? "import",
        raw_payload: json(record(env.headers, cells.get(lead.row) ?? [])), email: lead.email, email_domain: lead.emailDomain,
        first_name: lead.firstName, last_name: lead.lastName, company: lead.company, company_domain: lead.companyDomain, phone: lead.phone,
        title: lead.title, country: lead.country, region: lead.region, message: lead.message, facts: json(facts),
        person_key: lead.personKey, inquiry_key: lead.inquiryKey, account_id: account?.id ?? null, status: p.status as LeadStatus,
        is_junk: route?.kind === "junk", score: facts.score ?? null, priority_tier: facts.priority_tier ?? null, category: facts.category ?? null,
        category_confidence: facts.confidence ?? null, classifier: facts.classifier ?? null, route_path_key: routeKey,
        table_version_id: decidedBy === "table" ? ctx.table?.versionId ?? null : null, rule_id: ruleId,
        first_owner_rep_id: p.firstOwnerRepId, owner_rep_id: p.ownerRepId, owner_queue: queue, team_id: ownerTeam ?? null,
        received_at: lead.receivedAt!, assigned_at: p.assignedAt, sla_due_at: history.slaDueAt, first_touch_at: p.firstTouchAt,
        decision: p.decision, decision_at: p.decisionAt, meeting_booked_at: p.meetingBookedAt, opportunity_created_at: p.opportunityCreatedAt,
        opportunity_amount: p.opportunityAmount, closed_at: p.closedAt, ever_wrong_assigned: p.everWrongAssigned, ever_in_review: false,
        created_at: env.now, updated_at: env.now,
      },
      events: history.events.map((e) => eventRow(ctx.workspace.id, leadId, e)),
      outcome: {
        action: "insert", status: p.status, route: routeKey, ruleId, owner: owners.labels.owner, firstOwner: owners.labels.firstOwner,
        account: account ? account.id : null, events: history.events.map((e) => e.type),
        creates: [...needs.teams.map((t) => `team ${t.name}`), ...needs.reps.map((r) => `rep ${r.name} <${r.email}>`)],
        ...(lead.receivedAtSynthetic ? { note: `received time synthesized: ${lead.receivedAt!.toISOString()}` } : {}),
      },
    });
  }
  return {
    items,
    errors,
    async write(trx, chosen) {
      const remap = await writeNeeds(trx, ctx, chosen.map((i) => i.needs));
      const rows = chosen.map((i) => remap.size === 0 ? i.lead : { ...i.lead, owner_rep_id: re(remap, i.lead.owner_rep_id), first_owner_rep_id: re(remap, i.lead.first_owner_rep_id), team_id: re(remap, i.lead.team_id) });
      const inserted = await insertLeads(trx, rows);
      const events = chosen.filter((i) => inserted.has(i.lead.id!)).flatMap((i) => i.events).map((e) => remap.size === 0 ? e : { ...e, rep_id: re(remap, e.rep_id) });
      await insertEvents(trx, events);
      await refreshLeadMetrics(trx, await loadMetricContext(trx, ctx.workspace.id), [...inserted]);
      return { inserted: inserted.size, updated: 0, skipped: chosen.length - inserted.size };
    },
  };
}

/** Prepares outcome updates of leads imported before (update mode): found by `import:<external id>`. */
export async function prepareLeadUpdates(db: Db, env: BatchEnv, leads: MappedLead[]): Promise<PreparedBatch<PreparedLeadUpdate>> {
  const { ctx } = env;
  const found = await leadsByIdempotencyKey(db, ctx.workspace.id, [...new Set(leads.map((l) => l.idempotencyKey))]);
  const byKey = new Map(found.map((f) => [f.idempotency_key!, f]));
  const planner = new Planner();
  const items: PreparedLeadUpdate[] = [];
  const errors: RowError[] = [];
  for (const lead of leads) {
    const existing = byKey.get(lead.idempotencyKey);
    if (!existing) {
      errors.push({ row: lead.row, column: columnOf(env.mapping, "external_id"), field: "external_id", message: `No imported lead has the external id "${lead.externalId}" (import the leads first)` });
      continue;
    }
    const needs: Needs = { teams: [], reps: [] };
    const owners = resolveOwners(env, planner, needs, lead);
    if (owners.errors.length) {
      errors.push(...owners.errors);
      continue;
    }
    const history = buildLeadHistory({
      mode: "update", receivedAt: existing.received_at, receivedAtSynthetic: false, channel: "import", importJobId: env.jobId,
      row: lead.row, externalId: lead.externalId, route: null, firstOwner: owners.firstOwner, owner: owners.owner, outcomes: lead.outcomes,
      currency: ctx.workspace.currency, now: env.now, existing: { ownerRepId: existing.owner_rep_id, firstOwnerRepId: existing.first_owner_rep_id },
    });
    if (history.errors.length) {
      errors.push(...historyErrors(env, lead.row, history.errors));
      continue;
    }
    items.push({
      row: lead.row,
      needs,
      leadId: existing.id,
      routeKind: existing.route_kind ?? null,
      events: history.events.map((e) => eventRow(ctx.workspace.id, existing.id, e)),
      outcome: {
        action: history.events.length ? "update" : "skip", route: existing.route_path_key, owner: owners.labels.owner, firstOwner: owners.labels.firstOwner,
        events: history.events.map((e) => e.type), creates: needs.reps.map((r) => `rep ${r.name} <${r.email}>`),
      },
    });
  }
  return {
    items,
    errors,
    async write(trx, chosen) {
      const remap = await writeNeeds(trx, ctx, chosen.map((i) => i.needs));
      const events = chosen.flatMap((i) => i.events).map((e) => remap.size === 0 ? e : { ...e, rep_id: re(remap, e.rep_id) });
      const added = await insertEvents(trx, events);
      const touched = [...added.keys()];
      const all = await eventsForLeads(trx, touched);
      const byLead = new Map<string, typeof all>();
      for (const e of all) byLead.set(e.lead_id, [...(byLead.get(e.lead_id) ?? []), e]);
      const teamOf = new Map<string, string>();
      for (const i of chosen) for (const r of i.needs.reps) teamOf.set(r.id, r.teamId);
      for (const leadId of touched) {
        const item = chosen.find((i) => i.leadId === leadId)!;
        const p = projectImportedLead(
          (byLead.get(leadId) ?? []).map((e) => ({ type: e.type, occurredAt: e.occurred_at, repId: e.rep_id, reasonCode: e.reason_code, amount: e.amount })),
          item.routeKind,
        );
        const ownerTeam = p.ownerRepId ? teamOf.get(p.ownerRepId) ?? ctx.directory.teamOfRep(p.ownerRepId) : null;
        await updateLead(trx, leadId, {
          status: p.status as LeadStatus, owner_rep_id: p.ownerRepId, first_owner_rep_id: p.firstOwnerRepId, assigned_at: p.assignedAt,
          ...(ownerTeam ? { team_id: ownerTeam } : {}), ...(p.ownerRepId ? { owner_queue: null } : {}),
          first_touch_at: p.firstTouchAt, decision: p.decision, decision_at: p.decisionAt, meeting_booked_at: p.meetingBookedAt,
          opportunity_created_at: p.opportunityCreatedAt, opportunity_amount: p.opportunityAmount, closed_at: p.closedAt,
          ever_wrong_assigned: p.everWrongAssigned, updated_at: env.now,
        });
      }
      await refreshLeadMetrics(trx, await loadMetricContext(trx, ctx.workspace.id), touched);
      const updatedRows = chosen.filter((i) => added.has(i.leadId)).length;
      return { inserted: 0, updated: updatedRows, skipped: chosen.length - updatedRows };
    },
  };
}

// ------------------------------------------------------------------------------------------------ accounts

export interface PreparedAccount extends PreparedItem {
  existingId: string | null;
  row_: Insertable<AccountsTable>;
  patch: Updateable<AccountsTable>;
}

/** Prepares account upserts: matched by external id, else by domain. */
export async function prepareAccounts(db: Db, env: BatchEnv, accounts: MappedAccount[]): Promise<PreparedBatch<PreparedAccount>> {
  const { ctx } = env;
  const externalIds = [...new Set(accounts.map((a) => a.externalId).filter((x): x is string => x !== null))];
  const domains = [...new Set(accounts.map((a) => a.domain).filter((x): x is string => x !== null))];
  const existing = await accountsByKeys(db, ctx.workspace.id, externalIds, domains);
  const byExternal = new Map(existing.filter((a) => a.external_id).map((a) => [a.external_id!, a.id]));
  const byDomain = new Map(existing.filter((a) => a.domain).map((a) => [a.domain!, a.id]));
  const planner = new Planner();
  const items: PreparedAccount[] = [];
  const errors: RowError[] = [];
  // Rows of this batch that upsert the same account become one: the later row wins (ids assigned as we go).
  const batchIds = new Map<string, string>();
  for (const a of accounts) {
    const needs: Needs = { teams: [], reps: [] };
    let ownerId: string | null = null;
    let ownerLabelText: string | null = null;
    if (a.owner !== null) {
      const r = resolveRep(ctx, planner, needs, a.owner, { key: "owner", mapping: env.mapping.fields.owner, column: columnOf(env.mapping, "owner"), row: a.row }, env.mapping.options.unknownOwner);
      if (r.kind === "error") {
        errors.push(r.error);
        continue;
      }
      if (r.kind !== "none") {
        ownerId = r.rep.id;
        ownerLabelText = ownerLabel(r);
      }
    }
    const keyExt = a.externalId !== null ? `x:${a.externalId}` : null;
    const keyDom = a.domain !== null ? `d:${a.domain}` : null;
    const existingId = (a.externalId !== null ? byExternal.get(a.externalId) : undefined) ?? (a.domain !== null ? byDomain.get(a.domain) : undefined)
      ?? (keyExt ? batchIds.get(keyExt) : undefined) ?? (keyDom ? batchIds.get(keyDom) : undefined) ?? null;
    const id = existingId ?? randomUUID();
    if (keyExt) batchIds.set(keyExt, id);
    if (keyDom) batchIds.set(keyDom, id);
    const m = a.mapped;
    const patch: Updateable<AccountsTable> = {
      name: a.name, name_key: a.nameKey, updated_at: env.now,
      ...(m.has("external_id") ? { external_id: a.externalId } : {}),
      ...(m.has("domain") || m.has("website") ? { domain: a.domain } : {}),
      ...(m.has("owner") ? { owner_rep_id: ownerId } : {}),
      ...(a.customerStatus !== null ? { customer_status: a.customerStatus } : {}),
      ...(m.has("employees") ? { employees: a.employees } : {}),
      ...(m.has("industry") ? { industry: a.industry } : {}),
      ...(m.has("country") ? { country: a.country } : {}),
      ...(m.has("region") || m.has("country") ? { region: a.region } : {}),
      ...(m.has("annual_revenue") ? { annual_revenue: a.annualRevenue } : {}),
    };
    items.push({
      row: a.row,
      needs,
      existingId,
      patch,
      row_: {
        id, workspace_id: ctx.workspace.id, external_id: a.externalId, name: a.name, name_key: a.nameKey, domain: a.domain, owner_rep_id: ownerId,
        customer_status: a.customerStatus ?? "prospect", employees: a.employees, industry: a.industry, region: a.region, country: a.country,
        annual_revenue: a.annualRevenue, created_at: env.now, updated_at: env.now,
      },
      outcome: { action: existingId ? "update" : "insert", owner: ownerLabelText, creates: needs.reps.map((r) => `rep ${r.name} <${r.email}>`) },
    });
  }
  return {
    items,
    errors,
    async write(trx, chosen) {
      const remap = await writeNeeds(trx, ctx, chosen.map((i) => i.needs));
      // The first row of a new account inserts it; later rows for the same account (or an existing one) update it.
      const fresh = new Map<string, Insertable<AccountsTable>>();
      const updates: PreparedAccount[] = [];
      for (const item of chosen) {
        const id = item.row_.id!;
        if (item.existingId === null && !fresh.has(id)) fresh.set(id, { ...item.row_, owner_rep_id: re(remap, item.row_.owner_rep_id) });
        else updates.push(item);
      }
      await insertAccounts(trx, [...fresh.values()]);
      for (const item of updates) {
        const owner = item.patch.owner_rep_id !== undefined ? { owner_rep_id: re(remap, item.patch.owner_rep_id) } : {};
        await updateAccount(trx, item.row_.id!, { ...item.patch, ...owner });
      }
      return { inserted: fresh.size, updated: updates.length, skipped: 0 };
    },
  };
}

// ------------------------------------------------------------------------------------------------ reps

export interface PreparedRep extends PreparedItem {
  existingId: string | null;
  insert: Insertable<RepsTable>;
  patch: Updateable<RepsTable>;
}

/** Prepares rep upserts by email; teams are created when missing. */
export async function prepareReps(db: Db, env: BatchEnv, reps: MappedRep[]): Promise<PreparedBatch<PreparedRep>> {
  const { ctx } = env;
  const planner = new Planner();
  const items: PreparedRep[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, string>();
  for (const r of reps) {
    const needs: Needs = { teams: [], reps: [] };
    const known = ctx.directory.repByEmail(r.email);
    const teamName = r.team ?? (known ? null : DEFAULT_TEAM_NAME);
    const teamId = teamName === null ? known!.teamId : ensureTeam(ctx, planner, needs, teamName);
    const team = ctx.directory.teamById(teamId) ?? null;
    const timeZone = team?.calendar.timeZone ?? ctx.workspace.timeZone;
    const existingId = known?.id ?? seen.get(r.email) ?? null;
    const id = existingId ?? randomUUID();
    seen.set(r.email, id);
    const m = r.mapped;
    const patch: Updateable<RepsTable> = {
      name: r.name,
      ...(m.has("team") && r.team !== null ? { team_id: teamId, time_zone: timeZone } : {}),
      ...(r.role !== null ? { role: r.role } : {}),
      ...(m.has("title") ? { title: r.title ?? "" } : {}),
      ...(r.territories !== null ? { territories: r.territories } : m.has("territories") ? { territories: [] } : {}),
      ...(r.products !== null ? { products: r.products } : m.has("products") ? { products: [] } : {}),
      ...(r.segments !== null ? { segments: r.segments } : m.has("segments") ? { segments: [] } : {}),
      ...(r.weight !== null ? { weight: r.weight } : {}),
      ...(m.has("max_open_leads") ? { max_open_leads: r.maxOpenLeads } : {}),
      ...(m.has("max_leads_per_day") ? { max_leads_per_day: r.maxLeadsPerDay } : {}),
      ...(r.active !== null ? { active: r.active } : {}),
    };
    items.push({
      row: r.row,
      needs,
      existingId,
      patch,
      insert: {
        id, workspace_id: ctx.workspace.id, team_id: teamId, name: r.name, email: r.email, title: r.title ?? "", role: r.role ?? "ae",
        territories: r.territories ?? [], products: r.products ?? [], segments: r.segments ?? [], weight: r.weight ?? 1,
        max_open_leads: r.maxOpenLeads, max_leads_per_day: r.maxLeadsPerDay, time_zone: timeZone, working_hours: json(null),
        active: r.active ?? true, settings: json({ createdBy: "import" }),
      },
      outcome: { action: existingId ? "update" : "insert", creates: needs.teams.map((t) => `team ${t.name}`), note: teamName ? `team ${teamName}` : undefined },
    });
  }
  return {
    items,
    errors,
    async write(trx, chosen) {
      const remap = await writeNeeds(trx, ctx, chosen.map((i) => i.needs));
      let inserted = 0;
      let updated = 0;
      const done = new Set<string>();
      for (const item of chosen) {
        const id = item.insert.id!;
        const teamId = re(remap, item.insert.team_id)!;
        if (item.existingId === null && !done.has(id)) {
          done.add(id);
          await insertReps(trx, [{ ...item.insert, team_id: teamId }]);
          inserted++;
        } else {
          await updateRep(trx, id, { ...item.patch, ...(item.patch.team_id ? { team_id: re(remap, item.patch.team_id)! } : {}) });
          updated++;
        }
      }
      return { inserted, updated, skipped: 0 };
    },
    afterCommit(committed) {
      for (const item of committed) {
        ctx.directory.addRep({ id: item.insert.id!, teamId: (item.patch.team_id as string | undefined) ?? item.insert.team_id, name: item.insert.name, email: item.insert.email, role: item.insert.role });
      }
    },
  };
}
