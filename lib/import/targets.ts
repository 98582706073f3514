/**
 * What a CSV import can fill: the target fields of each import kind (leads, accounts, reps), with their value type,
 * whether they are required, and the header names that suggest them. The mapping UI lists these; the suggester
 * matches headers against `synonyms`; the row mapper parses each cell by `type`.
 */
import { z } from "zod";

export const IMPORT_KINDS = ["leads", "accounts", "reps"] as const;
export const ImportKind = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKind>;

/**
 * How a target reads its cell:
 * - text/id: trimmed text; email/url/phone/country: text normalised later by lib/lead (never an error on its own);
 * - datetime: a date or date-time (format + time zone, see dates.ts); number/integer/money/boolean: parsed, errors
 *   when unparseable; employees: a head count or a range ("51-200");
 * - enum: one of `values` (after the field's value map); list: split on `;`, `|` or `,`;
 * - rep: a rep's email or name (resolved against the workspace); team: a team name or key; route: a route path key.
 */
export const TARGET_TYPES = [
  "id", "text", "email", "url", "phone", "country", "datetime", "number", "integer", "employees", "money", "boolean",
  "enum", "list", "rep", "team", "route",
] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export interface TargetField {
  key: string;
  label: string;
  type: TargetType;
  /** Required in insert mode (see `requiredIn`). */
  required?: boolean;
  /** For enum targets: the allowed values (after the value map). */
  values?: readonly string[];
  /** Accepted spellings of the enum values (lowercase) → value, applied after the field's own value map. */
  aliases?: Readonly<Record<string, string>>;
  /** Header names (already normalised: lowercase words) that suggest this target. */
  synonyms: readonly string[];
  description: string;
  group: "identity" | "contact" | "company" | "routing" | "outcome" | "profile";
}

export const DECISIONS = ["accepted", "rejected"] as const;
export const CLOSED_OUTCOMES = ["won", "lost"] as const;
export const CUSTOMER_STATUSES = ["prospect", "customer", "former_customer", "partner"] as const;
export const REP_ROLES = ["ae", "sdr", "am", "csm", "partner_manager", "support"] as const;
export const RepRole = z.enum(REP_ROLES);
export type RepRole = z.infer<typeof RepRole>;

const DECISION_ALIASES: Record<string, string> = {
  accept: "accepted", accepted: "accepted", yes: "accepted", true: "accepted", "1": "accepted", qualified: "accepted",
  reject: "rejected", rejected: "rejected", no: "rejected", false: "rejected", "0": "rejected", disqualified: "rejected",
};
const OUTCOME_ALIASES: Record<string, string> = {
  won: "won", win: "won", "closed won": "won", "closed-won": "won", closed_won: "won", yes: "won", true: "won", "1": "won", converted: "won",
  lost: "lost", loss: "lost", "closed lost": "lost", "closed-lost": "lost", closed_lost: "lost", no: "lost", false: "lost", "0": "lost",
};
const CUSTOMER_ALIASES: Record<string, string> = {
  prospect: "prospect", lead: "prospect", customer: "customer", client: "customer", active: "customer", "active customer": "customer",
  "former customer": "former_customer", former: "former_customer", churned: "former_customer", partner: "partner",
};
const ROLE_ALIASES: Record<string, string> = {
  ae: "ae", "account executive": "ae", "sales rep": "ae", "sales agent": "ae", seller: "ae", closer: "ae", sr: "ae",
  sdr: "sdr", bdr: "sdr", "sales development rep": "sdr", "sales development representative": "sdr", "business development rep": "sdr",
  am: "am", "account manager": "am", csm: "csm", "customer success manager": "csm", "customer success": "csm",
  partner_manager: "partner_manager", "partner manager": "partner_manager", partnerships: "partner_manager",
  support: "support", "support agent": "support",
};

