/**
 * The monthly review's narrative summary: the facts a language model is given (figures only — no lead's name or
 * text), the guard its answer must pass before it replaces the template, and the template itself.
 *
 * The guard is about figures: a summary that quotes a number the packet does not contain (an invented rate, a
 * miscounted total) is refused whole, and the template summary stays. A figure is supported when it is a rounding of
 * a number in the facts (12.3 supports "12%" and "12.3%"; 1,204 supports "1,204"), of its absolute value (a change of
 * −3.1 points supports "down 3.1 points"), or a small count (0–12: "three route paths", "top 3").
 */
import type { Kpis, Ratio } from "../metrics/definitions";
import { BREACH_CAUSE_LABELS, type ReviewPacket } from "./packet";

const pct = (r: Ratio): number | null => (r.rate === null ? null : round1(r.rate * 100));
const round1 = (x: number) => Math.round(x * 10) / 10;
const change = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : round1(a - b));

function kpiFacts(k: Kpis) {
  return {
    leads: k.volume,
    medianSpeedToLeadBusinessMinutes: k.speedToLead.medianBusinessMinutes === null ? null : round1(k.speedToLead.medianBusinessMinutes),
    p90SpeedToLeadBusinessMinutes: k.speedToLead.p90BusinessMinutes === null ? null : round1(k.speedToLead.p90BusinessMinutes),
    slaBreachPercent: pct(k.slaBreach),
    wrongAssignmentPercent: pct(k.wrongAssignment),
    acceptancePercent: pct(k.acceptance),
    meetingRatePercent: pct(k.meetingRate),
    reviewQueuePercent: pct(k.manualTriage),
    pipelineAmount: Math.round(k.pipeline.amount),
  };
}

type KpiFacts = ReturnType<typeof kpiFacts>;

/** Current, previous, and the change in points (percent figures) or units, per measure. */
function compare(current: KpiFacts, previous: KpiFacts | null) {
  const out: Record<string, { current: number | null; previous: number | null; change: number | null }> = {};
  for (const key of Object.keys(current) as Array<keyof KpiFacts>) {
    const p = previous ? previous[key] : null;
    out[key] = { current: current[key], previous: p, change: change(current[key], p) };
  }
  return out;
}

export interface NarrativeFacts {
  period: { firstDay: string; lastDay: string };
  overall: ReturnType<typeof compare>;
  targets: Record<string, number>;
  routePaths: Array<{ routePath: string; measures: ReturnType<typeof compare> }>;
  slaBreaches: { total: number; byCause: Record<string, number> };
  reviewQueue: { leads: number; previousLeads: number; percent: number | null; previousPercent: number | null };
  topRejectionReasons: Array<{ routePath: string; reason: string; count: number }>;
  reps: Array<{ rep: string; active: boolean; firstAssignments: number; previousFirstAssignments: number; rejected: number }>;
  tableVersionsPublished: Array<{ table: string | null; version: number; reason: string | null; effect: ReturnType<typeof compare> | null }>;
  anomalies: string[];
}

/** What the model is told: aggregate figures with the changes already worked out, and names of route paths and reps. */
export function narrativeFacts(p: ReviewPacket, period: { firstDay: string; lastDay: string }): NarrativeFacts {
  const routeName = new Map(p.routePaths.map((r) => [r.key, r.name]));
  const t = p.targets;
  return {
    period,
    overall: compare(kpiFacts(p.overall.current), kpiFacts(p.overall.previous)),
    targets: {
      medianSpeedToLeadBusinessMinutes: t.speedToLeadMinutes,
      slaBreachPercent: round1(t.slaBreachRate * 100),
      wrongAssignmentPercent: round1(t.wrongAssignmentRate * 100),
      acceptancePercent: round1(t.acceptanceRate * 100),
      meetingRatePercent: round1(t.meetingRate * 100),
      reviewQueuePercent: round1(t.manualTriageRate * 100),
    },
    routePaths: p.routePaths.map((r) => ({ routePath: r.name, measures: compare(kpiFacts(r.current), r.previous ? kpiFacts(r.previous) : null) })),
    slaBreaches: {
      total: p.slaBreaches.total,
      byCause: Object.fromEntries(Object.entries(p.slaBreaches.byCause).map(([k, n]) => [BREACH_CAUSE_LABELS[k as keyof typeof BREACH_CAUSE_LABELS], n])),
    },
    reviewQueue: {
      leads: p.reviewQueue.current.n,
      previousLeads: p.reviewQueue.previous.n,
      percent: p.reviewQueue.current.share === null ? null : round1(p.reviewQueue.current.share * 100),
      previousPercent: p.reviewQueue.previous.share === null ? null : round1(p.reviewQueue.previous.share * 100),
    },
    topRejectionReasons: p.rejections.byRoutePath.slice(0, 10).map((r) => ({ routePath: r.routePath ? routeName.get(r.routePath) ?? r.routePath : "No route path", reason: r.reason, count: r.n })),
    reps: p.reps.slice(0, 25).map((r) => ({ rep: r.rep, active: r.active, firstAssignments: r.assigned, previousFirstAssignments: r.previousAssigned, rejected: r.rejected })),
    // A published change's measured effect: its leads (current) against those of the version it replaced (previous).
    tableVersionsPublished: p.versions.map((v) => ({
      table: v.tableName ?? null, version: v.version, reason: v.reason,
      effect: v.after ? compare(kpiFacts(v.after), v.before ? kpiFacts(v.before.kpis) : null) : null,
    })),
    anomalies: p.anomalies.map((a) => a.explanation),
  };
}

