/** Human summaries of calendars for settings pages and exports. */
import { WEEKDAYS, type WeeklyHours } from "./calendar.schema";

const LABEL: Record<(typeof WEEKDAYS)[number], string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };

/**
 * "Mon–Fri 09:00–17:00; Sat 10:00–14:00": runs of consecutive days with identical hours, closed days left out.
 * "Closed" when no day is open.
 */
export function describeWeeklyHours(weekly: WeeklyHours): string {
  const parts: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const day = WEEKDAYS[i]!;
    const hours = weekly[day];
    const key = JSON.stringify(hours);
    let j = i;
    while (j + 1 < WEEKDAYS.length && JSON.stringify(weekly[WEEKDAYS[j + 1]!]) === key) j++;
    if (hours.length > 0) {
      const days = i === j ? LABEL[day] : `${LABEL[day]}–${LABEL[WEEKDAYS[j]!]}`;
      parts.push(`${days} ${hours.map(([a, b]) => `${a}–${b}`).join(", ")}`);
    }
    i = j + 1;
  }
  return parts.length ? parts.join("; ") : "Closed";
}