export const LEAD_TARGETS: readonly TargetField[] = [
  { key: "external_id", label: "External ID", type: "id", group: "identity", synonyms: ["id", "lead id", "external id", "record id", "prospect id", "contact id", "mql id", "opportunity id", "deal id", "uuid", "lead number"], description: "The lead's id in the source system. Re-importing or resuming never duplicates a lead with the same id; the outcomes update finds leads by it." },
  { key: "received_at", label: "Received at", type: "datetime", required: true, group: "identity", synonyms: ["received at", "created at", "created", "created date", "create date", "date created", "creation date", "submitted at", "submission date", "timestamp", "first contact date", "inquiry date", "lead date", "signup date", "date", "engage date"], description: "When the lead arrived. Required, unless received times are synthesized (files without timestamps)." },
  { key: "email", label: "Email", type: "email", group: "contact", synonyms: ["email", "email address", "e mail", "mail", "work email", "contact email"], description: "Contact email (validated and normalised; an invalid address is kept as given)." },
  { key: "first_name", label: "First name", type: "text", group: "contact", synonyms: ["first name", "firstname", "given name", "forename"], description: "" },
  { key: "last_name", label: "Last name", type: "text", group: "contact", synonyms: ["last name", "lastname", "surname", "family name"], description: "" },
  { key: "full_name", label: "Full name", type: "text", group: "contact", synonyms: ["name", "full name", "contact name", "contact", "lead name"], description: "Split into first and last name when those are not mapped." },
  { key: "phone", label: "Phone", type: "phone", group: "contact", synonyms: ["phone", "phone number", "telephone", "mobile", "tel"], description: "Normalised to E.164 when the country is known." },
  { key: "title", label: "Job title", type: "text", group: "contact", synonyms: ["title", "job title", "position", "role"], description: "Seniority is derived from it." },
  { key: "company", label: "Company", type: "text", group: "company", synonyms: ["company", "company name", "organization", "organisation", "account", "account name", "business name"], description: "Matched to an account by domain, then by normalised name." },
  { key: "website", label: "Website", type: "url", group: "company", synonyms: ["website", "web site", "url", "domain", "company website", "company domain"], description: "The company domain is taken from the email first, then from the website." },
  { key: "country", label: "Country", type: "country", group: "routing", synonyms: ["country", "country code", "nation", "office location", "location"], description: "Any spelling or code; stored as ISO alpha-2 with its routing region." },
  { key: "region", label: "Region / state", type: "text", group: "routing", synonyms: ["region", "state", "province", "territory", "sales region"], description: "A sales region (NA, EMEA, APAC, LATAM) routes when the country is unknown." },
  { key: "channel", label: "Channel (lead source)", type: "text", group: "routing", synonyms: ["channel", "source", "lead source", "origin", "utm source", "acquisition channel", "medium"], description: "Stored as the lead's channel and the lead_source fact (lowercase, spaces → underscores)." },
  { key: "product_interest", label: "Product interest", type: "text", group: "routing", synonyms: ["product", "product interest", "interest", "interested in", "specialization", "course", "plan"], description: "" },
  { key: "message", label: "Message", type: "text", group: "routing", synonyms: ["message", "comments", "comment", "description", "notes", "inquiry", "question", "details", "body"], description: "Free text; classified offline into an intent category when no category is mapped." },
  { key: "category", label: "Category / label", type: "text", group: "routing", synonyms: ["category", "label", "intent", "type", "lead type", "inquiry type"], description: "The intent category the decision table reads (an explicit answer: no classifier)." },
  { key: "employees", label: "Employees", type: "employees", group: "company", synonyms: ["employees", "employee count", "company size", "headcount", "number of employees", "size"], description: "A head count or a range such as 51-200." },
  { key: "industry", label: "Industry", type: "text", group: "company", synonyms: ["industry", "sector", "vertical", "business segment", "segment"], description: "" },
  { key: "existing_customer", label: "Existing customer", type: "boolean", group: "company", synonyms: ["existing customer", "is customer", "customer"], description: "Overrides the account match when given." },
  { key: "route_path", label: "Route path", type: "route", group: "routing", synonyms: ["route", "route path", "routing", "queue"], description: "A route path key. When not mapped, the workspace's published decision table decides it from the lead's facts." },
  { key: "first_owner", label: "First owner (rep)", type: "rep", group: "outcome", synonyms: ["first owner", "original owner", "sdr", "sdr id", "bdr", "qualified by", "sdr email"], description: "The rep the lead was first assigned to, when it was later handed to the owner (an SDR → AE handoff)." },
  { key: "owner", label: "Owner (rep)", type: "rep", group: "outcome", synonyms: ["owner", "lead owner", "owner email", "assigned to", "rep", "sales rep", "sales agent", "agent", "account executive", "ae", "sr id", "salesperson", "owner name"], description: "A rep's email or name." },
  { key: "assigned_at", label: "Assigned at", type: "datetime", group: "outcome", synonyms: ["assigned at", "assigned date", "assignment date", "routed at"], description: "Defaults to the received time when an owner is mapped." },
  { key: "first_touch_at", label: "First touch at", type: "datetime", group: "outcome", synonyms: ["first touch", "first touch at", "first contacted", "first response", "first activity", "contacted at", "first call"], description: "The rep's first contact (speed to lead)." },
  { key: "decision", label: "Accepted / rejected", type: "enum", values: DECISIONS, aliases: DECISION_ALIASES, group: "outcome", synonyms: ["accepted", "decision", "acceptance", "qualification", "disposition"], description: "The rep's decision on the lead." },
  { key: "decision_at", label: "Decision at", type: "datetime", group: "outcome", synonyms: ["accepted at", "decision date", "qualified at", "rejected at"], description: "" },
  { key: "reject_reason", label: "Reject reason", type: "text", group: "outcome", synonyms: ["reject reason", "rejection reason", "disqualification reason", "reason"], description: "A reason code such as wrong_territory or not_a_fit (wrong-owner reasons count toward wrong assignment)." },
  { key: "meeting_booked_at", label: "Meeting booked at", type: "datetime", group: "outcome", synonyms: ["meeting booked", "meeting date", "meeting booked at", "demo date", "meeting"], description: "" },
  { key: "opportunity_amount", label: "Opportunity amount", type: "money", group: "outcome", synonyms: ["amount", "opportunity amount", "deal value", "deal amount", "close value", "value", "revenue", "pipeline"], description: "In the workspace currency. An amount above 0 creates an opportunity." },
  { key: "opportunity_at", label: "Opportunity created at", type: "datetime", group: "outcome", synonyms: ["opportunity created", "opportunity date", "deal created", "opportunity created at"], description: "" },
  { key: "closed_outcome", label: "Closed won / lost", type: "enum", values: CLOSED_OUTCOMES, aliases: OUTCOME_ALIASES, group: "outcome", synonyms: ["won", "outcome", "deal stage", "stage", "status", "converted", "closed", "result", "is won"], description: "won or lost; anything mapped to empty leaves the lead open." },
  { key: "closed_at", label: "Closed at", type: "datetime", group: "outcome", synonyms: ["closed at", "close date", "won date", "closed date", "lost date"], description: "" },
];

