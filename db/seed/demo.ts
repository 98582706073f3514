/**
 * The demo workspace: a believable B2B revenue team and 90 days of inbound history, generated deterministically
 * from a seed. Outcomes are modelled on a team *before* good routing (about 30% of assigned leads wrongly assigned
 * at least once, first response around 50 minutes, ~41% acceptance, ~18% meeting rate), and every figure the
 * dashboard shows comes out of the event log written here through the metric definitions in lib/metrics.
 *
 * Routing uses the same lib/ code live routing uses: the published decision table decides the route path, the
 * business calendar gives SLA due times, and the owner is picked by weighted round robin with territory matching
 * (or the account owner) — then, to model the "before" state, a share of leads is first handed to the wrong rep.
 */
import { DateTime } from "luxon";
import { sql, type Kysely } from "kysely";
import type { Insertable } from "kysely";
import type { Database, LeadStatus, NewLead, NewLeadEvent, ReviewItemsTable, LeadTasksTable } from "../types";
import { json } from "../index";
import { normalizeCompanyName, seniorityFromTitle } from "@/lib/lead";
import { createRandom, type Random } from "@/lib/random";
import { composeBriefing, extractSignals } from "@/lib/classify/keyword";
import { projectOutcomes } from "@/lib/routing/projection";
import { DEFAULT_TARGETS } from "@/lib/metrics/definitions";
import { type REASSIGN_REASONS } from "@/lib/metrics/definitions";
import type { AssignmentTicket } from "@/lib/assignment";
import { encryptSecret, hashApiKey } from "@/server/auth/crypto";
import { hashPassword } from "@/server/auth/password";
import { loadMetricContext, rebuildDailyRollups, refreshLeadMetrics } from "@/server/services/metrics/lead-metrics";
import {
  CATEGORIES, COMPANY_PREFIXES, COMPANY_SUFFIXES, COUNTRIES, FIRST_NAMES, FREE_MAIL, INDUSTRIES, LAST_NAMES,
  LEGAL_FORMS_BY_COUNTRY, TITLES, type Category, type Channel, type CountryInfo, type Product,
} from "./catalog";
import { DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERS, DEMO_WEBHOOK_SECRET } from "./demo-users";
import { composeMessage } from "./messages";
import { DEMO_TABLE, REPS, ROUTE_PATHS, TEAMS } from "./workspace-config";
import { createRoutingModel, destinationFor, type RoutingModel } from "./routing-model";

export interface SeedOptions {
  /** Seed of the random stream (default "switchyard-demo"). */
  seed?: number | string;
  /** The end of the history; defaults to the current hour. */
  now?: Date;
  /** Leads to generate (default 20,000, or SEED_DEMO_LEADS). */
  leads?: number;
  /** Days of history (default 90). */
  days?: number;
  onProgress?: (message: string) => void;
}

export interface SeedSummary {
  workspaceId: string;
  leads: number;
  events: number;
  accounts: number;
  reps: number;
  ms: number;
}

/** The demo Standard Webhooks source's id (fixed so README can show its URL). */
export const DEMO_SOURCE_ID = "5e0b1d2c-0000-4000-8000-000000000de0";

const MINUTE = 60_000;
const DAY = 86_400_000;
const SEED_LOCK = 7_106_901; // pg_advisory_xact_lock key: one seeder at a time per PostgreSQL database

/** Seeds the demo workspace when the database has no workspace yet. Returns null when it did nothing. */
export async function seedDemoIfEmpty(db: Kysely<Database>, options: SeedOptions = {}): Promise<SeedSummary | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx);
    const existing = await trx.selectFrom("workspaces").select("id").limit(1).executeTakeFirst();
    if (existing) return null;
    return generate(trx, options);
  });
}

/** Seeds the demo workspace (fails if a workspace with slug "demo" exists). */
export async function seedDemo(db: Kysely<Database>, options: SeedOptions = {}): Promise<SeedSummary> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx);
    return generate(trx, options);
  });
}

