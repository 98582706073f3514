/**
 * The demo workspace's configuration: teams with calendars, reps, route paths and the published decision table.
 * Plain data, so tests and docs can read it too.
 */
import type { Holiday, WeeklyHours } from "@/lib/calendar";
import type { Product } from "./catalog";

function weekdays(open: string, close: string, saturday?: [string, string]): WeeklyHours {
  const day: Array<[string, string]> = [[open, close]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: saturday ? [saturday] : [], sun: [] };
}

const US_HOLIDAYS = [
  ["2026-01-01", "New Year's Day"], ["2026-01-19", "Martin Luther King Jr. Day"], ["2026-02-16", "Presidents' Day"],
  ["2026-05-25", "Memorial Day"], ["2026-06-19", "Juneteenth"], ["2026-07-03", "Independence Day (observed)"],
  ["2026-09-07", "Labor Day"], ["2026-10-12", "Columbus Day"], ["2026-11-11", "Veterans Day"], ["2026-11-26", "Thanksgiving"],
  ["2026-11-27", "Day after Thanksgiving"], ["2026-12-25", "Christmas Day"], ["2027-01-01", "New Year's Day"],
  ["2027-01-18", "Martin Luther King Jr. Day"], ["2027-02-15", "Presidents' Day"], ["2027-05-31", "Memorial Day"],
  ["2027-07-05", "Independence Day (observed)"], ["2027-09-06", "Labor Day"], ["2027-11-25", "Thanksgiving"],
  ["2027-12-24", "Christmas Day (observed)"],
].map(([date, name]) => ({ date: date!, name: name! }));

const DE_HOLIDAYS = [
  ["2026-01-01", "Neujahr"], ["2026-04-03", "Karfreitag"], ["2026-04-06", "Ostermontag"], ["2026-05-01", "Tag der Arbeit"],
  ["2026-05-14", "Christi Himmelfahrt"], ["2026-05-25", "Pfingstmontag"], ["2026-10-03", "Tag der Deutschen Einheit"],
  ["2026-12-25", "1. Weihnachtstag"], ["2026-12-26", "2. Weihnachtstag"], ["2027-01-01", "Neujahr"],
  ["2027-03-26", "Karfreitag"], ["2027-03-29", "Ostermontag"], ["2027-05-01", "Tag der Arbeit"],
].map(([date, name]) => ({ date: date!, name: name! }));

const UK_HOLIDAYS = [
  ["2026-01-01", "New Year's Day"], ["2026-04-03", "Good Friday"], ["2026-04-06", "Easter Monday"],
  ["2026-05-04", "Early May bank holiday"], ["2026-05-25", "Spring bank holiday"], ["2026-08-31", "Summer bank holiday"],
  ["2026-12-25", "Christmas Day"], ["2026-12-28", "Boxing Day (substitute)"], ["2027-01-01", "New Year's Day"],
  ["2027-03-26", "Good Friday"], ["2027-03-29", "Easter Monday"],
].map(([date, name]) => ({ date: date!, name: name! }));

const SG_HOLIDAYS = [
  ["2026-01-01", "New Year's Day"], ["2026-02-17", "Chinese New Year"], ["2026-02-18", "Chinese New Year"],
  ["2026-05-01", "Labour Day"], ["2026-08-10", "National Day (observed)"], ["2026-11-09", "Deepavali (observed)"],
  ["2026-12-25", "Christmas Day"], ["2027-01-01", "New Year's Day"], ["2027-02-06", "Chinese New Year"],
].map(([date, name]) => ({ date: date!, name: name! }));

const IE_HOLIDAYS = [
  ["2026-01-01", "New Year's Day"], ["2026-03-17", "St Patrick's Day"], ["2026-04-06", "Easter Monday"],
  ["2026-06-01", "June bank holiday"], ["2026-08-03", "August bank holiday"], ["2026-10-26", "October bank holiday"],
  ["2026-12-25", "Christmas Day"], ["2026-12-26", "St Stephen's Day"], ["2027-01-01", "New Year's Day"],
].map(([date, name]) => ({ date: date!, name: name! }));

export interface TeamSeed {
  key: string;
  name: string;
  timeZone: string;
  weeklyHours: WeeklyHours;
  holidays: Holiday[];
}

