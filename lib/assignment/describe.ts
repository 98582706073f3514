/** Plain-language summaries of assignment outcomes, for the review queue and notifications. */
import type { SkipReason, SkippedRep } from "./assignment.schema";

const SKIP_TEXT: Record<SkipReason, string> = {
  inactive: "inactive",
  zero_weight: "with zero weight",
  out_of_office: "out of office",
  outside_hours: "outside working hours",
  capacity_open: "at their open-lead cap",
  capacity_daily: "at their daily cap",
  excluded: "who already turned it down",
  territory: "outside the territory",
  product: "not selling the product",
  segment: "not covering the segment",
  not_found: "no longer a rep",
};

/** "No eligible rep for AE direct: 6 outside the territory, 1 out of office." (distinct reps, strongest first). */
export function describeNoEligibleOwner(routeName: string, skipped: readonly SkippedRep[]): string {
  const byRep = new Map<string, SkipReason>();
  for (const s of skipped) if (!byRep.has(s.repId)) byRep.set(s.repId, s.reason);
  const counts = new Map<SkipReason, number>();
  for (const reason of byRep.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} ${SKIP_TEXT[reason]}`);
  return parts.length ? `No eligible rep for ${routeName}: ${parts.join(", ")}.` : `No rep is configured for ${routeName}.`;
}