function defaultLeadCount(): number {
  const fromEnv = Number(process.env.SEED_DEMO_LEADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 20_000;
}

// ------------------------------------------------------------------------------------------------ generation

interface AccountRow {
  id: string;
  name: string;
  domain: string;
  country: CountryInfo;
  employees: number;
  industry: string;
  customer: boolean;
  ownerRepId: string | null;
}

async function generate(db: Kysely<Database>, options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const rnd = createRandom(options.seed ?? "switchyard-demo");
  const now = options.now ?? floorToHour(new Date());
  const days = options.days ?? 90;
  const leadCount = options.leads ?? defaultLeadCount();
  const historyStart = new Date(now.getTime() - days * DAY);

  // ---------------------------------------------------------------- workspace, teams, reps, users
  const workspaceId = rnd.uuid();
  await db.insertInto("workspaces").values({
    id: workspaceId, slug: "demo", name: "Northwind Analytics (demo)", currency: "USD", time_zone: "America/New_York",
    settings: json({ demo: true, targets: DEFAULT_TARGETS, dedupeWindowHours: 72, requireSecondApprover: false, reviewCadence: "monthly" }),
  }).execute();

  const teamIds = new Map<string, string>();
  for (const t of TEAMS) {
    const id = rnd.uuid();
    teamIds.set(t.key, id);
    await db.insertInto("teams").values({
      id, workspace_id: workspaceId, key: t.key, name: t.name, time_zone: t.timeZone,
      weekly_hours: json(t.weeklyHours), holidays: json(t.holidays), settings: json({}),
    }).execute();
  }

  const repIds = new Map<string, string>();
  for (const r of REPS) {
    const id = rnd.uuid();
    repIds.set(r.email, id);
    const team = TEAMS.find((t) => t.key === r.team)!;
    await db.insertInto("reps").values({
      id, workspace_id: workspaceId, team_id: teamIds.get(r.team)!, name: r.name, email: r.email, title: r.title, role: r.role,
      territories: r.territories, products: r.products, segments: r.segments, weight: r.weight,
      max_open_leads: r.maxOpenLeads, max_leads_per_day: r.maxLeadsPerDay, time_zone: team.timeZone, working_hours: null,
      active: true, settings: json({}),
    }).execute();
  }

  // Out-of-office: one historical week for two reps, and one rep away right now.
  const ooo = [
    { email: "daniel.brooks@demo.switchyard.dev", start: now.getTime() - 40 * DAY, days: 7, reason: "Vacation" },
    { email: "hannah.schmidt@demo.switchyard.dev", start: now.getTime() - 20 * DAY, days: 5, reason: "Conference" },
    { email: "oliver.hughes@demo.switchyard.dev", start: now.getTime() - 2 * DAY, days: 6, reason: "Parental leave" },
  ];
  const oooByRep = new Map<string, Array<{ startsAt: Date; endsAt: Date }>>();
  for (const o of ooo) {
    const repId = repIds.get(o.email)!;
    const startsAt = new Date(o.start);
    const endsAt = new Date(o.start + o.days * DAY);
    oooByRep.set(repId, [...(oooByRep.get(repId) ?? []), { startsAt, endsAt }]);
    await db.insertInto("rep_out_of_office").values({ id: rnd.uuid(), workspace_id: workspaceId, rep_id: repId, starts_at: startsAt, ends_at: endsAt, reason: o.reason }).execute();
  }

  const userIds = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const id = rnd.uuid();
    userIds.set(u.email, id);
    await db.insertInto("users").values({
      id, workspace_id: workspaceId, email: u.email, name: u.name, role: u.role,
      rep_id: u.repEmail ? repIds.get(u.repEmail)! : null, password_hash: await hashPassword(DEMO_PASSWORD), preferences: json({}),
    }).execute();
  }
  const opsUserId = userIds.get("ops@demo.switchyard.dev")!;
  const adminUserId = userIds.get("admin@demo.switchyard.dev")!;
  await db.updateTable("teams").set({ manager_user_id: opsUserId }).where("workspace_id", "=", workspaceId).execute();
  progress(`seed: workspace, ${TEAMS.length} teams, ${REPS.length} reps, ${DEMO_USERS.length} users`);

  // ---------------------------------------------------------------- route paths and the published table
  for (const [i, rp] of ROUTE_PATHS.entries()) {
    await db.insertInto("route_paths").values({
      id: rnd.uuid(), workspace_id: workspaceId, key: rp.key, name: rp.name, kind: rp.kind, trigger_summary: rp.triggerSummary,
      data_required: rp.dataRequired, confidence_threshold: rp.confidenceThreshold, destination: json(destinationFor(rp, REPS.map((r) => ({ ...r, id: repIds.get(r.email)! })))),
      sla_minutes: rp.slaMinutes, fallback_route_key: rp.fallbackRouteKey, escalation: json({}), color: rp.color, sort_order: i,
    }).execute();
  }
  const tableId = rnd.uuid();
  const versionId = rnd.uuid();
  const publishedAt = new Date(historyStart.getTime() - 7 * DAY);
  await db.insertInto("decision_tables").values({ id: tableId, workspace_id: workspaceId, key: "inbound", name: DEMO_TABLE.name, description: "Maps every inbound lead to a route path." }).execute();
  await db.insertInto("decision_table_versions").values({
    id: versionId, workspace_id: workspaceId, table_id: tableId, version: 1, status: "published", definition: json(DEMO_TABLE),
    change_reason: "Initial routing table", created_by: opsUserId, created_at: publishedAt, updated_at: publishedAt,
    published_by: opsUserId, published_at: publishedAt, approved_by: adminUserId, approved_at: publishedAt,
  }).execute();
  // Inbound credentials for the demo (README "Send a lead"): an API key and a Standard Webhooks source.
  await db.insertInto("api_keys").values({
    id: rnd.uuid(), workspace_id: workspaceId, name: "Demo website backend", prefix: DEMO_API_KEY.split("_").slice(0, 2).join("_"),
    key_hash: hashApiKey(DEMO_API_KEY), created_by: adminUserId, created_at: publishedAt,
  }).execute();
  await db.insertInto("sources").values({
    id: DEMO_SOURCE_ID, workspace_id: workspaceId, name: "Website form (Standard Webhooks)", kind: "standard_webhooks",
    secret_ciphertext: encryptSecret(DEMO_WEBHOOK_SECRET), secret_hint: DEMO_WEBHOOK_SECRET.slice(-4), field_mapping: json({}),
    settings: json({ rateLimitPerMinute: 600, channel: "web" }), created_by: adminUserId, created_at: publishedAt,
  }).execute();
  await db.insertInto("audit_log").values([
    { workspace_id: workspaceId, actor_user_id: adminUserId, action: "workspace.seeded", entity_type: "workspace", entity_id: workspaceId, summary: "Demo workspace created", created_at: publishedAt },
    { workspace_id: workspaceId, actor_user_id: opsUserId, action: "table.published", entity_type: "decision_table_version", entity_id: versionId, summary: "Published Inbound routing v1", created_at: publishedAt },
  ]).execute();

  // ---------------------------------------------------------------- accounts
  const accountRnd = rnd.fork("accounts");
  const accounts: AccountRow[] = [];
  const usedNames = new Set<string>();
  const ownerCandidates = REPS.filter((r) => r.role === "ae");
  while (accounts.length < 300) {
    const country = accountRnd.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    const base = `${accountRnd.pick(COMPANY_PREFIXES)} ${accountRnd.pick(COMPANY_SUFFIXES)}`;
    if (usedNames.has(base)) continue;
    usedNames.add(base);
    const employees = Math.round(accountRnd.logNormal(650, 1.5));
    const customer = accountRnd.chance(0.28);
    const owner = accountRnd.chance(customer ? 0.95 : 0.55) ? pickTerritoryRep(accountRnd, ownerCandidates, country) : null;
    accounts.push({
      id: accountRnd.uuid(), name: base, domain: `${slugify(base)}.${country.tld}`, country, employees,
      industry: accountRnd.pick(INDUSTRIES), customer, ownerRepId: owner ? repIds.get(owner.email)! : null,
    });
  }
  for (const chunk of chunks(accounts, 200)) {
    await db.insertInto("accounts").values(chunk.map((a) => ({
      id: a.id, workspace_id: workspaceId, external_id: `CRM-${a.id.slice(0, 8).toUpperCase()}`, name: a.name,
      name_key: normalizeCompanyName(a.name), domain: a.domain, owner_rep_id: a.ownerRepId,
      customer_status: a.customer ? ("customer" as const) : ("prospect" as const), employees: a.employees, industry: a.industry,
      region: a.country.region, country: a.country.code, time_zone: a.country.timeZone,
      annual_revenue: Math.round(a.employees * accountRnd.logNormal(180_000, 0.6)),
    }))).execute();
  }
  progress(`seed: ${accounts.length} accounts`);

  // ---------------------------------------------------------------- leads and their event log
  const model = createRoutingModel({
    table: DEMO_TABLE,
    routePaths: ROUTE_PATHS,
    teams: TEAMS.map((t) => ({ ...t, id: teamIds.get(t.key)! })),
    reps: REPS.map((r) => ({ ...r, id: repIds.get(r.email)!, teamId: teamIds.get(r.team)!, outOfOffice: oooByRep.get(repIds.get(r.email)!) ?? [] })),
  });
  const leadRnd = rnd.fork("leads");
  // People first, then when each one arrives (in their own time zone), then the history in arrival order.
  const drafts = Array.from({ length: leadCount }, () => {
    const person = makePerson(leadRnd, accounts);
    return { person, receivedAt: arrivalTime(leadRnd, historyStart, now, person.country.timeZone) };
  }).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const builder = new HistoryBuilder(workspaceId, versionId, model, now, opsUserId);
  const recentByEmail = new Map<string, { id: string; at: number }>();
  for (const [i, { person, receivedAt }] of drafts.entries()) {
    const prior = recentByEmail.get(person.email);
    const isDuplicate = prior !== undefined && receivedAt.getTime() - prior.at < 72 * 60 * MINUTE;
    const id = leadRnd.uuid();
    builder.addLead(leadRnd, id, receivedAt, person, isDuplicate ? prior.id : null);
    if (!isDuplicate) recentByEmail.set(person.email, { id, at: receivedAt.getTime() });
    if ((i + 1) % 5000 === 0) progress(`seed: generated ${i + 1} of ${drafts.length} leads`);
  }

  let events = 0;
  for (const chunk of chunks(builder.leads, 400)) await db.insertInto("leads").values(chunk).execute();
  progress(`seed: inserted ${builder.leads.length} leads`);
  for (const chunk of chunks(builder.events, 2000)) {
    await db.insertInto("lead_events").values(chunk).execute();
    events += chunk.length;
  }
  progress(`seed: inserted ${events} events`);
  await refreshLeadMetrics(db, await loadMetricContext(db, workspaceId), builder.leads.map((l) => l.id!), { rollups: false });
  await rebuildDailyRollups(db, workspaceId);
  progress(`seed: computed the metric rows of ${builder.leads.length} leads`);
  for (const chunk of chunks(builder.reviewItems, 500)) await db.insertInto("review_items").values(chunk).execute();
  for (const chunk of chunks(builder.tasks, 1000)) await db.insertInto("lead_tasks").values(chunk).execute();
  await db.insertInto("assignment_state").values({ workspace_id: workspaceId, pool_key: "workspace", state: json(model.assignmentState()), updated_at: now }).execute();

  return { workspaceId, leads: builder.leads.length, events, accounts: accounts.length, reps: REPS.length, ms: Date.now() - started };
}

