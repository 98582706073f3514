/** Alert preferences and quiet hours (lib/sla/alert-preferences.ts). */
import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "@/lib/calendar";
import { emailSendAt, readAlertPreferences } from "@/lib/sla/alert-preferences";

const NY: BusinessCalendar = {
  timeZone: "America/New_York",
  weeklyHours: { mon: [["08:00", "18:00"]], tue: [["08:00", "18:00"]], wed: [["08:00", "18:00"]], thu: [["08:00", "18:00"]], fri: [["08:00", "18:00"]], sat: [], sun: [] },
  holidays: [{ date: "2026-05-25", name: "Memorial Day" }],
};

describe("quiet hours", () => {
  it("sends at once while the team's calendar is open", () => {
    const t = new Date("2026-05-26T14:00:00Z"); // Tuesday 10:00 EDT
    expect(emailSendAt(t, NY, true)).toEqual(t);
  });
  it("holds an email sent on a Friday night until Tuesday 08:00 after Memorial Day", () => {
    expect(emailSendAt(new Date("2026-05-23T01:30:00Z"), NY, true).toISOString()).toBe("2026-05-26T12:00:00.000Z");
  });
  it("holds nothing when the user turned quiet hours off, has no team calendar, or the calendar never opens", () => {
    const night = new Date("2026-05-23T01:30:00Z");
    expect(emailSendAt(night, NY, false)).toEqual(night);
    expect(emailSendAt(night, null, true)).toEqual(night);
    expect(emailSendAt(night, { ...NY, weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, true)).toEqual(night);
  });
});

describe("readAlertPreferences", () => {
  it("defaults to email on with quiet hours, and keeps what the user chose", () => {
    expect(readAlertPreferences({})).toEqual({ email: true, quietHours: true });
    expect(readAlertPreferences(null)).toEqual({ email: true, quietHours: true });
    expect(readAlertPreferences({ alerts: { email: false } })).toEqual({ email: false, quietHours: true });
    expect(readAlertPreferences({ alerts: { email: "yes" } })).toEqual({ email: true, quietHours: true });
  });
});