export const ACCOUNT_TARGETS: readonly TargetField[] = [
  { key: "external_id", label: "External ID", type: "id", group: "identity", synonyms: ["id", "account id", "external id", "crm id", "record id"], description: "Upsert key (with the domain)." },
  { key: "name", label: "Name", type: "text", required: true, group: "identity", synonyms: ["name", "account", "account name", "company", "company name", "organization"], description: "" },
  { key: "domain", label: "Domain", type: "url", group: "identity", synonyms: ["domain", "company domain", "email domain"], description: "Upsert key; stored as the registrable domain." },
  { key: "website", label: "Website", type: "url", group: "identity", synonyms: ["website", "web site", "url", "homepage"], description: "Used for the domain when no domain column is mapped." },
  { key: "owner", label: "Owner (rep)", type: "rep", group: "outcome", synonyms: ["owner", "account owner", "owner email", "rep", "account executive"], description: "" },
  { key: "customer_status", label: "Customer status", type: "enum", values: CUSTOMER_STATUSES, aliases: CUSTOMER_ALIASES, group: "profile", synonyms: ["customer status", "status", "type", "account type", "lifecycle stage"], description: "prospect, customer, former_customer or partner." },
  { key: "employees", label: "Employees", type: "employees", group: "profile", synonyms: ["employees", "employee count", "headcount", "company size", "size"], description: "" },
  { key: "industry", label: "Industry", type: "text", group: "profile", synonyms: ["industry", "sector", "vertical"], description: "" },
  { key: "country", label: "Country", type: "country", group: "profile", synonyms: ["country", "office location", "headquarters", "hq country", "location"], description: "" },
  { key: "region", label: "Region", type: "text", group: "profile", synonyms: ["region", "sales region", "territory"], description: "Derived from the country when not mapped." },
  { key: "annual_revenue", label: "Annual revenue", type: "money", group: "profile", synonyms: ["revenue", "annual revenue", "arr", "turnover"], description: "Use `multiply` for files in thousands or millions." },
];

