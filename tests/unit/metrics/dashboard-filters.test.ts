import { describe, expect, it } from "vitest";
import { DashboardFilters, FILTER_PARAMS, filtersFromSearch, filtersToParams, resolvePeriod } from "@/lib/metrics/dashboard-filters";

/** What the dashboard does with the URL: drop the filter parameters, write the new ones, keep the rest. */
function filtersToSearch(f: DashboardFilters, base?: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const key of FILTER_PARAMS) out.delete(key);
  for (const [key, value] of filtersToParams(f)) out.set(key, value);
  return out;
}

const NOW = new Date("2026-11-26T05:00:00Z");
const ID = "3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

describe("resolvePeriod", () => {
  it("ends a preset at now and puts the previous period of equal length just before it", () => {
    const p = resolvePeriod({ range: "30d" }, NOW, "UTC");
    expect(p.to).toEqual(NOW);
    expect(p.from).toEqual(new Date("2026-10-27T05:00:00Z"));
    expect(p.previousFrom).toEqual(new Date("2026-09-27T05:00:00Z"));
    expect(p.days).toBe(30);
    expect(p.label).toBe("Last 30 days");
  });

  it("covers whole local days of a custom range in the workspace's time zone, across a DST change", () => {
    const p = resolvePeriod({ range: "custom", from: "2026-10-26", to: "2026-11-01" }, NOW, "America/New_York");
    expect(p.from).toEqual(new Date("2026-10-26T04:00:00Z")); // EDT midnight
    expect(p.to).toEqual(new Date("2026-11-02T05:00:00Z")); // EST midnight after the last day
    expect(p.days).toBe(7);
    // Seven whole local days before: Oct 19 00:00 EDT, not 7 × 24 h before (which would be 23:00 the day before).
    expect(p.previousFrom).toEqual(new Date("2026-10-19T04:00:00Z"));
  });

  it("falls back to 30 days for a custom range without dates", () => {
    expect(resolvePeriod({ range: "custom" }, NOW, "UTC").days).toBe(30);
  });
});

describe("DashboardFilters", () => {
  it("reports field-level errors for a bad custom range and bad ids", () => {
    const r = DashboardFilters.safeParse({ range: "custom", from: "2026-11-10", to: "2026-11-01", reps: ["not-an-id"] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("to");
    expect(paths).toContain("reps.0");
    const missing = DashboardFilters.safeParse({ range: "custom" });
    expect(missing.error!.issues.map((i) => i.path.join("."))).toEqual(["from", "to"]);
  });
});

describe("URL round trip", () => {
  it("writes only what differs from the default and reads it back", () => {
    const f = DashboardFilters.parse({ range: "90d", routePaths: ["ae-direct", "sdr-queue"], reps: [ID, "none"] });
    const search = filtersToSearch(f, new URLSearchParams("by=rep&range=7d"));
    expect(search.get("by")).toBe("rep");
    expect(search.get("range")).toBe("90d");
    expect(search.get("route")).toBe("ae-direct,sdr-queue");
    expect(search.get("rep")).toBe(`${ID},none`);
    expect(filtersFromSearch(search)).toEqual(f);
    expect(filtersToSearch(DashboardFilters.parse({})).toString()).toBe("");
    const custom = DashboardFilters.parse({ range: "custom", from: "2026-11-01", to: "2026-11-07" });
    expect(filtersFromSearch(filtersToSearch(custom))).toEqual(custom);
  });

  it("recovers from a tampered URL instead of failing the page", () => {
    expect(filtersFromSearch(new URLSearchParams("range=forever&route=ae-direct"))).toEqual({ range: "30d", routePaths: ["ae-direct"] });
    expect(filtersFromSearch(new URLSearchParams("range=custom&from=2026-11-09&to=2026-11-01"))).toEqual({ range: "30d" });
    expect(filtersFromSearch(new URLSearchParams("team=x"))).toEqual({ range: "30d" });
  });
});
