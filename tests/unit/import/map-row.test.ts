import { describe, expect, it } from "vitest";
import { describeMappedRow } from "@/lib/import/describe";
import { createRowMapper, type MapperContext, type MappedAccount, type MappedLead, type MappedRep, type MapResult } from "@/lib/import/map-row";
import { checkMapping, ImportMapping, type ImportMappingInput } from "@/lib/import/mapping.schema";

const NOW = new Date("2026-06-01T12:00:00Z");

function ctx(headers: string[], extra: Partial<MapperContext> = {}): MapperContext {
  return { headers, timeZone: "America/New_York", currency: "USD", now: NOW, jobId: "job-1", totalRows: null, ...extra };
}

function mapper(input: ImportMappingInput, headers: string[], extra: Partial<MapperContext> = {}) {
  const mapping = ImportMapping.parse(input);
  expect(checkMapping(mapping, { headers })).toEqual([]);
  return createRowMapper(mapping, ctx(headers, extra));
}

function ok<T>(r: MapResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.value as T;
}

const LEAD_HEADERS = ["id", "created", "email", "name", "company", "country", "source", "owner", "stage", "amount", "closed", "touched"];

const leadMapping: ImportMappingInput = {
  kind: "leads",
  fields: {
    external_id: { column: "id" },
    received_at: { column: "created", format: "yyyy-MM-dd HH:mm" },
    email: { column: "email" },
    full_name: { column: "name" },
    company: { column: "company" },
    country: { column: "country" },
    channel: { column: "source" },
    owner: { column: "owner" },
    decision: { column: "stage", values: { Won: "accepted", Lost: "accepted", Open: null } },
    closed_outcome: { column: "stage", values: { Open: null } },
    opportunity_amount: { column: "amount" },
    closed_at: { column: "closed" },
    first_touch_at: { column: "touched", format: "iso" },
  },
};

