import { describe, expect, it } from "vitest";
import { describeWeeklyHours } from "@/lib/calendar";

const day = (...spans: Array<[string, string]>) => spans;

describe("describeWeeklyHours", () => {
  it("groups consecutive days with the same hours", () => {
    const nine = day(["09:00", "17:00"]);
    expect(describeWeeklyHours({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] })).toBe("Mon–Fri 09:00–17:00");
    expect(describeWeeklyHours({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: day(["10:00", "14:00"]), sun: [] })).toBe("Mon–Fri 09:00–17:00; Sat 10:00–14:00");
  });
  it("keeps split days and gaps apart", () => {
    const split = day(["09:00", "12:30"], ["13:30", "17:00"]);
    expect(describeWeeklyHours({ mon: split, tue: [], wed: split, thu: split, fri: [], sat: [], sun: day(["10:00", "12:00"]) })).toBe("Mon 09:00–12:30, 13:30–17:00; Wed–Thu 09:00–12:30, 13:30–17:00; Sun 10:00–12:00");
  });
  it("says Closed for a week without hours", () => {
    expect(describeWeeklyHours({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] })).toBe("Closed");
  });
});
