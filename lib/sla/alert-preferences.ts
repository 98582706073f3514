/**
 * A user's alert preferences (users.preferences.alerts) and quiet hours: emails wait until the user's team calendar
 * opens again; the bell is never held back. Pure: the caller passes the calendar and the instant.
 */
import { z } from "zod";
import { isOpenAt, nextOpening } from "../calendar/business-time";
import type { BusinessCalendar } from "../calendar/calendar.schema";

export const AlertPreferences = z.object({
  /** Email me the alerts the bell shows (when the workspace has SMTP configured). */
  email: z.boolean(),
  /** Hold those emails outside my team's working hours, until it opens. */
  quietHours: z.boolean(),
});
export type AlertPreferences = z.infer<typeof AlertPreferences>;

export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = { email: true, quietHours: true };

/** The preferences stored in a user's preferences blob (defaults for anything missing or malformed). */
export function readAlertPreferences(preferences: unknown): AlertPreferences {
  const stored = (preferences as { alerts?: unknown } | null | undefined)?.alerts;
  const parsed = AlertPreferences.partial().safeParse(stored ?? {});
  return { ...DEFAULT_ALERT_PREFERENCES, ...(parsed.success ? parsed.data : {}) };
}

/** When an email alert goes out: now, or — quiet hours on and the calendar closed — when it next opens. */
export function emailSendAt(now: Date, calendar: BusinessCalendar | null, quietHours: boolean): Date {
  if (!quietHours || !calendar) return now;
  try {
    return isOpenAt(calendar, now) ? now : nextOpening(calendar, now);
  } catch {
    return now; // a calendar that never opens holds nothing back
  }
}