export const TEAMS: readonly TeamSeed[] = [
  { key: "ae-na", name: "Enterprise AE — North America", timeZone: "America/New_York", weeklyHours: weekdays("08:00", "18:00"), holidays: US_HOLIDAYS },
  { key: "ae-emea", name: "Enterprise AE — EMEA", timeZone: "Europe/Berlin", weeklyHours: weekdays("08:30", "18:00"), holidays: DE_HOLIDAYS },
  { key: "sdr-amer", name: "SDR — Americas", timeZone: "America/Chicago", weeklyHours: weekdays("07:30", "17:30"), holidays: US_HOLIDAYS },
  { key: "sdr-emea", name: "SDR — EMEA", timeZone: "Europe/London", weeklyHours: weekdays("08:30", "17:30"), holidays: UK_HOLIDAYS },
  { key: "apac", name: "APAC Sales", timeZone: "Asia/Singapore", weeklyHours: weekdays("09:00", "18:00"), holidays: SG_HOLIDAYS },
  { key: "partners", name: "Partnerships", timeZone: "America/Los_Angeles", weeklyHours: weekdays("09:00", "17:00"), holidays: US_HOLIDAYS },
  { key: "support", name: "Customer Support", timeZone: "Europe/Dublin", weeklyHours: weekdays("07:00", "22:00", ["10:00", "14:00"]), holidays: IE_HOLIDAYS },
];

export interface RepSeed {
  name: string;
  email: string;
  team: string;
  role: "ae" | "sdr" | "am" | "csm" | "partner_manager" | "support";
  title: string;
  territories: string[];
  products: Product[];
  segments: string[];
  weight: number;
  maxOpenLeads: number | null;
  maxLeadsPerDay: number | null;
}

const ALL: Product[] = [];

export const REPS: readonly RepSeed[] = [
  { name: "Maya Chen", email: "maya.chen@demo.switchyard.dev", team: "ae-na", role: "ae", title: "Senior Account Executive", territories: ["US"], products: ALL, segments: ["enterprise"], weight: 1.5, maxOpenLeads: 180, maxLeadsPerDay: 30 },
  { name: "Daniel Brooks", email: "daniel.brooks@demo.switchyard.dev", team: "ae-na", role: "ae", title: "Account Executive", territories: ["US", "CA"], products: ALL, segments: ["enterprise", "mid-market"], weight: 1, maxOpenLeads: 150, maxLeadsPerDay: 25 },
  { name: "Sofía Álvarez", email: "sofia.alvarez@demo.switchyard.dev", team: "ae-na", role: "ae", title: "Account Executive, LATAM", territories: ["LATAM", "MX", "BR"], products: ALL, segments: ["enterprise", "mid-market"], weight: 1, maxOpenLeads: 150, maxLeadsPerDay: 25 },
  { name: "Lukas Weber", email: "lukas.weber@demo.switchyard.dev", team: "ae-emea", role: "ae", title: "Senior Account Executive, DACH", territories: ["DE", "NL", "SE"], products: ALL, segments: ["enterprise"], weight: 1.5, maxOpenLeads: 180, maxLeadsPerDay: 30 },
  { name: "Chloé Martin", email: "chloe.martin@demo.switchyard.dev", team: "ae-emea", role: "ae", title: "Account Executive, South EMEA", territories: ["FR", "ES", "IT"], products: ALL, segments: ["enterprise", "mid-market"], weight: 1, maxOpenLeads: 150, maxLeadsPerDay: 25 },
  { name: "Oliver Hughes", email: "oliver.hughes@demo.switchyard.dev", team: "ae-emea", role: "ae", title: "Account Executive, UK&I", territories: ["GB", "IE"], products: ALL, segments: ["enterprise", "mid-market"], weight: 1, maxOpenLeads: 150, maxLeadsPerDay: 25 },
  { name: "Jordan Lee", email: "jordan.lee@demo.switchyard.dev", team: "sdr-amer", role: "sdr", title: "SDR", territories: ["US", "CA"], products: ALL, segments: ["mid-market", "smb"], weight: 1, maxOpenLeads: 300, maxLeadsPerDay: 60 },
  { name: "Priya Nair", email: "priya.nair@demo.switchyard.dev", team: "sdr-amer", role: "sdr", title: "Senior SDR", territories: ["US", "CA"], products: ALL, segments: ["mid-market", "smb"], weight: 1.25, maxOpenLeads: 300, maxLeadsPerDay: 60 },
  { name: "Mateo Rossi", email: "mateo.rossi@demo.switchyard.dev", team: "sdr-amer", role: "sdr", title: "SDR, LATAM", territories: ["LATAM", "MX", "BR"], products: ALL, segments: ["mid-market", "smb"], weight: 0.75, maxOpenLeads: 220, maxLeadsPerDay: 45 },
  { name: "Hannah Schmidt", email: "hannah.schmidt@demo.switchyard.dev", team: "sdr-emea", role: "sdr", title: "SDR, EMEA", territories: ["EMEA"], products: ALL, segments: ["mid-market", "smb"], weight: 1, maxOpenLeads: 300, maxLeadsPerDay: 60 },
  { name: "Tom Walsh", email: "tom.walsh@demo.switchyard.dev", team: "sdr-emea", role: "sdr", title: "SDR, EMEA (new hire)", territories: ["EMEA"], products: ALL, segments: ["mid-market", "smb"], weight: 0.5, maxOpenLeads: 150, maxLeadsPerDay: 30 },
  { name: "Kenji Sato", email: "kenji.sato@demo.switchyard.dev", team: "apac", role: "sdr", title: "SDR, Japan", territories: ["JP"], products: ALL, segments: ["enterprise", "mid-market", "smb"], weight: 1, maxOpenLeads: 220, maxLeadsPerDay: 45 },
  { name: "Aisha Rahman", email: "aisha.rahman@demo.switchyard.dev", team: "apac", role: "sdr", title: "SDR, APAC", territories: ["APAC"], products: ALL, segments: ["enterprise", "mid-market", "smb"], weight: 1, maxOpenLeads: 220, maxLeadsPerDay: 45 },
  { name: "Grace Lim", email: "grace.lim@demo.switchyard.dev", team: "apac", role: "ae", title: "Account Executive, APAC", territories: ["APAC"], products: ALL, segments: ["enterprise", "mid-market"], weight: 1, maxOpenLeads: 150, maxLeadsPerDay: 25 },
  { name: "Rachel Green", email: "rachel.green@demo.switchyard.dev", team: "partners", role: "partner_manager", title: "Partner Manager", territories: [], products: ALL, segments: [], weight: 1, maxOpenLeads: null, maxLeadsPerDay: null },
  { name: "Seán Murphy", email: "sean.murphy@demo.switchyard.dev", team: "support", role: "support", title: "Support Engineer", territories: [], products: ALL, segments: [], weight: 1, maxOpenLeads: null, maxLeadsPerDay: null },
  { name: "Inês Costa", email: "ines.costa@demo.switchyard.dev", team: "support", role: "support", title: "Support Engineer", territories: [], products: ALL, segments: [], weight: 1, maxOpenLeads: null, maxLeadsPerDay: null },
];

