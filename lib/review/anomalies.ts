/**
 * Anomalies for the monthly routing review (and the dashboard's alerts): statistical, explainable, no LLM. Each
 * check compares the review period with a trailing baseline of the same length or longer, and says in words what
 * it saw, against what, and how unusual it is:
 *
 * - volume per source and per route path: the period's leads against the baseline's median for each weekday (a
 *   seasonal median), as a robust z-score (MAD, with a Poisson floor so a quiet series does not alarm on one lead);
 * - a source that went silent: leads every day in the baseline, none for the last `silentDays` days of the period;
 * - a rep who stopped receiving leads: regular assignments in the baseline, none in the period;
 * - shares — the fallback (review) queue, SLA breaches, acceptance — per route path: a two-proportion z-test of the
 *   period against the baseline, flagged only when the change is also large in points;
 * - the classifier's confidence distribution: the population stability index (PSI) over fixed bins.
 *
 * Thresholds are deliberately strict (z ≥ 4, a 5-point minimum change, PSI ≥ 0.25): a monthly review should show
 * what changed, not the noise of a normal month. Pure: no I/O, no clock.
 */

import { percentileCont } from "../metrics/definitions";

export type FindingKind = "volume_spike" | "volume_drop" | "source_silent" | "rep_starved" | "share_jump" | "share_drop" | "confidence_shift";

export interface Finding {
  kind: FindingKind;
  /** What it is about: a source, a route path, a rep or the classifier. */
  subject: { type: "source" | "route_path" | "rep" | "classifier"; key: string; label: string };
  /** The measure: "leads/day", "review share", "SLA breach rate", "acceptance", "confidence". */
  metric: string;
  baseline: number;
  observed: number;
  /** How unusual: a z-score, or the PSI for a distribution. */
  score: number;
  /** One sentence for people. */
  explanation: string;
  severity: "warning" | "critical";
}

export const THRESHOLDS = { z: 4, minShareChange: 0.05, psi: 0.25, silentDays: 3, minBaselinePerDay: 2, minRepBaselineLeads: 8, minShareSample: 30, minConfidenceSample: 200, silentMinExpected: 9 } as const;

/** The median (0 for no values), by the metrics' own percentile. */
export function median(xs: readonly number[]): number {
  return percentileCont([...xs].sort((a, b) => a - b), 0.5) ?? 0;
}

/** Median absolute deviation. */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** One day's count and its weekday (0–6, any fixed convention; used to compare like with like). */
export interface DayCount {
  weekday: number;
  n: number;
}

/**
 * Seasonal robust z of the period's volume against the baseline: each period day is expected at the baseline's
 * median for its weekday (weekends are not Mondays), with a day-to-day spread σ of the larger of 1.4826·MAD of
 * that weekday (the normal-consistent MAD) and the Poisson spread √median (a series of a few leads a day never
 * alarms on its own randomness), widened for the uncertainty of the median itself (≈ 1.57·σ²/m for m days).
 * Returns the z of the period's total and the expected and observed leads per day.
 */
export function volumeZ(baseline: readonly DayCount[], period: readonly DayCount[]): { z: number; base: number; observed: number } {
  const all = baseline.map((d) => d.n);
  const byDay = new Map<number, number[]>();
  for (const d of baseline) byDay.set(d.weekday, [...(byDay.get(d.weekday) ?? []), d.n]);
  let expected = 0;
  let variance = 0;
  let observed = 0;
  for (const d of period) {
    const values = byDay.get(d.weekday) ?? all;
    const med = median(values);
    const sigma = Math.max(1.4826 * mad(values), Math.sqrt(Math.max(med, 1)));
    expected += med;
    variance += sigma * sigma * (1 + 1.57 / Math.max(1, values.length));
    observed += d.n;
  }
  const days = Math.max(1, period.length);
  return { z: variance > 0 ? (observed - expected) / Math.sqrt(variance) : 0, base: expected / days, observed: observed / days };
}

/** Two-proportion z (pooled) of k1/n1 against k0/n0; 0 when either side has no sample. */
export function proportionZ(k0: number, n0: number, k1: number, n1: number): number {
  if (n0 === 0 || n1 === 0) return 0;
  const p = (k0 + k1) / (n0 + n1);
  const se = Math.sqrt(p * (1 - p) * (1 / n0 + 1 / n1));
  return se === 0 ? 0 : (k1 / n1 - k0 / n0) / se;
}

/**
 * Population stability index of two histograms over the same bins, each bin smoothed by half a count (so a bin
 * empty on one side and nearly so on the other does not weigh as if it held a real share).
 */
export function psi(baseline: readonly number[], period: readonly number[]): number {
  const k = baseline.length;
  const nb = baseline.reduce((a, b) => a + b, 0);
  const np = period.reduce((a, b) => a + b, 0);
  if (!nb || !np) return 0;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const b = (baseline[i]! + 0.5) / (nb + 0.5 * k);
    const p = ((period[i] ?? 0) + 0.5) / (np + 0.5 * k);
    sum += (p - b) * Math.log(p / b);
  }
  return sum;
}

export interface SeriesInput {
  key: string;
  label: string;
  /** Leads per day, oldest first. */
  baseline: DayCount[];
  period: DayCount[];
}

export interface ShareInput {
  key: string;
  label: string;
  metric: string;
  baseline: { k: number; n: number };
  period: { k: number; n: number };
}

