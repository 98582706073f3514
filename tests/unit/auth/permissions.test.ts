import { describe, expect, it } from "vitest";
import { AREAS, canAccess, canEdit, homeFor, navigationFor, ROLES } from "@/lib/auth/permissions";

describe("permissions", () => {
  it("gives each role its areas, in menu order", () => {
    expect(navigationFor("admin").map((n) => n.area)).toEqual([...AREAS]);
    expect(navigationFor("ops").map((n) => n.area)).toEqual(["dashboard", "leads", "routing", "review", "monthly_review", "inbox", "settings"]);
    expect(navigationFor("growth").map((n) => n.area)).toEqual(["dashboard", "leads", "routing", "monthly_review"]);
    expect(navigationFor("sales").map((n) => n.area)).toEqual(["leads", "monthly_review", "inbox"]);
  });

  it("keeps growth read-only and sales out of analytics", () => {
    for (const area of AREAS) expect(canEdit("growth", area)).toBe(false);
    expect(canAccess("sales", "dashboard")).toBe(false);
    expect(canAccess("sales", "settings")).toBe(false);
    expect(canEdit("sales", "inbox")).toBe(true);
    expect(canEdit("ops", "routing")).toBe(true);
    // The monthly review is signed by ops and sales; growth reads it.
    expect(canEdit("sales", "monthly_review")).toBe(true);
    expect(canAccess("growth", "monthly_review")).toBe(true);
    expect(canEdit("sales", "routing")).toBe(false);
  });

  it("never shows a menu item for an area the role cannot open", () => {
    for (const role of ROLES) for (const item of navigationFor(role)) expect(canAccess(role, item.area)).toBe(true);
  });

  it("sends sales to the inbox and everyone else to the dashboard", () => {
    expect(homeFor("sales")).toBe("/inbox");
    expect(homeFor("growth")).toBe("/dashboard");
  });
});
