/** A review's period in words (its end is the day after its last, as stored). Shared by server and client components. */
export function periodLabel(start: string, endExclusive: string): string {
  const last = new Date(`${endExclusive}T12:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  const first = new Date(`${start}T12:00:00Z`);
  const f = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  return `${f(first)} – ${f(last)}`;
}

export function reviewTitle(start: string, endExclusive: string): string {
  const first = new Date(`${start}T12:00:00Z`);
  const last = new Date(`${endExclusive}T12:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  const wholeMonth = first.getUTCDate() === 1 && last.getUTCMonth() === first.getUTCMonth() && new Date(`${endExclusive}T12:00:00Z`).getUTCDate() === 1;
  return wholeMonth ? first.toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" }) : periodLabel(start, endExclusive);
}