// ------------------------------------------------------------------------------------------------ people

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  emailDomain: string;
  company: string | null;
  companyDomain: string | null;
  account: AccountRow | null;
  country: CountryInfo;
  employees: number | null;
  title: string;
  seniority: "exec" | "director" | "manager" | "ic";
  phone: string | null;
  product: Product;
  channel: Channel;
  category: Category;
  junkPerson: boolean;
}

function makePerson(r: Random, accounts: AccountRow[]): Person {
  const category = r.weighted<Category>([
    ["sales_enterprise", 14], ["pricing_demo", 31], ["support_request", 11], ["job_application", 4],
    ["partner_request", 4], ["vendor_solicitation", 6], ["low_fit", 22], ["spam", 8],
  ]);
  const firstName = r.pick(FIRST_NAMES);
  const lastName = r.pick(LAST_NAMES);
  const local = `${ascii(firstName)}.${ascii(lastName)}`.toLowerCase().replace(/[^a-z.]/g, "");
  const seniority = r.weighted<Person["seniority"]>([["exec", 10], ["director", 18], ["manager", 30], ["ic", 42]]);
  const kind = category === "spam" ? "freemail" : r.weighted([
    ["account", category === "support_request" ? 70 : category === "sales_enterprise" ? 50 : 35],
    ["newco", 40],
    ["freemail", category === "low_fit" || category === "job_application" ? 60 : 18],
  ] as const);
  let account: AccountRow | null = null;
  let company: string | null;
  let companyDomain: string | null;
  let country: CountryInfo;
  let employees: number | null;
  let emailDomain: string;
  if (kind === "account") {
    account = pickAccount(r, accounts, category);
    company = account.name;
    companyDomain = account.domain;
    emailDomain = account.domain;
    country = r.chance(0.85) ? account.country : r.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    employees = r.chance(0.9) ? account.employees : null;
  } else {
    country = r.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    const name = `${r.pick(COMPANY_PREFIXES)}${r.pick(["", " ", "-"])}${r.pick(COMPANY_SUFFIXES)}`;
    const legal = LEGAL_FORMS_BY_COUNTRY[country.code];
    company = category === "spam" ? r.pick(["test", "N/A", "-", "asdf", "none"]) : legal && r.chance(0.3) ? `${name} ${r.pick(legal)}` : name;
    employees = category === "low_fit" ? r.pick([1, 2, 3, 5, 8, null]) : r.chance(0.8) ? Math.max(1, Math.round(r.logNormal(120, 1.6))) : null;
    companyDomain = kind === "newco" && category !== "spam" ? `${slugify(name)}.${country.tld}` : null;
    emailDomain = companyDomain ?? r.pick(FREE_MAIL);
  }
  const junkPerson = category === "spam" && r.chance(0.6);
  const email = junkPerson ? `${r.pick(["asdf", "test", "qwerty", "aaaa"])}${r.int(1, 999)}@${r.pick(["mailinator.com", "example.com", "gmail.com"])}` : `${local}@${emailDomain}`;
  const product = r.weighted<Product>([["analytics", 40], ["platform", 25], ["api", 20], ["payments", 15]]);
  const channel = category === "partner_request" ? "partner" : r.weighted<Channel>([["web", 38], ["paid_ads", 20], ["content", 16], ["event", 10], ["referral", 10], ["partner", 6]]);
  const titleBank = TITLES[seniority];
  return {
    firstName: junkPerson ? r.pick(["Test", "asdf", "John"]) : firstName,
    lastName: junkPerson ? r.pick(["Test", "qwer", "Doe"]) : lastName,
    email, emailDomain: email.split("@")[1]!, company, companyDomain, account, country, employees,
    title: category === "job_application" ? "Candidate" : r.pick(titleBank), seniority,
    phone: r.chance(0.55) ? `+${phonePrefix(country.code)} ${r.int(200, 989)} ${r.int(100, 999)} ${r.int(1000, 9999)}` : null,
    product, channel, category, junkPerson,
  };
}

