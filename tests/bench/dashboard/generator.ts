/**
 * Deterministic bulk history for the dashboard benchmark: N leads over the 365 days before `now`, in arrival order,
 * each with the event log the live pipeline and the outcome service would have written, the lead row's projection
 * of it (lib/routing/projection, as the demo seed does) and its lead_metrics row (leadMetricRow over the very same
 * events, so the table holds exactly what the live system would).
 *
 * Shape: arrivals follow each sender country's business hours and weekdays (16 countries, their own time zones), a
 * gentle upward trend and day-to-day noise; categories, route paths (the demo table's rules; v2 from mid-year widens
 * one rule), four sources and the API, 30 reps chosen by territory and weight (one left mid-year), review-queue
 * detours, wrong first owners (rejected or moved by ops with wrong-owner reasons — fewer after v2), first touches in
 * business minutes of the owner team's calendar, SLA breaches, accept/reject decisions with reasons, meetings and
 * opportunities with amounts. Events after `now` have not happened yet and are left out.
 *
 * Memory: `batches()` yields one batch of rows at a time (already encoded for unnest), never the whole history.
 */
import { DateTime } from "luxon";
import { addBusinessMinutes, type BusinessCalendar } from "@/lib/calendar";
import type { MetricEvent } from "@/lib/metrics/definitions";
import { createRandom, type Random } from "@/lib/random";
import { projectOutcomes } from "@/lib/routing/projection";
import { COMPANY_PREFIXES, COMPANY_SUFFIXES, COUNTRIES, FIRST_NAMES, FREE_MAIL, LAST_NAMES, TITLES, type CountryInfo } from "@/db/seed/catalog";
import { leadMetricRow, type MetricContext } from "@/server/services/metrics/lead-metrics";
import { ColumnBuffer, type Cell, type ColumnSpec } from "./columns";
import type { BenchConfig, BenchRep } from "./setup";

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const LEAD_COLUMNS: ColumnSpec[] = [
  ["id", "uuid"], ["source_id", "uuid"], ["channel", "text"], ["raw_payload", "jsonb"], ["email", "text"], ["email_domain", "text"],
  ["first_name", "text"], ["last_name", "text"], ["company", "text"], ["company_domain", "text"], ["title", "text"], ["country", "text"],
  ["region", "text"], ["message", "text"], ["facts", "jsonb"], ["person_key", "text"], ["inquiry_key", "text"], ["status", "text"],
  ["is_junk", "bool"], ["score", "int4"], ["priority_tier", "text"], ["category", "text"], ["category_confidence", "float8"],
  ["classifier", "text"], ["route_path_key", "text"], ["table_version_id", "uuid"], ["rule_id", "text"], ["first_owner_rep_id", "uuid"],
  ["owner_rep_id", "uuid"], ["owner_queue", "text"], ["team_id", "uuid"], ["received_at", "timestamptz"], ["assigned_at", "timestamptz"],
  ["sla_due_at", "timestamptz"], ["first_touch_at", "timestamptz"], ["decision", "text"], ["decision_at", "timestamptz"],
  ["meeting_booked_at", "timestamptz"], ["opportunity_created_at", "timestamptz"], ["opportunity_amount", "numeric"], ["closed_at", "timestamptz"],
  ["ever_wrong_assigned", "bool"], ["ever_in_review", "bool"], ["review_reason", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
].map(([name, type]) => ({ name: name!, type: type! }));

const EVENT_COLUMNS: ColumnSpec[] = [
  ...[
    ["lead_id", "uuid"], ["type", "text"], ["occurred_at", "timestamptz"], ["actor_user_id", "uuid"],
    ["rep_id", "uuid"], ["reason_code", "text"], ["amount", "numeric"], ["currency", "text"], ["duration_ms", "float8"], ["data", "jsonb"],
  ].map(([name, type]) => ({ name: name!, type: type! })),
  { name: "recorded_at", type: "timestamptz", copyOf: "occurred_at" },
];

const METRIC_COLUMNS: ColumnSpec[] = [
  ["lead_id", "uuid"], ["received_at", "timestamptz"], ["route_path_key", "text"], ["source_id", "uuid"], ["team_id", "uuid"],
  ["owner_rep_id", "uuid"], ["first_rep_id", "uuid"], ["table_version_id", "uuid"], ["assigned_at", "timestamptz"], ["first_touch_at", "timestamptz"],
  ["sla_due_at", "timestamptz"], ["stl_minutes", "float8"], ["system_minutes", "float8"], ["human_minutes", "float8"],
  ["stl_business_minutes", "float8"], ["system_business_minutes", "float8"], ["human_business_minutes", "float8"], ["assigned_to_owner", "bool"],
  ["routed_to_sales", "bool"], ["wrong_assigned", "bool"], ["decision", "text"], ["meeting_booked", "bool"], ["pipeline_amount", "float8"],
  ["opportunities", "int4"], ["entered_review", "bool"], ["skips", "jsonb"], ["rejections", "jsonb"], ["updated_at", "timestamptz"],
].map(([name, type]) => ({ name: name!, type: type! }));

export interface Batch {
  leads: ColumnBuffer;
  events: ColumnBuffer;
  metrics: ColumnBuffer;
  /** Received time of the batch's last lead. */
  until: Date;
}

type Category = "sales_enterprise" | "pricing_demo" | "support_request" | "job_application" | "partner_request" | "vendor_solicitation" | "low_fit" | "spam";

const CATEGORY_WEIGHTS: ReadonlyArray<readonly [Category, number]> = [
  ["sales_enterprise", 14], ["pricing_demo", 31], ["support_request", 10], ["job_application", 4],
  ["partner_request", 4], ["vendor_solicitation", 5], ["low_fit", 24], ["spam", 8],
];
const CHANNEL_WEIGHTS: ReadonlyArray<readonly [string, number]> = [["web", 38], ["paid_ads", 20], ["content", 16], ["event", 10], ["referral", 10], ["partner", 6]];
const TIER_WEIGHTS: Record<string, ReadonlyArray<readonly [string, number]>> = {
  sales_enterprise: [["P1", 30], ["P2", 40], ["P3", 25], ["P4", 5]],
  pricing_demo: [["P1", 10], ["P2", 30], ["P3", 40], ["P4", 20]],
  other: [["P1", 2], ["P2", 8], ["P3", 40], ["P4", 50]],
};
const TIER_POINTS: Record<string, number> = { P1: 85, P2: 65, P3: 45, P4: 20 };
const WRONG_REASONS: ReadonlyArray<readonly [string, number]> = [["wrong_territory", 45], ["account_owned_by_other", 20], ["wrong_segment", 20], ["wrong_product", 15]];
const REJECT_REASONS: ReadonlyArray<readonly [string, number]> = [["not_a_fit", 55], ["duplicate", 8], ["other", 17], ["spam", 4], ["wrong_segment", 8], ["wrong_territory", 8]];
const SKIP_REASONS = ["out_of_office", "capacity_daily", "capacity_open", "outside_hours"] as const;
const MESSAGES: Record<Category, readonly string[]> = {
  sales_enterprise: ["We are evaluating analytics platforms for our data team this quarter.", "Looking for an enterprise plan for ~400 seats; can we talk?"],
  pricing_demo: ["Could we get a demo and pricing for our team?", "What does the Pro plan cost for 25 users?", "Requesting a product demo next week."],
  support_request: ["Our dashboard stopped refreshing since yesterday.", "SSO login fails for new users, please help."],
  job_application: ["I would love to apply for the data engineer role."],
  partner_request: ["We are a consultancy and would like to resell your platform."],
  vendor_solicitation: ["We offer outsourced lead generation services."],
  low_fit: ["Just researching tools for a student project.", "Is there a free plan?"],
  spam: ["asdf", "test test", "Buy followers cheap!!!"],
};
/** Route paths by region for the sales routes; the other routes have one team. */
const SALES_TEAMS: Record<string, Record<CountryInfo["region"], string>> = {
  "ae-direct": { NA: "ae-na", LATAM: "ae-na", EMEA: "ae-emea", APAC: "apac" },
  "sdr-queue": { NA: "sdr-amer", LATAM: "sdr-amer", EMEA: "sdr-emea", APAC: "apac" },
};
const ROUTE_ROLES: Record<string, readonly string[]> = { "ae-direct": ["ae", "am"], "sdr-queue": ["sdr"], partner: ["partner_manager"], support: ["support"] };
const ROUTE_TEAM: Record<string, string> = { partner: "partners", support: "support" };

interface Ev {
  type: string;
  at: number;
  repId?: string | null;
  actor?: string | null;
  reason?: string | null;
  amount?: number | null;
  slaDueAt?: number | null;
  /** assigned: the reps passed over (also written into data). */
  skipped?: Array<{ repId: string; reason: string }>;
  data?: string;
  ms?: number | null;
}

const ascii = (s: string) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/'/g, "").toLowerCase().replace(/[^a-z]/g, "");
const FIRST_ASCII = FIRST_NAMES.map(ascii);
const LAST_ASCII = LAST_NAMES.map(ascii);
const COMPANIES = COMPANY_PREFIXES.flatMap((p) => COMPANY_SUFFIXES.map((s) => ({ name: `${p} ${s}`, slug: `${ascii(p)}${ascii(s)}` })));

export interface GeneratorStats {
  leads: number;
  events: number;
  /** Node CPU-bound time spent generating and encoding rows (ms). */
  generateMs: number;
}

export class HistoryGenerator {
  readonly stats: GeneratorStats = { leads: 0, events: 0, generateMs: 0 };
  private readonly rnd: Random;
  private readonly pools = new Map<string, BenchRep[]>();
  private readonly reviewCalendar: BusinessCalendar;

  constructor(private readonly cfg: BenchConfig, private readonly ctx: MetricContext, seed: string) {
    this.rnd = createRandom(`${seed}:history`);
    this.reviewCalendar = ctx.calendarFor(null);
  }

  /** Arrival counts per hour of [start, now): business-hours and weekday shape per sender country, trend, day noise. */
  private hourPlan(total: number): { counts: Int32Array; countryCdf: Float64Array } {
    const start = this.cfg.start.getTime();
    const hours = Math.round((this.cfg.now.getTime() - start) / HOUR);
    const r = this.rnd.fork("arrivals");
    const dayNoise = Array.from({ length: Math.ceil(hours / 24) + 1 }, () => Math.exp(0.15 * r.normal()));
    const nC = COUNTRIES.length;
    const countryCdf = new Float64Array(hours * nC);
    const weight = new Float64Array(hours);
    for (const [c, country] of COUNTRIES.entries()) {
      // The zone's UTC offset once per day (at 12:00 UTC): a DST switch shifts a few night hours by one, which the
      // arrival shape does not notice, and it spares 140,000 time-zone conversions.
      let day = -1;
      let offsetMs = 0;
      for (let h = 0; h < hours; h++) {
        const t = start + h * HOUR + HOUR / 2;
        if (Math.floor(t / DAY) !== day) {
          day = Math.floor(t / DAY);
          offsetMs = DateTime.fromMillis(day * DAY + DAY / 2, { zone: country.timeZone }).offset * MINUTE;
        }
        const local = new Date(t + offsetMs);
        const wd = local.getUTCDay();
        const weekday = wd >= 1 && wd <= 5 ? 1 : 0.12;
        const hr = local.getUTCHours();
        const hourly = hr >= 9 && hr < 17 ? 1 : hr >= 8 && hr < 18 ? 0.6 : hr >= 7 && hr < 21 ? 0.12 : 0.02;
        countryCdf[h * nC + c] = country.weight * weekday * hourly;
      }
    }
    for (let h = 0; h < hours; h++) {
      let sum = 0;
      for (let c = 0; c < nC; c++) {
        sum += countryCdf[h * nC + c]!;
        countryCdf[h * nC + c] = sum;
      }
      weight[h] = sum * (0.85 + 0.3 * (h / hours)) * dayNoise[Math.floor(h / 24)]!;
    }
    const totalWeight = weight.reduce((s, w) => s + w, 0);
    const counts = new Int32Array(hours);
    let cumulative = 0;
    let assigned = 0;
    for (let h = 0; h < hours; h++) {
      cumulative += weight[h]!;
      const upTo = Math.round((total * cumulative) / totalWeight);
      counts[h] = upTo - assigned;
      assigned = upTo;
    }
    return { counts, countryCdf };
  }

  /**
   * Yields the history in arrival order, `batchSize` leads at a time, and `null` every few hundred leads so an async
   * consumer can let its event loop run (flush the previous batch to the server) while generation goes on.
   */
  *batches(total: number, batchSize: number): Generator<Batch | null> {
    let t0 = performance.now();
    const { counts, countryCdf } = this.hourPlan(total);
    const nC = COUNTRIES.length;
    const start = this.cfg.start.getTime();
    const r = this.rnd.fork("leads");
    let batch = this.newBatch();
    let pending: Ev[][] = [];
    let pendingIds: string[] = [];
    let sinceTick = 0;
    const flush = (): Batch => {
      // Events of the batch in occurred-at order (ties keep each lead's own order), as a live log interleaves them.
      const all: Array<{ lead: string; e: Ev; seq: number }> = [];
      let seq = 0;
      for (let i = 0; i < pending.length; i++) for (const e of pending[i]!) all.push({ lead: pendingIds[i]!, e, seq: seq++ });
      all.sort((a, b) => a.e.at - b.e.at || a.seq - b.seq);
      for (const { lead, e } of all) {
        batch.events.add([lead, e.type, e.at, e.actor ?? null, e.repId ?? null, e.reason ?? null, e.amount ?? null, e.amount != null ? "USD" : null, e.ms ?? null, e.data ?? "{}"]);
      }
      this.stats.events += all.length;
      const out = batch;
      batch = this.newBatch();
      pending = [];
      pendingIds = [];
      return out;
    };
    for (let h = 0; h < counts.length; h++) {
      const n = counts[h]!;
      if (n <= 0) continue;
      const offsets = Array.from({ length: n }, () => Math.floor(r.next() * 3600) * SECOND).sort((a, b) => a - b);
      const top = countryCdf[h * nC + nC - 1]!;
      for (const offset of offsets) {
        const x = r.next() * top;
        let c = 0;
        while (c < nC - 1 && countryCdf[h * nC + c]! <= x) c++;
        const id = r.uuid();
        const events = this.lead(r, id, start + h * HOUR + offset, COUNTRIES[c]!, batch);
        pending.push(events);
        pendingIds.push(id);
        this.stats.leads++;
        if (++sinceTick >= 500) {
          sinceTick = 0;
          this.stats.generateMs += performance.now() - t0;
          yield null;
          t0 = performance.now();
        }
        if (batch.leads.rows >= batchSize) {
          batch.until = new Date(start + h * HOUR + offset);
          const out = flush();
          this.stats.generateMs += performance.now() - t0;
          yield out;
          t0 = performance.now();
        }
      }
    }
    if (batch.leads.rows > 0) {
      batch.until = this.cfg.now;
      const out = flush();
      this.stats.generateMs += performance.now() - t0;
      yield out;
    }
  }

  private newBatch(): Batch {
    return { leads: new ColumnBuffer("leads", LEAD_COLUMNS), events: new ColumnBuffer("lead_events", EVENT_COLUMNS), metrics: new ColumnBuffer("lead_metrics", METRIC_COLUMNS), until: this.cfg.now };
  }

  private pool(routeKey: string, teamKey: string, at: number): BenchRep[] {
    const key = `${routeKey}|${teamKey}|${at < this.cfg.v2At.getTime() ? 1 : 2}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const roles = ROUTE_ROLES[routeKey] ?? [];
      pool = this.cfg.reps.filter((rep) => rep.teamKey === teamKey && roles.includes(rep.role) && (rep.until === null || at < rep.until));
      this.pools.set(key, pool);
    }
    return pool;
  }

  private pickRep(r: Random, pool: readonly BenchRep[], country: CountryInfo): BenchRep {
    const matching = pool.filter((p) => p.territories.length === 0 || p.territories.includes(country.code) || p.territories.includes(country.region));
    const from = matching.length ? matching : pool;
    return r.weighted(from.map((p) => [p, p.weight] as const));
  }

  private calendar(teamId: string | null): BusinessCalendar {
    return this.ctx.calendarFor(teamId);
  }

  /** When a human gets to it: log-normal business minutes (median, sigma) of the calendar after `start`. */
  private human(r: Random, cal: BusinessCalendar, start: number, median: number, sigma = 1): number {
    return addBusinessMinutes(cal, new Date(start), Math.round(r.logNormal(median, sigma) * 100) / 100).getTime();
  }

  /** One lead: its events (returned, for the batch's ordered event insert), its lead row and lead_metrics row. */
  private lead(r: Random, id: string, t0: number, country: CountryInfo, batch: Batch): Ev[] {
    const cfg = this.cfg;
    const now = cfg.now.getTime();
    const events: Ev[] = [];
    const ev = (e: Ev) => {
      if (e.at <= now) events.push(e);
    };

    // ---------------------------------------------------------------- the inquiry
    const category = r.weighted(CATEGORY_WEIGHTS);
    const sourceId = r.weighted(cfg.sources.map((s) => [s.id, s.weight] as const));
    const channel = category === "partner_request" ? "partner" : r.weighted(CHANNEL_WEIGHTS);
    const fi = Math.floor(r.next() * FIRST_NAMES.length);
    const li = Math.floor(r.next() * LAST_NAMES.length);
    const company = COMPANIES[Math.floor(r.next() * COMPANIES.length)]!;
    const freemail = category === "spam" || r.chance(category === "low_fit" || category === "job_application" ? 0.6 : 0.18);
    const companyDomain = freemail ? null : `${company.slug}.${country.tld}`;
    const emailDomain = companyDomain ?? r.pick(FREE_MAIL);
    const email = `${FIRST_ASCII[fi]}.${LAST_ASCII[li]}@${emailDomain}`;
    const seniority = r.weighted([["exec", 10], ["director", 18], ["manager", 30], ["ic", 42]] as const);
    const title = r.pick(TITLES[seniority]);
    const employees = category === "low_fit" ? r.pick([1, 2, 3, 5, 8, null]) : r.chance(0.85) ? Math.max(1, Math.round(r.logNormal(150, 1.8))) : null;
    const customer = r.chance(category === "support_request" ? 0.7 : category === "sales_enterprise" || category === "pricing_demo" ? 0.12 : 0.03);
    const tier = r.weighted(TIER_WEIGHTS[category] ?? TIER_WEIGHTS.other!);
    const score = TIER_POINTS[tier]! + r.int(-8, 8);
    const confidence = Math.round(Math.min(0.99, Math.max(0.2, 0.8 + 0.13 * r.normal())) * 100) / 100;
    const message = r.pick(MESSAGES[category]);
    const versionId = t0 < cfg.v2At.getTime() ? cfg.v1 : cfg.v2;
    const v2 = versionId === cfg.v2;

    // ---------------------------------------------------------------- the table's decision
    const sales = category === "sales_enterprise" || category === "pricing_demo";
    const emp = employees ?? -1;
    let route: string;
    let rule: string;
    if (category === "spam") [route, rule] = ["junk", "R01"];
    else if (category === "support_request") [route, rule] = ["support", "R02"];
    else if (category === "partner_request") [route, rule] = ["partner", "R03"];
    else if (category === "job_application" || category === "vendor_solicitation") [route, rule] = ["nurture", "R04"];
    else if (sales && customer) [route, rule] = ["ae-direct", "R05"];
    else if (sales && emp >= 1000) [route, rule] = ["ae-direct", "R06"];
    else if (category === "sales_enterprise" && emp >= 200) [route, rule] = ["ae-direct", "R07"];
    else if (category === "pricing_demo" && emp >= 200 && (tier === "P1" || tier === "P2" || (v2 && tier === "P3"))) [route, rule] = ["ae-direct", "R08"];
    else if (sales && emp >= 10) [route, rule] = ["sdr-queue", "R09"];
    else if (sales && (tier === "P1" || tier === "P2")) [route, rule] = ["sdr-queue", "R10"];
    else [route, rule] = ["nurture", "R11"];

    const raw = JSON.stringify({ email, firstName: FIRST_NAMES[fi], lastName: LAST_NAMES[li], company: company.name, country: country.code, title, message });
    const facts = JSON.stringify({ category, is_existing_customer: customer, employees, region: country.region, country: country.code, lead_source: channel, confidence, priority_tier: tier, score });
    ev({ type: "received", at: t0, data: `{"channel":"${channel}"}` });
    ev({ type: "classified", at: t0 + 600, ms: r.int(0, 3), data: `{"category":"${category}","confidence":${confidence},"classifier":"offline"}` });
    ev({ type: "decided", at: t0 + 900, ms: 1, data: `{"route":"${route}","ruleId":"${rule}","tableVersionId":"${versionId}"}` });

    let routeKey = route;
    let status = "assigned";
    let ownerQueue: string | null = null;
    let reviewReason: string | null = null;
    let firstRep: BenchRep | null = null;
    let owner: BenchRep | null = null;
    let assignAt: number | null = null;
    let slaDue: number | null = null;
    const kind = cfg.routes.get(route)?.kind ?? "nurture";

    if (kind === "junk" || kind === "nurture") {
      status = kind === "junk" ? "junk" : "queued";
      ownerQueue = route;
    } else {
      assignAt = t0 + r.int(1200, 4000);
      const threshold = kind === "sales" ? 0.6 : 0.5;
      if (confidence < threshold || r.chance(0.012)) {
        // Low classifier confidence (or, rarely, no eligible owner): the review queue, worked by ops in office hours.
        const low = confidence < threshold;
        if (low) routeKey = "review";
        reviewReason = low ? `Classifier confidence ${Math.round(confidence * 100)}% is below the threshold` : "No eligible owner: everyone in the pool is away or at capacity";
        const entered = t0 + 1000;
        ev({ type: "queued_for_review", at: entered, reason: low ? "low_confidence" : "no_eligible_owner", data: JSON.stringify({ reason: reviewReason }) });
        const triage = this.human(r, this.reviewCalendar, entered, 90, 0.9);
        if (triage > now) {
          status = "in_review";
          ownerQueue = "review";
        } else {
          ev({ type: "review_resolved", at: triage, actor: cfg.opsUserId, data: `{"action":"routed","route":"${route}"}` });
          assignAt = triage + 30 * SECOND;
        }
      }
    }

    let touched: number | null = null;
    let touchRep: string | null = null;
    if (status === "assigned" && assignAt !== null) {
      const teamKey = SALES_TEAMS[route]?.[country.region] ?? ROUTE_TEAM[route]!;
      const pool = this.pool(route, teamKey, assignAt);
      const correct = this.pickRep(r, pool, country);
      const sla = cfg.routes.get(route)?.slaMinutes ?? 60;
      const isSales = kind === "sales";
      const wrongFirst = isSales && r.chance(v2 ? 0.08 : 0.22);
      firstRep = correct;
      if (wrongFirst) {
        const others = this.cfg.reps.filter((p) => p.id !== correct.id && (ROUTE_ROLES[route] ?? []).includes(p.role) && (p.until === null || assignAt! < p.until) && !p.territories.includes(country.code) && !p.territories.includes(country.region));
        if (others.length) firstRep = r.pick(others);
      }
      owner = firstRep;
      slaDue = addBusinessMinutes(this.calendar(firstRep.teamId), new Date(assignAt), sla).getTime();
      const skip = r.chance(0.1) && pool.length > 1 ? { repId: r.pick(pool.filter((p) => p.id !== correct.id))!.id, reason: r.pick(SKIP_REASONS) } : null;
      const skipped = skip ? `,"skipped":[{"repId":"${skip.repId}","reason":"${skip.reason}","strategy":"round_robin"}]` : "";
      ev({
        type: "assigned", at: assignAt, repId: firstRep.id, slaDueAt: slaDue, skipped: skip ? [skip] : undefined,
        data: `{"reason":"${wrongFirst ? "legacy territory map" : "weighted round robin"}","strategy":"${wrongFirst ? "legacy" : "round_robin"}","slaDueAt":"${new Date(slaDue).toISOString()}","slaMinutes":${sla}${skipped}}`,
      });
      let humanStart = assignAt;
      if (firstRep !== correct) {
        // The wrong owner notices (sometimes after reaching out) and rejects, or ops moves the lead.
        const noticed = this.human(r, this.calendar(firstRep.teamId), assignAt, 70);
        const reason = r.weighted(WRONG_REASONS);
        if (r.chance(0.5)) {
          touched = Math.max(assignAt + MINUTE, Math.min(noticed - MINUTE, this.human(r, this.calendar(firstRep.teamId), assignAt, 10)));
          touchRep = firstRep.id;
        }
        if (r.chance(0.7)) {
          ev({ type: "rejected", at: noticed, repId: firstRep.id, reason, data: `{"comment":"Not my patch"}` });
          ev({ type: "reassigned", at: noticed + MINUTE, repId: correct.id, reason: "rejected_reroute", data: `{"from":"${firstRep.id}"}` });
        } else {
          ev({ type: "reassigned", at: noticed, repId: correct.id, actor: cfg.opsUserId, reason, data: `{"from":"${firstRep.id}"}` });
        }
        if (noticed + MINUTE <= now) {
          owner = correct;
          humanStart = noticed + MINUTE;
        }
      }
      const ownerCal = this.calendar(owner.teamId);
      if (touched === null && r.chance(isSales ? 0.92 : kind === "support" ? 0.95 : 0.85)) {
        touched = this.human(r, ownerCal, humanStart, isSales ? (v2 ? 8 : 14) : kind === "support" ? 30 : 120, 1.1);
        touchRep = owner.id;
      }
      if (touched !== null && touched > now) touched = null;
      if (touched !== null) ev({ type: "first_touch", at: touched, repId: touchRep, data: `{"channel":"${r.pick(["email", "call", "linkedin"])}"}` });
      if (slaDue <= now && (touched === null || touched > slaDue)) ev({ type: "sla_breached", at: slaDue, repId: firstRep.id });
      if (kind === "support" && touched !== null) {
        ev({ type: "closed_lost", at: Math.round(touched + r.logNormal(3, 0.5) * DAY), repId: owner.id, reason: "resolved", data: `{"reason":"Resolved"}` });
      }

      if (isSales || kind === "partner") {
        const decidedAt = this.human(r, ownerCal, Math.max(humanStart, touched ?? 0), 120);
        let decision: "accepted" | "rejected" | null = null;
        if (decidedAt <= now && r.chance(isSales ? 0.87 : 0.8)) {
          let pAccept = kind === "partner" ? 0.75 : category === "sales_enterprise" ? 0.7 : 0.55;
          if (tier === "P1") pAccept += 0.12;
          if (tier === "P4") pAccept -= 0.2;
          if (companyDomain === null) pAccept -= 0.12;
          decision = r.chance(pAccept) ? "accepted" : "rejected";
          if (decision === "accepted") ev({ type: "accepted", at: decidedAt, repId: owner.id });
          else ev({ type: "rejected", at: decidedAt, repId: owner.id, reason: r.weighted(REJECT_REASONS), data: `{"comment":""}` });
        }
        if (isSales && r.chance(decision === "accepted" ? 0.35 : decision === null ? 0.06 : 0.01)) {
          const meeting = Math.round((touched ?? decidedAt) + r.logNormal(2.5, 0.8) * DAY);
          ev({ type: "meeting_booked", at: meeting, repId: owner.id });
          if (meeting <= now && r.chance(0.45)) {
            const amount = Math.round(r.logNormal(route === "ae-direct" ? 28_000 : 9_000, 0.8) / 100) * 100;
            const oppAt = Math.round(meeting + r.logNormal(4, 0.7) * DAY);
            ev({ type: "opportunity_created", at: oppAt, repId: owner.id, amount, data: `{"stage":"discovery"}` });
            if (r.chance(0.75)) {
              const won = r.chance(0.35);
              ev({ type: won ? "closed_won" : "closed_lost", at: Math.round(oppAt + r.logNormal(30, 0.5) * DAY), repId: owner.id, amount: won ? amount : null });
            }
          }
        }
      }
    }

    // ---------------------------------------------------------------- the lead row and its lead_metrics row
    const metricEvents: MetricEvent[] = events.map((e) => ({ type: e.type, occurredAt: new Date(e.at), repId: e.repId ?? null, reasonCode: e.reason ?? null, amount: e.amount ?? null, slaDueAt: e.slaDueAt != null ? new Date(e.slaDueAt) : null, skipped: e.skipped ?? null }));
    const projection = firstRep ? projectOutcomes(metricEvents) : null;
    if (projection?.status) status = projection.status;
    const teamId = owner?.teamId ?? null;
    const receivedAt = new Date(t0);
    const lastAt = events.reduce((m, e) => Math.max(m, e.at), t0);
    batch.leads.add([
      id, sourceId, channel, raw, email, emailDomain, FIRST_NAMES[fi]!, LAST_NAMES[li]!, freemail && category === "spam" ? "test" : company.name, companyDomain, title,
      country.code, country.region, message, facts, `email:${email}`, `email:${email}|${category}`, status, kind === "junk", score, tier, category, confidence,
      "offline", routeKey, versionId, rule, firstRep?.id ?? null, owner?.id ?? null, ownerQueue, teamId, receivedAt, assignAt !== null && firstRep ? new Date(assignAt) : null,
      slaDue !== null ? new Date(slaDue) : null, projection?.firstTouchAt ?? null, projection?.decision ?? null, projection?.decisionAt ?? null,
      projection?.meetingBookedAt ?? null, projection?.opportunityCreatedAt ?? null, projection?.opportunityAmount ?? null, projection?.closedAt ?? null,
      projection?.everWrongAssigned ?? false, reviewReason !== null, reviewReason, receivedAt, new Date(lastAt),
    ] satisfies Cell[]);
    const m = leadMetricRow(this.ctx, { id, receivedAt, routePathKey: routeKey, sourceId, teamId, ownerRepId: owner?.id ?? null, tableVersionId: versionId }, metricEvents);
    batch.metrics.add([
      id, receivedAt, m.route_path_key ?? null, m.source_id ?? null, m.team_id ?? null, m.owner_rep_id ?? null, m.first_rep_id ?? null, m.table_version_id ?? null,
      (m.assigned_at as Date | null | undefined) ?? null, (m.first_touch_at as Date | null | undefined) ?? null, (m.sla_due_at as Date | null | undefined) ?? null,
      m.stl_minutes ?? null, m.system_minutes ?? null, m.human_minutes ?? null, m.stl_business_minutes ?? null, m.system_business_minutes ?? null, m.human_business_minutes ?? null,
      m.assigned_to_owner ?? false, m.routed_to_sales ?? false, m.wrong_assigned ?? false, m.decision ?? null, m.meeting_booked ?? false, m.pipeline_amount ?? 0,
      m.opportunities ?? 0, m.entered_review ?? false, (m.skips as string | null | undefined) ?? null, (m.rejections as string | null | undefined) ?? null, new Date(lastAt),
    ]);
    return events;
  }
}
