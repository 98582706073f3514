/**
 * A review's period: how often reviews are due (the workspace's cadence), and its name in words. Periods are local
 * dates, the end exclusive (the day after the last), as monthly_reviews stores them.
 */
export const REVIEW_CADENCES = ["monthly", "quarterly"] as const;
export type ReviewCadence = (typeof REVIEW_CADENCES)[number];

export const CADENCE_LABELS: Record<ReviewCadence, string> = { monthly: "Every month", quarterly: "Every quarter" };

/** The workspace's cadence from its settings blob (settings.review.cadence); monthly unless set. */
export function reviewCadence(settings: unknown): ReviewCadence {
  const c = (settings as { review?: { cadence?: unknown } } | null)?.review?.cadence;
  return REVIEW_CADENCES.includes(c as ReviewCadence) ? (c as ReviewCadence) : "monthly";
}

const utc = (day: string) => new Date(`${day}T12:00:00Z`);

/** A YYYY-MM-DD `n` days later (earlier when negative); an invalid day comes back as it was. */
export function addDays(day: string, n: number): string {
  const d = utc(day);
  if (Number.isNaN(d.getTime())) return day;
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "Oct 1, 2026" for a YYYY-MM-DD (a calendar day: no time zone moves it). */
export function dayLabel(day: string): string {
  return utc(day).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/** "Oct 1, 2026 – Oct 31, 2026". */
export function periodLabel(start: string, endExclusive: string): string {
  return `${dayLabel(start)} – ${dayLabel(addDays(endExclusive, -1))}`;
}

/** "October 2026" for a calendar month, "Q3 2026" for a calendar quarter, else the dates. */
export function reviewTitle(start: string, endExclusive: string): string {
  const first = utc(start);
  const end = utc(endExclusive);
  if (first.getUTCDate() === 1 && end.getUTCDate() === 1) {
    const months = (end.getUTCFullYear() - first.getUTCFullYear()) * 12 + end.getUTCMonth() - first.getUTCMonth();
    if (months === 1) return first.toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
    if (months === 3 && first.getUTCMonth() % 3 === 0) return `Q${first.getUTCMonth() / 3 + 1} ${first.getUTCFullYear()}`;
  }
  return periodLabel(start, endExclusive);
}