function pickAccount(r: Random, accounts: AccountRow[], category: Category): AccountRow {
  // Support requests and expansion interest come mostly from customers.
  const wantCustomer = category === "support_request" ? 0.85 : category === "sales_enterprise" ? 0.35 : 0.22;
  const pool = accounts.filter((a) => a.customer === r.chance(wantCustomer));
  return r.pick(pool.length ? pool : accounts);
}

function pickTerritoryRep<T extends { territories: string[] }>(r: Random, reps: readonly T[], country: CountryInfo): T {
  const matching = reps.filter((rep) => rep.territories.includes(country.code) || rep.territories.includes(country.region));
  return r.pick(matching.length ? matching : reps);
}

// ------------------------------------------------------------------------------------------------ history

/** Builds rows for one lead at a time: routing decisions from the model, human outcomes from the random stream. */
class HistoryBuilder {
  readonly leads: NewLead[] = [];
  readonly events: NewLeadEvent[] = [];
  readonly reviewItems: Array<Insertable<ReviewItemsTable>> = [];
  readonly tasks: Array<Insertable<LeadTasksTable>> = [];

  constructor(
    private readonly workspaceId: string,
    private readonly versionId: string,
    private readonly model: RoutingModel,
    private readonly now: Date,
    private readonly opsUserId: string,
  ) {}