export interface AnomalyInput {
  sources: SeriesInput[];
  routePaths: SeriesInput[];
  /** Reps' first assignments: baseline and period totals, over the same number of days each side per rep. */
  reps: Array<{ key: string; label: string; baseline: number; period: number; baselineDays: number; periodDays: number }>;
  shares: ShareInput[];
  /** Classifier confidence histograms over the same bins (e.g. tenths). */
  confidence: { baseline: number[]; period: number[] } | null;
}

const fmt = (x: number, digits = 1) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function detectAnomalies(input: AnomalyInput): Finding[] {
  const out: Finding[] = [];
  const T = THRESHOLDS;
  const volume = (type: "source" | "route_path", s: SeriesInput) => {
    const perDay = median(s.baseline.map((d) => d.n));
    const tail = s.period.slice(-T.silentDays);
    if (type === "source" && tail.length === T.silentDays && tail.every((d) => d.n === 0)) {
      // Silent: none on the last days, where the baseline's weekdays expect a steady flow.
      const expectedTail = volumeZ(s.baseline, tail).base * T.silentDays;
      // At least 9 leads expected over those days: zero of them by chance is then below 1 in 8,000 (Poisson).
      if (perDay >= T.minBaselinePerDay && expectedTail >= T.silentMinExpected) {
        out.push({
          kind: "source_silent", subject: { type, key: s.key, label: s.label }, metric: "leads/day", baseline: perDay, observed: 0, score: Infinity, severity: "critical",
          explanation: `${s.label} sent no leads for the last ${T.silentDays} days of the period; it sent ${fmt(perDay)} a day (median) before.`,
        });
        return;
      }
    }
    const periodMean = s.period.reduce((a, d) => a + d.n, 0) / Math.max(1, s.period.length);
    if (perDay < T.minBaselinePerDay && periodMean < T.minBaselinePerDay) return;
    const v = volumeZ(s.baseline, s.period);
    if (Math.abs(v.z) < T.z) return;
    const up = v.z > 0;
    out.push({
      kind: up ? "volume_spike" : "volume_drop", subject: { type, key: s.key, label: s.label }, metric: "leads/day", baseline: v.base, observed: v.observed, score: v.z,
      severity: Math.abs(v.z) >= 2 * T.z ? "critical" : "warning",
      explanation: `${s.label}: ${fmt(v.observed)} leads a day against ${fmt(v.base)} expected from the same weekdays before (${up ? "+" : "−"}${Math.abs(v.z).toFixed(1)} robust z).`,
    });
  };
  for (const s of input.sources) volume("source", s);
  for (const s of input.routePaths) volume("route_path", s);

  for (const r of input.reps) {
    const weekly = (r.baseline / Math.max(1, r.baselineDays)) * 7;
    if (r.baseline >= T.minRepBaselineLeads && weekly >= 2 && r.period === 0) {
      out.push({
        kind: "rep_starved", subject: { type: "rep", key: r.key, label: r.label }, metric: "leads assigned", baseline: r.baseline, observed: 0, score: Infinity, severity: "critical",
        explanation: `${r.label} received no leads in the period, after ${r.baseline} in the ${r.baselineDays} days before (${fmt(weekly)} a week).`,
      });
    }
  }

  for (const s of input.shares) {
    if (s.baseline.n < T.minShareSample || s.period.n < T.minShareSample) continue;
    const p0 = s.baseline.k / s.baseline.n;
    const p1 = s.period.k / s.period.n;
    const z = proportionZ(s.baseline.k, s.baseline.n, s.period.k, s.period.n);
    if (Math.abs(z) < T.z || Math.abs(p1 - p0) < T.minShareChange) continue;
    out.push({
      kind: p1 > p0 ? "share_jump" : "share_drop", subject: { type: "route_path", key: s.key, label: s.label }, metric: s.metric, baseline: p0, observed: p1, score: z,
      severity: Math.abs(p1 - p0) >= 2 * T.minShareChange ? "critical" : "warning",
      explanation: `${s.label}: ${s.metric} ${pct(p1)} against ${pct(p0)} before (${s.period.k} of ${s.period.n} leads; z ${z.toFixed(1)}).`,
    });
  }

  if (input.confidence) {
    const { baseline, period } = input.confidence;
    const value = psi(baseline, period);
    const n0 = baseline.reduce((a, b) => a + b, 0);
    const n1 = period.reduce((a, b) => a + b, 0);
    // Two samples of one distribution still differ: their PSI is about (bins − 1)·(1/n₀ + 1/n₁). Flag only beyond
    // twice that noise, and only with enough leads on both sides.
    const noise = 2 * (baseline.length - 1) * (1 / Math.max(1, n0) + 1 / Math.max(1, n1));
    if (n0 >= T.minConfidenceSample && n1 >= T.minConfidenceSample && value >= T.psi + noise) {
      out.push({
        kind: "confidence_shift", subject: { type: "classifier", key: "classifier", label: "The classifier" }, metric: "confidence", baseline: 0, observed: value, score: value,
        severity: value >= 2 * T.psi ? "critical" : "warning",
        explanation: `The classifier's confidence distribution shifted (PSI ${value.toFixed(2)}; above ${T.psi} is a real shift): check its inputs and retrain.`,
      });
    }
  }
  const rank = (f: Finding) => (f.severity === "critical" ? 0 : 1);
  const size = (f: Finding) => (Number.isFinite(f.score) ? Math.abs(f.score) : Number.MAX_VALUE);
  return out.sort((a, b) => rank(a) - rank(b) || size(b) - size(a) || a.subject.label.localeCompare(b.subject.label));
}
