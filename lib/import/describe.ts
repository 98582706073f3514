/**
 * Display values of a mapped row for the preview: target field key → the value as the import will store it
 * (dates as ISO instants in UTC, amounts as numbers, lists joined), for the fields the mapping fills.
 */
import { type MappedAccount, type MappedLead, type MappedRep, type MappedRow } from "./map-row";

function show(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (v instanceof Date) return v.toISOString().replace(".000Z", "Z");
  if (Array.isArray(v)) return v.length ? v.join(", ") : null;
  return String(v);
}

function leadValues(l: MappedLead): Record<string, unknown> {
  const o = l.outcomes;
  return {
    external_id: l.externalId, received_at: l.receivedAt, email: l.email, first_name: l.firstName, last_name: l.lastName,
    full_name: [l.firstName, l.lastName].filter(Boolean).join(" "), phone: l.phone, title: l.title, company: l.company,
    website: l.companyDomain, country: l.country, region: l.region, channel: l.channel, product_interest: l.productInterest,
    message: l.message, category: l.category, employees: l.employees, industry: l.industry, existing_customer: l.existingCustomer,
    route_path: l.routePath, owner: l.owner, first_owner: l.firstOwner, assigned_at: o.assignedAt, first_touch_at: o.firstTouchAt,
    decision: o.decision, decision_at: o.decisionAt, reject_reason: o.rejectReason, meeting_booked_at: o.meetingBookedAt,
    opportunity_amount: o.opportunityAmount, opportunity_at: o.opportunityAt, closed_outcome: o.closedOutcome, closed_at: o.closedAt,
  };
}

function accountValues(a: MappedAccount): Record<string, unknown> {
  return {
    external_id: a.externalId, name: a.name, domain: a.domain, website: a.domain, owner: a.owner, customer_status: a.customerStatus,
    employees: a.employees, industry: a.industry, country: a.country, region: a.region, annual_revenue: a.annualRevenue,
  };
}

function repValues(r: MappedRep): Record<string, unknown> {
  return {
    email: r.email, name: r.name, team: r.team, role: r.role, title: r.title, territories: r.territories, products: r.products,
    segments: r.segments, weight: r.weight, max_open_leads: r.maxOpenLeads, max_leads_per_day: r.maxLeadsPerDay, active: r.active,
  };
}

/**
 * The values of `keys` (the mapped target fields, in order) as display text; empty values are null. A lead whose
 * received time was synthesized shows it with "(synthesized)".
 */
export function describeMappedRow(row: MappedRow, keys: readonly string[]): Record<string, string | null> {
  const values = row.kind === "leads" ? leadValues(row) : row.kind === "accounts" ? accountValues(row) : repValues(row);
  const out: Record<string, string | null> = {};
  for (const key of keys) out[key] = show(values[key]);
  if (row.kind === "leads" && row.receivedAtSynthetic && row.receivedAt) out.received_at = `${show(row.receivedAt)} (synthesized)`;
  return out;
}