  private event(leadId: string, type: NewLeadEvent["type"], at: Date, extra: Partial<NewLeadEvent> = {}): void {
    if (at.getTime() > this.now.getTime()) return; // the future has not happened yet
    this.events.push({ workspace_id: this.workspaceId, lead_id: leadId, type, occurred_at: at, data: json({}), ...extra });
  }

  addLead(r: Random, id: string, receivedAt: Date, p: Person, duplicateOf: string | null): void {
    const eventsFrom = this.events.length;
    const t0 = receivedAt.getTime();
    const message = composeMessage(r, p.category, p.product, p.country.name);
    const isCustomer = p.account?.customer ?? false;
    const at = (ms: number) => new Date(t0 + ms);
    const raw = {
      email: p.email, firstName: p.firstName, lastName: p.lastName, company: p.company, country: p.country.name,
      title: p.title, phone: p.phone, employees: p.employees, productInterest: p.product, message: message.text,
      utm: { source: p.channel === "paid_ads" ? r.pick(["google", "linkedin"]) : p.channel, medium: p.channel === "paid_ads" ? "cpc" : "organic" },
      consent: { marketing: r.chance(0.7) },
    };
    const base: Omit<NewLead, "facts"> = {
      id, workspace_id: this.workspaceId, channel: p.channel, raw_payload: json(raw), email: p.email, email_domain: p.emailDomain,
      first_name: p.firstName, last_name: p.lastName, company: p.company, company_domain: p.companyDomain, phone: p.phone,
      title: p.title, country: p.country.code, region: p.country.region, message: message.text, account_id: p.account?.id ?? null,
      person_key: `email:${p.email}`, inquiry_key: `email:${p.email}|${p.product}`, received_at: receivedAt, created_at: receivedAt,
      updated_at: receivedAt, idempotency_key: `seed:${id}`,
    };
    this.event(id, "received", receivedAt, { data: json({ channel: p.channel, bytes: JSON.stringify(raw).length }) });
    this.event(id, "validated", at(40), { duration_ms: 3, data: json({ issues: p.junkPerson ? [{ field: "email", code: "junk", message: "Looks like test data" }] : [] }) });

    if (duplicateOf) {
      this.event(id, "duplicate_linked", at(120), { data: json({ duplicateOf, reason: "Same email within 72 hours: merged into the open inquiry" }) });
      this.leads.push({ ...base, status: "duplicate", duplicate_of_lead_id: duplicateOf, facts: json({ duplicate: true }) });
      return;
    }

    // enrich → classify → score → decide: the same lib/ code live routing uses.
    const confidence = classifierConfidence(r, p.category);
    const observed = r.chance(0.93) ? p.category : r.pick(CATEGORIES); // the classifier is right ~93% of the time
    const facts = {
      category: observed, is_existing_customer: isCustomer, employees: p.employees, region: p.country.region,
      country: p.country.code, lead_source: p.channel, product_interest: p.product, seniority: seniorityFromTitle(p.title),
      business_email: p.companyDomain !== null, urgency: message.urgency, confidence, classifier: "offline",
      // As live ingestion records them: what the classifier derived (the confidence guard looks at these).
      ai_fields: ["urgency", "category", "confidence"],
    };
    const scored = this.model.score(facts);
    const decisionFacts = { ...facts, priority_tier: scored.tier, score: scored.points };
    if (p.account) this.event(id, "enriched", at(180), { duration_ms: r.int(2, 30), data: json({ accountId: p.account.id, account: p.account.name, match: "domain", customer: isCustomer }) });
    else this.event(id, "enriched", at(180), { duration_ms: r.int(2, 30), data: json({ match: "none", reason: p.companyDomain ? "No account with this domain or a similar name" : "Free-mail address; no company domain" }) });
    const signals = extractSignals(message.text);
    this.event(id, "classified", at(900), {
      duration_ms: r.int(0, 2),
      data: json({ category: observed, confidence, urgency: message.urgency, urgencyPhrase: signals.urgencyPhrase, timelineDays: signals.timelineDays, classifier: "offline", briefing: composeBriefing(observed, [], message.text, signals) }),
    });
    this.event(id, "scored", at(920), { data: json({ points: scored.points, tier: scored.tier, contributions: scored.contributions }) });
    const decision = this.model.decide(decisionFacts);
    const route = this.model.routePath(decision.proposedRoute ?? decision.routeKey ?? "review");
    this.event(id, "decided", at(950), { data: json({ ruleId: decision.ruleId, route: decision.proposedRoute, tableVersionId: this.versionId }) });
    // Guardrail (lib/routing/decide): an AI-derived input the fired rule tested is below the route's threshold.
    const needsReview = decision.review?.code === "low_confidence";

    const lead: NewLead = {
      ...base, facts: json(decisionFacts), score: scored.points, priority_tier: scored.tier, category: observed,
      category_confidence: confidence, classifier: "offline", table_version_id: this.versionId, rule_id: decision.ruleId,
      is_junk: route.kind === "junk",
    };

    // Junk and nurture: recorded, never sent to a rep.
    if (!needsReview && (route.kind === "junk" || route.kind === "nurture")) {
      if (route.kind === "junk") this.event(id, "junk_flagged", at(960), { reason_code: "spam", data: json({ reason: "Classified as spam" }) });
      this.leads.push({ ...lead, route_path_key: route.key, owner_queue: route.queue, status: route.kind === "junk" ? "junk" : "queued" });
      return;
    }

    // Guardrail: AI-derived category below the route's confidence threshold → review queue.
    let assignAt = at(r.int(1200, 4000));
    let routeKey = route.key;
    let reviewReason: string | null = null;
    if (needsReview) {
      routeKey = "review";
      reviewReason = decision.review?.text ?? "Low classifier confidence";
      this.event(id, "queued_for_review", at(970), { reason_code: "low_confidence", data: json({ reason: reviewReason, proposedRoute: route.key }) });
      const entered = at(970);
      const reviewDue = this.model.dueAt("ae-na", entered, 120);
      const triage = this.model.humanTime(r, "ae-na", entered, 90);
      const resolved = triage.getTime() <= this.now.getTime();
      this.reviewItems.push({
        id: r.uuid(), workspace_id: this.workspaceId, lead_id: id, reason_code: "low_confidence", reason_text: reviewReason,
        status: resolved ? "resolved" : "open", entered_at: entered, due_at: reviewDue, assigned_user_id: this.opsUserId,
        resolved_at: resolved ? triage : null, resolved_by: resolved ? this.opsUserId : null,
        resolution: resolved ? json({ action: "routed", route: route.key, category: p.category }) : null,
      });
      if (!resolved) {
        this.leads.push({ ...lead, route_path_key: routeKey, owner_queue: "review", status: "in_review", ever_in_review: true, review_reason: reviewReason });
        return;
      }
      this.event(id, "review_resolved", triage, { actor_user_id: this.opsUserId, data: json({ action: "routed", route: route.key, correctedCategory: p.category !== observed ? p.category : undefined }) });
      assignAt = new Date(triage.getTime() + 30_000);
    }

    // Assign: the right owner by the route's strategy; "before good routing", a share first goes to the wrong rep.
    const correct = this.model.assign(route.key, decisionFacts, p.account?.ownerRepId ?? null, assignAt);
    let assigned: { repId: string; teamKey: string; strategy: string; reason: string; ticket: AssignmentTicket | null; skipped?: Array<{ repId: string; reason: string; strategy: string }> };
    if (correct.kind === "rep") {
      assigned = correct;
    } else {
      // No eligible owner → the review queue; ops assigns it by hand when they get to it.
      const reason = correct.reason;
      this.event(id, "queued_for_review", assignAt, { reason_code: "no_eligible_owner", data: json({ reason }) });
      const triage = this.model.humanTime(r, "ae-na", assignAt, 60);
      const resolved = triage.getTime() <= this.now.getTime();
      const manual = this.model.manualRep(r, route.key, triage);
      this.reviewItems.push({
        id: r.uuid(), workspace_id: this.workspaceId, lead_id: id, reason_code: "no_eligible_owner", reason_text: reason,
        status: resolved ? "resolved" : "open", entered_at: assignAt, due_at: this.model.dueAt("ae-na", assignAt, 120),
        assigned_user_id: this.opsUserId, resolved_at: resolved ? triage : null, resolved_by: resolved ? this.opsUserId : null,
        resolution: resolved ? json({ action: "assigned", repId: manual.repId }) : null,
      });
      if (!resolved) {
        this.leads.push({ ...lead, route_path_key: routeKey, owner_queue: "review", status: "in_review", ever_in_review: true, review_reason: reason });
        return;
      }
      this.event(id, "review_resolved", triage, { actor_user_id: this.opsUserId, data: json({ action: "assigned", repId: manual.repId }) });
      assignAt = new Date(triage.getTime() + 30_000);
      reviewReason = reason;
      assigned = { ...manual, strategy: "manual", ticket: null };
    }
    const sales = route.kind === "sales";
    // Misrouting happens between sales territories; support and partner requests go to their single pools.
    const wrongFirst = sales && r.chance(0.4);
    let ownerRepId = assigned.repId;
    let ownerTeamKey = assigned.teamKey;
    const firstRep = wrongFirst ? this.model.wrongRepFor(r, route.key, assigned.repId) : assigned;
    const slaDue = this.model.dueAt(firstRep.teamKey, assignAt, route.slaMinutes ?? 60);
    // The ticket (what round robin counted) travels with the assignment that made it, so outcomes can undo it exactly.
    this.event(id, "assigned", assignAt, { rep_id: firstRep.repId, data: json({ reason: firstRep.reason, strategy: wrongFirst ? "legacy" : assigned.strategy, slaDueAt: slaDue.toISOString(), slaMinutes: route.slaMinutes, ticket: wrongFirst ? null : assigned.ticket, skipped: wrongFirst ? [] : assigned.skipped ?? [] }) });
    this.event(id, "task_created", assignAt, { rep_id: firstRep.repId, data: json({ title: "First touch" }) });
    let humanStart = assignAt;
    let touched: Date | null = null;
    let touchRepId: string | null = null;
    let decisionState: "accepted" | "rejected" | null = null;

    if (wrongFirst) {
      // The wrong owner notices (sometimes after a touch) and rejects, or ops moves it.
      const noticed = this.model.humanTime(r, firstRep.teamKey, assignAt, 70);
      const reason = r.weighted<(typeof REASSIGN_REASONS)[number]>([["wrong_territory", 45], ["account_owned_by_other", 20], ["wrong_segment", 20], ["wrong_product", 15]]);
      if (r.chance(0.5)) {
        // The wrong owner reaches out before noticing: the first touch is theirs.
        touched = new Date(Math.max(assignAt.getTime() + MINUTE, Math.min(noticed.getTime() - MINUTE, this.model.humanTime(r, firstRep.teamKey, assignAt, 10).getTime())));
        touchRepId = firstRep.repId;
      }
      if (r.chance(0.7)) {
        this.event(id, "rejected", noticed, { rep_id: firstRep.repId, reason_code: reason, data: json({ comment: "Not my patch" }) });
      } else {
        this.event(id, "reassigned", noticed, { rep_id: assigned.repId, actor_user_id: this.opsUserId, reason_code: reason, data: json({ from: firstRep.repId, reason: `Ops moved it: ${reason.replace(/_/g, " ")}`, ticket: assigned.ticket }) });
      }
      if (noticed.getTime() <= this.now.getTime()) {
        const rejectedFirst = this.events[this.events.length - 1]?.type === "rejected";
        if (rejectedFirst) this.event(id, "reassigned", new Date(noticed.getTime() + 60_000), { rep_id: assigned.repId, reason_code: "rejected_reroute", data: json({ from: firstRep.repId, reason: assigned.reason, ticket: assigned.ticket }) });
        humanStart = new Date(noticed.getTime() + 60_000);
        ownerRepId = assigned.repId;
        ownerTeamKey = assigned.teamKey;
      } else {
        ownerRepId = firstRep.repId;
        ownerTeamKey = firstRep.teamKey;
      }
    }

    // Human outcomes.
    if (!touched && r.chance(0.92)) {
      touched = this.model.humanTime(r, ownerTeamKey, humanStart, sales ? 7 : 25);
      touchRepId = ownerRepId;
    }
    if (touched && touched.getTime() > this.now.getTime()) touched = null;
    if (touched) this.event(id, "first_touch", touched, { rep_id: touchRepId, data: json({ channel: r.pick(["email", "call", "linkedin"]) }) });
    if (slaDue.getTime() <= this.now.getTime() && (!touched || touched > slaDue)) this.event(id, "sla_breached", slaDue, { rep_id: firstRep.repId, data: json({ dueAt: slaDue.toISOString() }) });

    let meeting: Date | null = null;
    let oppAmount: number | null = null;
    let closed: { at: Date; won: boolean } | null = null;
    if (sales) {
      // The current owner decides after they got the lead (and after their touch, if any).
      const decidedAt = this.model.humanTime(r, ownerTeamKey, new Date(Math.max(humanStart.getTime(), touched?.getTime() ?? 0)), 120);
      if (decidedAt.getTime() <= this.now.getTime() && r.chance(0.88)) {
        const pAccept = acceptProbability(p, decisionFacts.priority_tier);
        decisionState = r.chance(pAccept) ? "accepted" : "rejected";
        if (decisionState === "accepted") this.event(id, "accepted", decidedAt, { rep_id: ownerRepId });
        else this.event(id, "rejected", decidedAt, { rep_id: ownerRepId, reason_code: r.weighted([["not_a_fit", 60], ["duplicate", 8], ["other", 20], ["spam", 4], ["wrong_segment", 8]] as const), data: json({ comment: "" }) });
      }
      const pMeeting = decisionState === "accepted" ? 0.44 : decisionState === null ? 0.08 : 0.02;
      if (r.chance(pMeeting)) {
        meeting = new Date((touched ?? decidedAt).getTime() + r.logNormal(2.5, 0.8) * DAY);
        if (meeting.getTime() > this.now.getTime()) meeting = null;
      }
      if (meeting) {
        this.event(id, "meeting_booked", meeting, { rep_id: ownerRepId });
        if (r.chance(0.6)) {
          const oppAt = new Date(meeting.getTime() + r.logNormal(4, 0.7) * DAY);
          if (oppAt.getTime() <= this.now.getTime()) {
            oppAmount = Math.round(r.logNormal(route.key === "ae-direct" ? 28_000 : 9_000, 0.8) / 100) * 100;
            this.event(id, "opportunity_created", oppAt, { rep_id: ownerRepId, amount: oppAmount, currency: "USD" });
            const closeAt = new Date(oppAt.getTime() + r.logNormal(30, 0.5) * DAY);
            if (closeAt.getTime() <= this.now.getTime() && r.chance(0.75)) {
              closed = { at: closeAt, won: r.chance(0.35) };
              this.event(id, closed.won ? "closed_won" : "closed_lost", closeAt, { rep_id: ownerRepId, amount: closed.won ? oppAmount : null, currency: closed.won ? "USD" : null });
            }
          }
        }
      }
    }

    // Leads that went nowhere are closed out after a while (no opportunity: disqualified), as reps clean up.
    if (!closed && oppAmount === null && decisionState !== "rejected") {
      const from = touched ?? humanStart;
      const at = new Date(from.getTime() + r.logNormal(!sales ? 3 : touched ? 12 : 25, 0.4) * DAY);
      if (at.getTime() <= this.now.getTime()) {
        const reason = !sales ? "Resolved" : touched ? "No opportunity after follow-up" : "Never worked; closed in clean-up";
        this.event(id, "closed_lost", at, { rep_id: ownerRepId, reason_code: !sales ? "resolved" : touched ? "disqualified" : "no_response", data: json({ reason }) });
      }
    }
    // The row's outcome columns are the projection of the events just written (the same function the outcome
    // service uses), so the row and the log can never disagree.
    const projection = projectOutcomes(this.events.slice(eventsFrom).map((e) => ({
      type: e.type, occurredAt: e.occurred_at as Date, repId: e.rep_id ?? null, reasonCode: e.reason_code ?? null, amount: e.amount ?? null,
    })));
    const status: LeadStatus = projection.status ?? "assigned";
    this.tasks.push({
      id: r.uuid(), workspace_id: this.workspaceId, lead_id: id, rep_id: ownerRepId, kind: "first_touch",
      title: `First touch: ${p.firstName} ${p.lastName}${p.company ? ` (${p.company})` : ""}`, due_at: slaDue,
      status: touched ? "done" : "open", created_at: assignAt, completed_at: touched,
    });
    if (assigned.ticket) this.model.recordOutcome(assigned.ticket, ownerRepId === assigned.repId ? status : "reassigned");
    this.leads.push({
      ...lead, route_path_key: routeKey, first_owner_rep_id: firstRep.repId, owner_rep_id: ownerRepId,
      team_id: this.model.teamId(ownerTeamKey), assigned_at: assignAt, sla_due_at: slaDue, first_touch_at: projection.firstTouchAt,
      decision: projection.decision, decision_at: projection.decisionAt, meeting_booked_at: projection.meetingBookedAt,
      opportunity_created_at: projection.opportunityCreatedAt, opportunity_amount: projection.opportunityAmount, closed_at: projection.closedAt,
      ever_wrong_assigned: projection.everWrongAssigned, ever_in_review: reviewReason !== null, review_reason: reviewReason, status,
    });
  }


}

