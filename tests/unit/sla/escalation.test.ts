/**
 * SLA escalation chains (lib/sla/escalation.ts): when each step fires in business time — across a weekend, a
 * holiday and a daylight-saving change — what configurations are accepted, and when a due step stands down.
 */
import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "@/lib/calendar";
import { chainStopped, DEFAULT_ESCALATION, EscalationChain, escalationChain, scheduleChain } from "@/lib/sla/escalation";

const NINE_TO_FIVE = { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [] } as BusinessCalendar["weeklyHours"];
const berlin = (holidays: BusinessCalendar["holidays"] = []): BusinessCalendar => ({ timeZone: "Europe/Berlin", weeklyHours: NINE_TO_FIVE, holidays });
const iso = (d: Date) => d.toISOString();

describe("scheduleChain", () => {
  it("default chain: remind at 50%, breach at due, reassign 60 business minutes later — across a weekend", () => {
    // Friday 2026-03-06 16:30 Berlin (15:30Z), 60-minute SLA: 30 minutes on Friday, 30 on Monday.
    const assignedAt = new Date("2026-03-06T15:30:00Z");
    const dueAt = new Date("2026-03-09T08:30:00Z"); // Monday 09:30 Berlin
    const steps = scheduleChain(DEFAULT_ESCALATION, { assignedAt, dueAt, slaMinutes: 60, calendar: berlin() });
    expect(steps.map((s) => [s.step.kind, iso(s.at)])).toEqual([
      ["remind", "2026-03-06T16:00:00.000Z"], // Friday 17:00 Berlin: the 30th business minute ends at closing
      ["breach", "2026-03-09T08:30:00.000Z"],
      ["reassign", "2026-03-09T09:30:00.000Z"], // Monday 10:30 Berlin
    ]);
  });

  it("skips a holiday and follows the daylight-saving change (Berlin, 29 March 2026)", () => {
    // Thursday 2026-03-26 16:00 Berlin (CET, 15:00Z); Friday 27 is a holiday; DST starts Sunday 29.
    const cal = berlin([{ date: "2026-03-27", name: "Company day" }]);
    const assignedAt = new Date("2026-03-26T15:00:00Z");
    const dueAt = new Date("2026-03-30T08:00:00Z"); // 60 minutes on Thursday + 60 on Monday → 10:00 CEST = 08:00Z
    const steps = scheduleChain({ steps: [{ kind: "remind", atPercent: 75 }, { kind: "breach", notifyManager: true, notifyChannel: false }, { kind: "reassign", graceMinutes: 30, to: "review" }] },
      { assignedAt, dueAt, slaMinutes: 120, calendar: cal });
    expect(steps.map((s) => [s.step.kind, iso(s.at)])).toEqual([
      ["remind", "2026-03-30T07:30:00.000Z"], // 90th minute: Monday 09:30 CEST (UTC+2)
      ["breach", "2026-03-30T08:00:00.000Z"],
      ["reassign", "2026-03-30T08:30:00.000Z"],
    ]);
  });

  it("orders steps by time whatever the configured order; a zero grace reassigns at the due time, after the breach", () => {
    const steps = scheduleChain({ steps: [{ kind: "reassign", graceMinutes: 0, to: "next_rep" }, { kind: "breach", notifyManager: false, notifyChannel: false }, { kind: "remind", atPercent: 10 }] },
      { assignedAt: new Date("2026-03-03T09:00:00Z"), dueAt: new Date("2026-03-03T10:00:00Z"), slaMinutes: 60, calendar: berlin() });
    expect(steps.map((s) => [s.step.kind, s.index])).toEqual([["remind", 2], ["reassign", 0], ["breach", 1]]);
    expect(iso(steps[0]!.at)).toBe("2026-03-03T09:06:00.000Z");
  });
});

describe("configuration", () => {
  it("an empty or invalid stored configuration means the default chain; a valid one is used as is", () => {
    expect(escalationChain({})).toEqual(DEFAULT_ESCALATION);
    expect(escalationChain(null)).toEqual(DEFAULT_ESCALATION);
    expect(escalationChain({ steps: [{ kind: "remind", atPercent: 100 }] })).toEqual(DEFAULT_ESCALATION);
    const own = { steps: [{ kind: "breach", notifyManager: false, notifyChannel: true }] };
    expect(escalationChain(own)).toEqual(own);
    expect(escalationChain({ steps: [] })).toEqual({ steps: [] });
  });

  it("says what is wrong, field by field", () => {
    const r = EscalationChain.safeParse({ steps: [{ kind: "remind", atPercent: 0 }, { kind: "reassign", graceMinutes: 1.5, to: "boss" }, { kind: "breach", notifyManager: true, notifyChannel: true }, { kind: "breach", notifyManager: true, notifyChannel: true }] });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toContain("steps.0.atPercent: At least 1%.");
    expect(issues).toContain("steps.1.graceMinutes: Use whole minutes.");
    expect(issues.some((i) => i.startsWith("steps.1.to:"))).toBe(true);
  });
});

describe("chainStopped", () => {
  const assignedAt = new Date("2026-03-03T09:00:00Z");
  const open = { ownerRepId: "r1", assignedAt, firstTouchAt: null, decision: null, closed: false };
  it("fires while the assignment is untouched, and stands down for each reason", () => {
    expect(chainStopped(open, { repId: "r1", assignedAt })).toBeNull();
    expect(chainStopped({ ...open, firstTouchAt: new Date() }, { repId: "r1", assignedAt })).toBe("touched");
    expect(chainStopped({ ...open, decision: "rejected" }, { repId: "r1", assignedAt })).toBe("decided");
    expect(chainStopped({ ...open, closed: true }, { repId: "r1", assignedAt })).toBe("closed");
    expect(chainStopped({ ...open, ownerRepId: "r2" }, { repId: "r1", assignedAt })).toBe("reassigned");
    // The same rep assigned again later: a new assignment with its own chain.
    expect(chainStopped({ ...open, assignedAt: new Date("2026-03-04T09:00:00Z") }, { repId: "r1", assignedAt })).toBe("reassigned");
  });
});
