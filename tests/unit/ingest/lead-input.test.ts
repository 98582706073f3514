import { describe, expect, it } from "vitest";
import { LeadInput, OutcomeEventInput, rawLeadFields } from "@/lib/ingest/lead-input";

describe("LeadInput", () => {
  it("accepts a documented lead and maps it to raw fields", () => {
    const lead = LeadInput.parse({ eventId: 12, contact: { email: " a@b.co ", firstName: "A" }, company: { name: "B", employees: "51-200" }, utm: { source: "g" } });
    expect(lead.eventId).toBe("12");
    expect(rawLeadFields(lead)).toMatchObject({ email: "a@b.co", firstName: "A", company: "B", employees: "51-200", utmSource: "g" });
  });
  it("requires email or phone, a valid email, and no unknown fields", () => {
    const issues = (v: unknown) => LeadInput.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ contact: {} })).toEqual(["contact.email: either contact.email or contact.phone is required"]);
    expect(issues({ contact: { email: "nope" } })[0]).toMatch(/contact.email: is not a valid email/);
    expect(issues({ contact: { phone: "+1 415 555 0100" }, extra: 1 }).length).toBe(1);
    expect(issues({ contact: { phone: "1" }, message: "x".repeat(10_001) })[0]).toMatch(/^message: at most 10000/);
    expect(issues({ contact: { phone: "1" }, submittedAt: "2026-01-01" })[0]).toMatch(/^submittedAt/);
  });
});

describe("OutcomeEventInput", () => {
  const err = (v: unknown) => OutcomeEventInput.safeParse(v).error?.issues.map((i) => i.path.join(".")) ?? [];
  it("needs reasons where they matter", () => {
    expect(err({ type: "rejected" })).toEqual(["reasonCode"]);
    expect(err({ type: "rejected", reasonCode: "wrong_territory" })).toEqual([]);
    expect(err({ type: "rejected", reasonCode: "other" })).toEqual(["comment"]);
    expect(err({ type: "reassigned", reasonCode: "rejected_reroute", repEmail: "a@b.co" })).toEqual(["reasonCode"]);
    expect(err({ type: "reassigned", reasonCode: "manual" })).toEqual(["repEmail"]);
    expect(err({ type: "opportunity_created" })).toEqual(["amount"]);
    expect(err({ type: "meeting_booked", amount: 5 })).toEqual(["amount"]);
    expect(err({ type: "opportunity_created", amount: 5, currency: "usd" })).toEqual(["currency"]);
  });
});