function classifierConfidence(r: Random, category: Category): number {
  // Most inquiries are clear; short or mixed ones are not.
  const base = category === "spam" ? 0.9 : category === "low_fit" ? 0.7 : 0.78;
  return Math.round(Math.min(0.99, Math.max(0.2, base + r.normal() * 0.17)) * 100) / 100;
}

function acceptProbability(p: Person, tier: string): number {
  let pr = p.category === "sales_enterprise" ? 0.45 : p.category === "pricing_demo" ? 0.32 : 0.11;
  if (tier === "P1") pr += 0.15;
  if (tier === "P4") pr -= 0.15;
  if (p.companyDomain === null) pr -= 0.12;
  return Math.min(0.9, Math.max(0.05, pr));
}

// ------------------------------------------------------------------------------------------------ time

/** An arrival instant in [from, to): weekday-heavy and business-hours-heavy in the sender's time zone, trending up. */
function arrivalTime(r: Random, from: Date, to: Date, zone: string): Date {
  const span = to.getTime() - from.getTime();
  for (;;) {
    const t = from.getTime() + r.next() * span;
    const local = DateTime.fromMillis(t, { zone });
    const weekday = local.weekday <= 5 ? 1 : 0.12;
    const hour = local.hour;
    const hourly = hour >= 9 && hour < 17 ? 1 : hour >= 8 && hour < 18 ? 0.6 : hour >= 7 && hour < 21 ? 0.12 : 0.02;
    const trend = 0.85 + 0.3 * ((t - from.getTime()) / span);
    if (r.next() < weekday * hourly * trend) return new Date(Math.floor(t / 1000) * 1000);
  }
}

function floorToHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
}

// ------------------------------------------------------------------------------------------------ helpers

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function slugify(name: string): string {
  return ascii(name).toLowerCase().replace(/[^a-z0-9]+/g, "");
}

function ascii(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/'/g, "");
}

function phonePrefix(country: string): string {
  const codes: Record<string, string> = { US: "1", CA: "1", GB: "44", IE: "353", DE: "49", FR: "33", NL: "31", SE: "46", ES: "34", IT: "39", AU: "61", JP: "81", SG: "65", IN: "91", BR: "55", MX: "52" };
  return codes[country] ?? "1";
}