describe("createRowMapper: leads", () => {
  const map = mapper(leadMapping, LEAD_HEADERS);

  it("maps a good row: normalised contact, typed outcomes, naive times in the zone", () => {
    const lead = ok<MappedLead>(map(["L-1", "2026-01-05 09:30", " Dana.Kim@Acme.com ", "Dana Kim", "Acme Inc.", "Deutschland", "Direct Traffic", "maya@x.dev", "Won", "$1,200.50", "2026-02-01", "2026-01-05T15:00:00Z"], 1));
    expect(lead).toMatchObject({
      kind: "leads", row: 1, externalId: "L-1", idempotencyKey: "import:L-1", receivedAtSynthetic: false,
      email: "dana.kim@acme.com", emailDomain: "acme.com", emailType: "business", firstName: "Dana", lastName: "Kim",
      company: "Acme Inc.", companyDomain: "acme.com", country: "DE", region: "EMEA", channel: "direct_traffic", owner: "maya@x.dev",
    });
    expect(lead.receivedAt?.toISOString()).toBe("2026-01-05T14:30:00.000Z");
    expect(lead.personKey).toBe("email:dana.kim@acme.com");
    expect(lead.outcomes).toMatchObject({ decision: "accepted", closedOutcome: "won", opportunityAmount: 1200.5 });
    expect(lead.outcomes.closedAt?.toISOString()).toBe("2026-02-01T05:00:00.000Z");
    expect(lead.outcomes.firstTouchAt?.toISOString()).toBe("2026-01-05T15:00:00.000Z");
  });

  it("treats null values and value maps to null as empty", () => {
    const lead = ok<MappedLead>(map(["L-2", "2026-01-05 09:30", "N/A", "", "", "", "", "", "Open", "", "", ""], 2));
    expect(lead).toMatchObject({ email: null, company: null, country: null, channel: null, owner: null });
    expect(lead.outcomes).toMatchObject({ decision: null, closedOutcome: null, opportunityAmount: null, closedAt: null });
  });

  it("lists every field error of a bad row with its column", () => {
    const r = map(["L-3", "05/01/2026", "x@y.com", "", "", "", "", "", "Maybe", "12 apples", "2027-01-01", ""], 3);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.field, e.column])).toEqual([
      [3, "received_at", "created"],
      [3, "decision", "stage"],
      [3, "opportunity_amount", "amount"],
      [3, "closed_outcome", "stage"],
      [3, "closed_at", "closed"],
    ]);
    expect(r.errors[0]!.message).toMatch(/not a date in the format yyyy-MM-dd HH:mm/);
    expect(r.errors[1]!.message).toMatch(/"Maybe" is not one of accepted, rejected/);
    expect(r.errors[4]!.message).toMatch(/in the future/);
  });

  it("requires received_at", () => {
    const r = map(["L-4", "", "x@y.com", "", "", "", "", "", "", "", "", ""], 4);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ row: 4, column: "created", field: "received_at", message: "Received at is required but empty" }]);
  });

  it("refuses amounts in another currency and too large ones", () => {
    const a = map(["L-5", "2026-01-05 09:30", "", "", "", "", "", "", "", "EUR 10", "", ""], 5);
    expect(!a.ok && a.errors[0]!.message).toMatch(/in EUR; amounts must be in the workspace currency USD/);
    const b = map(["L-6", "2026-01-05 09:30", "", "", "", "", "", "", "", "5000000000000", "", ""], 6);
    expect(!b.ok && b.errors[0]!.message).toMatch(/too large/);
  });

  it("keys rows without an external id by job and row", () => {
    const m = mapper({ kind: "leads", fields: { received_at: { column: "created" } } }, ["created"]);
    expect(ok<MappedLead>(m(["2026-01-05"], 7)).idempotencyKey).toBe("import:job-1:7");
  });

  it("uses constants and defaults, and explicit categories as codes", () => {
    const m = mapper({
      kind: "leads",
      fields: {
        received_at: { column: "d" }, channel: { constant: "Trade Show" }, category: { column: "c", default: "Pricing Demo" },
        employees: { column: "e" }, existing_customer: { column: "x" }, reject_reason: { column: "r" }, decision: { constant: "rejected" },
      },
    }, ["d", "c", "e", "x", "r"]);
    const lead = ok<MappedLead>(m(["2026-01-05", "", "51-200", "yes", "Wrong Territory"], 1));
    expect(lead).toMatchObject({ channel: "trade_show", category: "pricing_demo", employees: 125, existingCustomer: true });
    expect(lead.outcomes).toMatchObject({ decision: "rejected", rejectReason: "wrong_territory" });
    const bad = m(["2026-01-05", "", "lots", "perhaps", ""], 2);
    expect(!bad.ok && bad.errors.map((e) => e.field)).toEqual(["employees", "existing_customer"]);
  });

  it("checks route paths against the workspace's", () => {
    const m = mapper({ kind: "leads", fields: { received_at: { column: "d" }, route_path: { column: "r" } } }, ["d", "r"], { routeKeys: new Set(["ae-direct"]) });
    expect(ok<MappedLead>(m(["2026-01-05", "ae-direct"], 1)).routePath).toBe("ae-direct");
    const r = m(["2026-01-05", "fast-lane"], 2);
    expect(!r.ok && r.errors[0]!.message).toMatch(/"fast-lane" is not a route path/);
  });

  it("synthesizes received times when asked, and marks them", () => {
    const m = mapper({
      kind: "leads",
      fields: { external_id: { column: "id" } },
      options: { synthesizeReceivedAt: { from: "2026-01-01", to: "2026-01-31" } },
    }, ["id"], { totalRows: 3 });
    const times = [1, 2, 3].map((row) => ok<MappedLead>(m([`P-${row}`], row)));
    for (const t of times) {
      expect(t.receivedAtSynthetic).toBe(true);
      expect(t.receivedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-01-01T05:00:00Z"));
      expect(t.receivedAt!.getTime()).toBeLessThan(Date.parse("2026-02-01T05:00:00Z"));
    }
    expect(times[0]!.receivedAt! < times[1]!.receivedAt!).toBe(true);
    expect(ok<MappedLead>(m(["P-1"], 1)).receivedAt).toEqual(times[0]!.receivedAt);
    expect(describeMappedRow(times[0]!, ["received_at"]).received_at).toMatch(/^2026-01-\d\dT\d\d:\d\d:\d\dZ \(synthesized\)$/);
  });

  it("synthesizes only missing times when asked, and never into the future", () => {
    const m = mapper({
      kind: "leads",
      fields: { received_at: { column: "d" } },
      options: { synthesizeReceivedAt: { from: "2026-01-01", to: "2026-01-01", onlyWhenMissing: true } },
    }, ["d"]);
    expect(ok<MappedLead>(m(["2025-05-05"], 1)).receivedAtSynthetic).toBe(false);
    expect(ok<MappedLead>(m([""], 2)).receivedAtSynthetic).toBe(true);
    const future = mapper({ kind: "leads", fields: {}, options: { synthesizeReceivedAt: { from: "2026-05-01", to: "2026-12-31" } } }, ["x"], { totalRows: 1 });
    const r = future(["a"], 1);
    expect(!r.ok && r.errors[0]!.message).toMatch(/synthesized time .* is in the future/);
  });

  it("in update mode needs only the external id", () => {
    const m = mapper({ kind: "leads", fields: { external_id: { column: "id" }, closed_outcome: { constant: "won" }, closed_at: { column: "d" } }, options: { mode: "update" } }, ["id", "d"]);
    const lead = ok<MappedLead>(m(["M-1", "2026-02-01 10:00:00"], 1));
    expect(lead.receivedAt).toBeNull();
    expect(lead.outcomes.closedOutcome).toBe("won");
    const r = m(["", "2026-02-01"], 2);
    expect(!r.ok && r.errors[0]!.field).toBe("external_id");
  });

  it("throws on a column the file does not have", () => {
    const mapping = ImportMapping.parse({ kind: "leads", fields: { received_at: { column: "nope" } } });
    expect(() => createRowMapper(mapping, ctx(["created"]))).toThrow(/no column "nope"/);
  });

  it("describes mapped values for the preview", () => {
    const lead = ok<MappedLead>(map(["L-1", "2026-01-05 09:30", "dana@acme.com", "Dana Kim", "", "US", "", "", "Won", "10", "", ""], 1));
    expect(describeMappedRow(lead, ["external_id", "received_at", "full_name", "country", "opportunity_amount", "closed_at"])).toEqual({
      external_id: "L-1", received_at: "2026-01-05T14:30:00Z", full_name: "Dana Kim", country: "US", opportunity_amount: "10", closed_at: null,
    });
  });
});