export interface RoutePathSeed {
  key: string;
  name: string;
  kind: "sales" | "support" | "partner" | "nurture" | "review" | "junk";
  triggerSummary: string;
  dataRequired: string[];
  confidenceThreshold: number | null;
  /** Teams whose reps in `roles` form the round-robin pool; empty for queue-only routes. */
  teams: string[];
  roles: RepSeed["role"][];
  accountOwnerFirst: boolean;
  queue: string | null;
  slaMinutes: number | null;
  fallbackRouteKey: string | null;
  color: string;
}

export const ROUTE_PATHS: readonly RoutePathSeed[] = [
  {
    key: "ae-direct", name: "AE direct", kind: "sales",
    triggerSummary: "Enterprise (1,000+ employees) or mid-market sales inquiries, and any buying signal from an existing customer.",
    dataRequired: ["category", "employees", "is_existing_customer"], confidenceThreshold: 0.6,
    teams: ["ae-na", "ae-emea", "apac"], roles: ["ae"], accountOwnerFirst: true, queue: null, slaMinutes: 30, fallbackRouteKey: "review", color: "#2f5bea",
  },
  {
    key: "sdr-queue", name: "SDR queue", kind: "sales",
    triggerSummary: "Pricing and demo requests from smaller companies; qualified by an SDR before an AE sees them.",
    dataRequired: ["category", "employees"], confidenceThreshold: 0.6,
    teams: ["sdr-amer", "sdr-emea", "apac"], roles: ["sdr"], accountOwnerFirst: false, queue: null, slaMinutes: 60, fallbackRouteKey: "review", color: "#0ea5a4",
  },
  {
    key: "partner", name: "Partnerships", kind: "partner",
    triggerSummary: "Resellers, integrators and technology partners asking to work with us.",
    dataRequired: ["category"], confidenceThreshold: 0.5,
    teams: ["partners"], roles: ["partner_manager"], accountOwnerFirst: false, queue: null, slaMinutes: 480, fallbackRouteKey: "review", color: "#8b5cf6",
  },
  {
    key: "support", name: "Support", kind: "support",
    triggerSummary: "Existing users with a problem: routed to support, never to a seller.",
    dataRequired: ["category"], confidenceThreshold: 0.5,
    teams: ["support"], roles: ["support"], accountOwnerFirst: false, queue: null, slaMinutes: 240, fallbackRouteKey: "review", color: "#f59e0b",
  },
  {
    key: "nurture", name: "Nurture", kind: "nurture",
    triggerSummary: "Low fit, early research, job seekers and vendors: marketing nurture, no rep.",
    dataRequired: [], confidenceThreshold: null,
    teams: [], roles: [], accountOwnerFirst: false, queue: "nurture", slaMinutes: null, fallbackRouteKey: null, color: "#94a3b8",
  },
  {
    key: "review", name: "Review queue", kind: "review",
    triggerSummary: "Fallback: low classifier confidence, no eligible owner, or a failed step. Worked by revenue ops.",
    dataRequired: [], confidenceThreshold: null,
    teams: [], roles: [], accountOwnerFirst: false, queue: "review", slaMinutes: 120, fallbackRouteKey: null, color: "#ef4444",
  },
  {
    key: "junk", name: "Junk", kind: "junk",
    triggerSummary: "Spam, test submissions and fake data. Kept for the record, never sent to a rep.",
    dataRequired: [], confidenceThreshold: null,
    teams: [], roles: [], accountOwnerFirst: false, queue: "junk", slaMinutes: null, fallbackRouteKey: null, color: "#475569",
  },
];