export const REP_TARGETS: readonly TargetField[] = [
  { key: "email", label: "Email", type: "email", required: true, group: "identity", synonyms: ["email", "email address", "rep email", "work email"], description: "Upsert key. `emailDomain` builds first.last@domain from a name column for files without emails." },
  { key: "name", label: "Name", type: "text", required: true, group: "identity", synonyms: ["name", "full name", "rep", "rep name", "sales agent", "agent", "sales rep"], description: "" },
  { key: "team", label: "Team", type: "team", group: "profile", synonyms: ["team", "team name", "regional office", "office", "group", "department"], description: "Created when missing (workspace time zone, Mon–Fri 09:00–17:00)." },
  { key: "role", label: "Role", type: "enum", values: REP_ROLES, aliases: ROLE_ALIASES, group: "profile", synonyms: ["role", "rep role", "position type"], description: "ae, sdr, am, csm, partner_manager or support (default ae)." },
  { key: "title", label: "Title", type: "text", group: "profile", synonyms: ["title", "job title"], description: "" },
  { key: "territories", label: "Territories", type: "list", group: "profile", synonyms: ["territories", "territory", "countries", "regions"], description: "Country codes or regions, separated by ; | or ,." },
  { key: "products", label: "Products", type: "list", group: "profile", synonyms: ["products", "product lines", "product"], description: "" },
  { key: "segments", label: "Segments", type: "list", group: "profile", synonyms: ["segments", "segment"], description: "" },
  { key: "weight", label: "Weight", type: "number", group: "profile", synonyms: ["weight", "round robin weight", "share"], description: "Round-robin weight (default 1)." },
  { key: "max_open_leads", label: "Max open leads", type: "integer", group: "profile", synonyms: ["max open leads", "capacity", "open lead capacity"], description: "" },
  { key: "max_leads_per_day", label: "Max leads per day", type: "integer", group: "profile", synonyms: ["max leads per day", "daily capacity", "daily cap"], description: "" },
  { key: "active", label: "Active", type: "boolean", group: "profile", synonyms: ["active", "enabled", "is active"], description: "" },
];

/** The target fields of an import kind. */
export function targetsFor(kind: ImportKind): readonly TargetField[] {
  return kind === "leads" ? LEAD_TARGETS : kind === "accounts" ? ACCOUNT_TARGETS : REP_TARGETS;
}

/** One target field of a kind, or undefined. */
export function targetField(kind: ImportKind, key: string): TargetField | undefined {
  return targetsFor(kind).find((t) => t.key === key);
}