describe("createRowMapper: accounts", () => {
  const m = mapper({
    kind: "accounts",
    fields: {
      external_id: { column: "account" }, name: { column: "account" }, website: { column: "web" },
      industry: { column: "sector", values: { technolgy: "technology" } }, annual_revenue: { column: "revenue", multiply: 1_000_000 },
      employees: { column: "employees" }, country: { column: "office" }, customer_status: { column: "type" },
    },
  }, ["account", "web", "sector", "revenue", "employees", "office", "type"]);

  it("maps an account with domain, region, scaled revenue and a fixed typo", () => {
    const a = ok<MappedAccount>(m(["Acme Corporation", "https://www.Acme.com/about", "technolgy", "1100.04", "2822", "Philipines", "Client"], 1));
    expect(a).toMatchObject({
      externalId: "Acme Corporation", name: "Acme Corporation", nameKey: "acme", domain: "acme.com", industry: "technology",
      annualRevenue: 1_100_040_000, employees: 2822, country: "PH", region: "APAC", customerStatus: "customer",
    });
    expect(describeMappedRow(a, ["name", "website", "annual_revenue"])).toEqual({ name: "Acme Corporation", website: "acme.com", annual_revenue: "1100040000" });
  });

  it("reports a missing name and an unusable website", () => {
    const r = m(["", "", "", "", "", "", ""], 2);
    expect(!r.ok && r.errors.map((e) => e.field)).toEqual(["name"]);
    const w = m(["Acme", "not a site", "", "", "", "", ""], 3);
    expect(!w.ok && w.errors[0]).toMatchObject({ field: "website", column: "web" });
  });
});

describe("createRowMapper: reps", () => {
  const m = mapper({
    kind: "reps",
    fields: {
      email: { column: "agent", emailDomain: "maven-crm.example" }, name: { column: "agent" }, team: { column: "office" },
      role: { column: "role" }, territories: { column: "territories" }, products: { column: "products" }, weight: { column: "weight" },
      max_open_leads: { column: "cap" }, active: { column: "active" }, segments: { column: "segments" },
    },
  }, ["agent", "office", "role", "territories", "products", "weight", "cap", "active", "segments"]);

  it("builds emails from names and normalises territories", () => {
    const r = ok<MappedRep>(m(["Anna Snelling", "Central", "Account Executive", "us; emea; Brazil", "Analytics|API", "1.5", "120", "yes", "Mid Market"], 1));
    expect(r).toMatchObject({
      email: "anna.snelling@maven-crm.example", name: "Anna Snelling", team: "Central", role: "ae", territories: ["US", "EMEA", "BR"],
      products: ["analytics", "api"], weight: 1.5, maxOpenLeads: 120, active: true, segments: ["mid-market"],
    });
    expect(describeMappedRow(r, ["email", "territories"])).toEqual({ email: "anna.snelling@maven-crm.example", territories: "US, EMEA, BR" });
  });

  it("reports bad roles, capacities and weights", () => {
    const r = m(["Bo", "", "wizard", "", "", "5000", "-1", "", ""], 2);
    expect(!r.ok && r.errors.map((e) => e.field)).toEqual(["role", "max_open_leads", "weight"]);
    const e = mapper({ kind: "reps", fields: { email: { column: "e" }, name: { column: "n" } } }, ["e", "n"])(["not-an-email", "X"], 3);
    expect(!e.ok && e.errors[0]).toMatchObject({ field: "email", column: "e" });
  });
});