const NUMBER = /\d[\d,]*(?:\.\d+)?/g;

/** Every number in the facts — values and the numbers inside its strings — as absolute values. */
function factNumbers(facts: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "number" && Number.isFinite(v)) out.push(Math.abs(v));
    else if (typeof v === "string") for (const m of v.matchAll(NUMBER)) out.push(Number(m[0].replace(/,/g, "")));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(facts);
  return out;
}

/** The figures in `text` that no number of `facts` supports (see the module comment); [] when all are supported. */
export function unsupportedNumbers(text: string, facts: unknown): string[] {
  const known = factNumbers(facts);
  const bad: string[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const token = m[0].replace(/,+$/, "");
    const value = Number(token.replace(/,/g, ""));
    if (!Number.isFinite(value)) continue;
    if (Number.isInteger(value) && value <= 12 && !token.includes(".")) continue;
    const decimals = token.includes(".") ? token.length - token.indexOf(".") - 1 : 0;
    const tolerance = 0.5 * 10 ** -decimals + 1e-9;
    if (!known.some((k) => Math.abs(k - value) <= tolerance)) bad.push(token);
  }
  return [...new Set(bad)];
}

export interface NarrativeAnswer {
  summary: string;
  concerns: string[];
  suggestions: string[];
}

/** The stored narrative: the summary, then what to look at and what to discuss. */
export function renderNarrative(a: NarrativeAnswer): string {
  const parts = [a.summary.trim()];
  if (a.concerns.length) parts.push(["What to look at:", ...a.concerns.map((c) => `- ${c.trim()}`)].join("\n"));
  if (a.suggestions.length) parts.push(["To discuss:", ...a.suggestions.map((s) => `- ${s.trim()}`)].join("\n"));
  return parts.join("\n\n");
}

/** A plain summary of the packet from a template: what a review shows when no LLM is configured (or its answer was refused). */
export function templateNarrative(p: ReviewPacket): string {
  const rate = (r: { rate: number | null }) => (r.rate === null ? "n/a" : `${(r.rate * 100).toFixed(1)}%`);
  const c = p.overall.current;
  const prev = p.overall.previous;
  const lines = [
    `${c.volume.toLocaleString("en-US")} leads (${prev.volume.toLocaleString("en-US")} the period before). SLA breach rate ${rate(c.slaBreach)} (was ${rate(prev.slaBreach)}), wrong assignment ${rate(c.wrongAssignment)} (was ${rate(prev.wrongAssignment)}), acceptance ${rate(c.acceptance)} (was ${rate(prev.acceptance)}).`,
    `SLA breaches: ${p.slaBreaches.total} — ${p.slaBreaches.byCause.unassigned} unassigned, ${p.slaBreaches.byCause.capacity} at capacity, ${p.slaBreaches.byCause.out_of_hours} out of hours, ${p.slaBreaches.byCause.slow_owner} slow owner.`,
    `Review queue: ${p.reviewQueue.current.n} leads (${p.reviewQueue.current.share === null ? "n/a" : `${(p.reviewQueue.current.share * 100).toFixed(1)}%`} of all).`,
    p.versions.length
      ? `Published: ${p.versions.map((v) => {
        const effect = v.after && v.before ? ` — against v${v.before.version ?? "?"}'s leads: wrong assignment ${rate(v.before.kpis.wrongAssignment)} → ${rate(v.after.wrongAssignment)}, acceptance ${rate(v.before.kpis.acceptance)} → ${rate(v.after.acceptance)}` : "";
        return `${v.tableName ? `${v.tableName} ` : ""}v${v.version}${v.reason ? ` (${v.reason})` : ""}${effect}`;
      }).join("; ")}.`
      : "No table version was published.",
    p.anomalies.length ? `Anomalies: ${p.anomalies.map((a) => a.explanation).join(" ")}` : "No anomalies against the weeks before.",
  ];
  return lines.join("\n");
}