/** The published routing table (FIRST hit policy). Cells use the unary-test syntax of lib/decision-table. */
export const DEMO_TABLE = {
  name: "Inbound routing",
  hitPolicy: "FIRST" as const,
  inputs: [
    { field: "category", label: "Intent (AI)", type: "string" as const,
      allowedValues: ["sales_enterprise", "pricing_demo", "support_request", "job_application", "partner_request", "vendor_solicitation", "low_fit", "spam"] },
    { field: "is_existing_customer", label: "Existing customer", type: "boolean" as const },
    { field: "employees", label: "Employees", type: "number" as const },
    { field: "region", label: "Region", type: "string" as const, allowedValues: ["NA", "EMEA", "APAC", "LATAM"] },
    { field: "lead_source", label: "Source", type: "string" as const, allowedValues: ["web", "paid_ads", "content", "event", "referral", "partner"] },
    { field: "priority_tier", label: "Priority", type: "string" as const, allowedValues: ["P1", "P2", "P3", "P4"] },
  ],
  outputs: [
    { name: "route", label: "Route path", type: "string" as const, allowedValues: ["ae-direct", "sdr-queue", "partner", "support", "nurture", "junk"] },
  ],
  rules: [
    { id: "R01", annotation: "Spam never reaches a rep", when: { category: "'spam'" }, then: { route: "junk" } },
    { id: "R02", annotation: "Support requests go to support", when: { category: "'support_request'" }, then: { route: "support" } },
    { id: "R03", annotation: "Partner requests", when: { category: "'partner_request'" }, then: { route: "partner" } },
    { id: "R04", annotation: "Job seekers and vendors: no rep", when: { category: "'job_application','vendor_solicitation'" }, then: { route: "nurture" } },
    { id: "R05", annotation: "Expansion: existing customers with a buying signal", when: { category: "'sales_enterprise','pricing_demo'", is_existing_customer: "true" }, then: { route: "ae-direct" } },
    { id: "R06", annotation: "Enterprise buying signal", when: { category: "'sales_enterprise','pricing_demo'", employees: ">= 1000" }, then: { route: "ae-direct" } },
    { id: "R07", annotation: "Mid-market enterprise inquiry", when: { category: "'sales_enterprise'", employees: "[200..999]" }, then: { route: "ae-direct" } },
    { id: "R08", annotation: "Hot mid-market demo request", when: { category: "'pricing_demo'", employees: "[200..999]", priority_tier: "'P1','P2'" }, then: { route: "ae-direct" } },
    { id: "R09", annotation: "Qualified demand from smaller companies", when: { category: "'sales_enterprise','pricing_demo'", employees: ">= 10" }, then: { route: "sdr-queue" } },
    { id: "R10", annotation: "Hot lead, size unknown", when: { category: "'sales_enterprise','pricing_demo'", priority_tier: "'P1','P2'" }, then: { route: "sdr-queue" } },
    { id: "R11", annotation: "Everything else: nurture", when: {}, then: { route: "nurture" } },
  ].map((r) => ({
    ...r,
    when: Object.fromEntries(
      ["category", "is_existing_customer", "employees", "region", "lead_source", "priority_tier"].map((f) => [f, (r.when as Record<string, string>)[f] ?? "-"]),
    ),
  })),
};
