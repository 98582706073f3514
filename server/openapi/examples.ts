/**
 * Realistic, fixed examples for the OpenAPI document and the API reference page. Fixed ids and times keep the
 * document byte-for-byte deterministic; tests/integration/openapi.test.ts parses every one of them with the zod
 * schema it illustrates, so an example can never drift from the contract.
 */
import "server-only";
import type { SourceMapping } from "@/lib/ingest/mapping";

/** The origin the examples pretend to be served from. */
export const EXAMPLE_ORIGIN = "https://switchyard.example.com";

const LEAD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const OTHER_LEAD_ID = "0b6f3a52-9d1e-4c8a-8f0e-2a4d6c7b1e93";
const MAYA = { id: "3f2a8b1e-5c4d-4e6f-9a7b-1c2d3e4f5a6b", name: "Maya Chen", email: "maya.chen@northwind-analytics.example" };
const LUKAS_ID = "9d4c2e7a-1b3f-4a5d-8e6c-7f0a1b2c3d4e";

// ------------------------------------------------------------------------------------------------ requests

/** A complete lead as a website backend would post it. */
export const leadExample = {
  eventId: "form-2025-06-11-0042",
  submittedAt: "2025-06-11T14:02:37Z",
  source: "web",
  contact: { email: "dana.kim@brightwave-logistics.com", firstName: "Dana", lastName: "Kim", title: "VP Operations" },
  company: { name: "Brightwave Logistics", website: "https://brightwave-logistics.com", employees: "1,000-5,000", industry: "Logistics" },
  country: "United States",
  region: "CA",
  productInterest: "analytics",
  message: "We are evaluating an enterprise rollout for 300 analysts and need SSO and a security review. Can we talk to an account executive?",
  utm: { source: "google", medium: "cpc", campaign: "enterprise-analytics-q2" },
  consent: { marketing: true, processing: true },
  answers: { team_size: "201-500", timeline: "this quarter" },
};

/** The lead the "Send your first lead" guide posts. */
export const firstLeadExample = {
  contact: { email: "dana.kim@brightwave-logistics.com", firstName: "Dana", lastName: "Kim" },
  company: { name: "Brightwave Logistics", employees: 2500 },
  country: "US",
  message: "We need SSO and a security review for 300 analysts. Can we talk to an account executive?",
};

/** The lead the guide sends through a Standard Webhooks source (another person, so it is not a duplicate). */
export const firstWebhookLeadExample = {
  contact: { email: "sam.ortiz@polar-energy.com", firstName: "Sam", lastName: "Ortiz", title: "Director of Analytics" },
  company: { name: "Polar Energy", employees: 1800 },
  country: "US",
  message: "Looking for an enterprise quote with SSO for our analytics team of 120.",
};

/** The least the API accepts: an email (or a phone). */
export const minimalLeadExample = {
  contact: { email: "li.na@kestrel-health.com" },
  message: "Our dashboards stopped refreshing, error 500 since yesterday.",
};

/** A lead whose sender already knows the answer and the owner. */
export const hintedLeadExample = {
  eventId: "crm-0061X00000Qh7PZ",
  source: "partner",
  contact: { email: "j.okafor@meridian-media.de", name: "Jonas Okafor", phone: "+49 30 901820" },
  company: { name: "Meridian Media", employees: 240 },
  country: "DE",
  message: "Referred by our reseller; we want pricing for 40 seats.",
  answers: { category: "pricing_demo" },
  hints: { ownerEmail: "lukas.weber@northwind-analytics.example", accountDomain: "meridian-media.de" },
};

export const outcomeExamples = {
  firstTouch: {
    summary: "The rep called the lead",
    value: { type: "first_touch", eventId: "crm-task-88121", occurredAt: "2025-06-11T14:09:12Z", repEmail: MAYA.email },
  },
  accepted: { summary: "The owner accepted the lead", value: { type: "accepted", eventId: "crm-acc-5520", occurredAt: "2025-06-11T14:10:03Z" } },
  rejectedWrongTerritory: {
    summary: "Rejected as wrong territory (re-routed, counts as wrong assignment)",
    value: { type: "rejected", eventId: "crm-rej-5521", reasonCode: "wrong_territory", comment: "I cover North America; this is a DACH account." },
  },
  reassigned: {
    summary: "Reassigned by hand to another rep",
    value: { type: "reassigned", eventId: "crm-own-7730", repEmail: "lukas.weber@northwind-analytics.example", reasonCode: "out_of_office" },
  },
  meetingBooked: { summary: "A meeting was booked", value: { type: "meeting_booked", eventId: "cal-3fa91c", occurredAt: "2025-06-12T09:30:00+02:00" } },
  opportunityCreated: {
    summary: "An opportunity was created",
    value: { type: "opportunity_created", eventId: "opp-0061X00000Qh7PZ", amount: 42000, currency: "USD", occurredAt: "2025-06-18T16:00:00Z" },
  },
  closedWon: { summary: "The deal closed", value: { type: "closed_won", eventId: "opp-0061X00000Qh7PZ-won", amount: 45500, currency: "USD" } },
} as const;

/** Webhook bodies by source kind; each maps to a valid lead with that kind's default mapping. */
export const webhookJsonExamples = {
  standardWebhooks: {
    summary: "standard_webhooks: a lead in a { type, data } envelope",
    "x-source-kind": "standard_webhooks",
    value: { type: "lead.created", data: leadExample },
  },
  json: {
    summary: "json: the documented lead, signed with Switchyard-Signature (or sent with an API key)",
    "x-source-kind": "json",
    value: minimalLeadExample,
  },
  hubspot: {
    summary: "hubspot: a workflow webhook's contact properties",
    "x-source-kind": "hubspot",
    value: {
      eventId: 99001,
      properties: {
        email: { value: "ops.lead@meridian-media.de" },
        firstname: { value: "Jonas" },
        lastname: { value: "Okafor" },
        jobtitle: { value: "Head of Operations" },
        company: { value: "Meridian Media" },
        country: { value: "Germany" },
        message: { value: "Could you send pricing and book a demo for 40 people?" },
      },
    },
  },
  typeform: {
    summary: "typeform: a form_response event",
    "x-source-kind": "typeform",
    value: {
      event_id: "01J0TF7Q2K9V3X8R6M4N5P1A2B",
      event_type: "form_response",
      form_response: {
        form_id: "lT4Z3j",
        submitted_at: "2025-06-11T14:02:37Z",
        answers: [
          { field: { ref: "email" }, type: "email", email: "li.na@kestrel-health.com" },
          { field: { ref: "first_name" }, type: "text", text: "Li" },
          { field: { ref: "last_name" }, type: "text", text: "Na" },
          { field: { ref: "company" }, type: "text", text: "Kestrel Health" },
          { field: { ref: "message" }, type: "text", text: "Our dashboards stopped refreshing, error 500 since yesterday." },
        ],
      },
    },
  },
} as const;

export const formExample = {
  summary: "form: an HTML contact form's fields",
  "x-source-kind": "form",
  value: {
    email: "ana@cedar-labs.es",
    first_name: "Ana",
    last_name: "García",
    company: "Cedar Labs",
    country: "España",
    message: "We want a demo and pricing for our 80-person team.",
    utm_source: "linkedin",
  },
} as const;

/** Mappings as a source would be configured in Settings → Inbound. */
export const mappingExamples: SourceMapping[] = [
  {
    eventId: "id",
    "contact.email": "attendee.email",
    "contact.name": ["attendee.first", "' '", "attendee.last"],
    "company.name": "attendee.org",
    message: "question",
    source: "'event'",
  },
  {
    eventId: "$header.x-request-id",
    "contact.email": "form_response.answers[field.ref=email].email",
    "company.name": "form_response.answers[field.ref=company].text",
    message: "form_response.answers[2].text",
  },
];

// ------------------------------------------------------------------------------------------------ responses

const ingestAssigned = {
  leadId: LEAD_ID,
  status: "assigned",
  routePath: "ae-direct",
  owner: MAYA,
  queue: null,
  slaDueAt: "2025-06-11T14:32:37.000Z",
  duplicateOf: null,
  reviewReason: null,
  traceUrl: `${EXAMPLE_ORIGIN}/leads/${LEAD_ID}`,
};

export const ingestExamples = {
  assigned: { summary: "Routed to an account executive with a 30-minute SLA", value: ingestAssigned },
  inReview: {
    summary: "No eligible owner: waits in the review queue",
    value: {
      ...ingestAssigned,
      leadId: OTHER_LEAD_ID,
      status: "in_review",
      owner: null,
      queue: "review",
      slaDueAt: null,
      reviewReason: "No eligible rep for AE direct: the UK&I account executive is out of office",
      traceUrl: `${EXAMPLE_ORIGIN}/leads/${OTHER_LEAD_ID}`,
    },
  },
  duplicate: {
    summary: "The same person within the window: merged into the open lead, not routed again",
    value: {
      ...ingestAssigned,
      leadId: OTHER_LEAD_ID,
      status: "duplicate",
      routePath: null,
      owner: null,
      slaDueAt: null,
      duplicateOf: LEAD_ID,
      traceUrl: `${EXAMPLE_ORIGIN}/leads/${OTHER_LEAD_ID}`,
    },
  },
  junk: {
    summary: "Junk (disposable domain, keyboard mash): kept out of the sales queue",
    value: { ...ingestAssigned, leadId: OTHER_LEAD_ID, status: "junk", routePath: "junk", owner: null, queue: "junk", slaDueAt: null, traceUrl: `${EXAMPLE_ORIGIN}/leads/${OTHER_LEAD_ID}` },
  },
} as const;

export const ingestReplayExample = { summary: "A retry of an earlier request: the original result", value: ingestAssigned };

export const outcomeResultExamples = {
  recorded: {
    summary: "Recorded",
    value: { leadId: LEAD_ID, eventId: 184467, replayed: false, status: "working", ownerRepId: MAYA.id, reroutedTo: null },
  },
  rerouted: {
    summary: "A wrong-territory rejection re-routed the lead",
    value: { leadId: LEAD_ID, eventId: 184470, replayed: false, status: "assigned", ownerRepId: LUKAS_ID, reroutedTo: { repId: LUKAS_ID, name: "Lukas Weber" } },
  },
  toReview: {
    summary: "Rejected and nobody else is eligible: the review queue",
    value: { leadId: LEAD_ID, eventId: 184471, replayed: false, status: "in_review", ownerRepId: null, reroutedTo: { queue: "review" } },
  },
} as const;

export const outcomeReplayExample = {
  summary: "The same eventId again: nothing new is written",
  value: { ...outcomeResultExamples.recorded.value, replayed: true },
};

export const healthExamples = {
  ok: { summary: "Healthy", value: { ok: true, database: { ok: true, kind: "postgres", latencyMs: 1.8 }, version: "0.1.0", time: "2025-06-11T14:02:38.112Z" } },
  down: {
    summary: "The database does not answer",
    value: { ok: false, database: { ok: false, kind: "postgres", error: "no answer within 5000 ms" }, version: "0.1.0", time: "2025-06-11T14:02:43.120Z" },
  },
} as const;

// ------------------------------------------------------------------------------------------------ problems

const p = (status: number, title: string, detail: string, errors?: Record<string, string[]>) => ({
  type: "about:blank",
  title,
  status,
  detail,
  ...(errors ? { errors } : {}),
});

export const problemExamples = {
  invalidLead: {
    summary: "The body does not match LeadInput",
    value: p(400, "Bad request", "The request body is not valid.", {
      "contact.email": ["either contact.email or contact.phone is required"],
      submittedAt: ["must be an ISO 8601 date-time with a time zone"],
    }),
  },
  malformedJson: {
    summary: "Not JSON",
    value: p(400, "Malformed JSON", "The body is not valid JSON: Expected ',' or '}' after property value in JSON at position 31.", { "": ["malformed JSON"] }),
  },
  forbiddenKey: {
    summary: "A prototype-pollution key (__proto__, constructor, prototype)",
    value: p(400, "Forbidden key", 'The key "constructor" is not allowed.', { "contact.constructor": ["key not allowed"] }),
  },
  tooDeep: { summary: "Nested deeper than 20 levels", value: p(400, "Too deeply nested", "JSON nested deeper than 20 levels is refused.", { "answers.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a": ["nested deeper than 20 levels"] }) },
  idempotencyKey: { summary: "Idempotency-Key too long", value: p(400, "Bad request", "The idempotency key must be 1–200 characters.", { "idempotency-key": ["must be 1–200 characters"] }) },
  unmappable: {
    summary: "The payload does not map to a valid lead",
    value: p(400, "Bad request", "The payload does not map to a valid lead with this source's field mapping.", { "contact.email": ["is not a valid email address"] }),
  },
  invalidOutcome: {
    summary: "A rejection without a reason",
    value: p(400, "Bad request", "The request body is not valid.", { reasonCode: ["a reject reason is required"] }),
  },
  outcomeState: {
    summary: "Valid JSON, but not for this lead",
    value: p(400, "Bad request", "The event is before the lead was received.", { occurredAt: ["is before the lead was received (2025-06-11T14:02:37.000Z)"] }),
  },
  missingKey: {
    summary: "No API key",
    value: p(401, "Unauthorized", "Send an API key as `Authorization: Bearer <key>`.", { authorization: ["missing or not a Bearer token"] }),
  },
  invalidKey: { summary: "Unknown or revoked API key", value: p(401, "Unauthorized", "The API key is not valid.", { authorization: ["unknown or revoked API key"] }) },
  badSignature: {
    summary: "Signature outside the ±5-minute window",
    value: p(401, "Unauthorized", "Signature verification failed: webhook-timestamp is outside the ±5 minute window.", { signature: ["webhook-timestamp is outside the ±5 minute window"] }),
  },
  foreignKey: {
    summary: "An API key of another workspace (json and form sources)",
    value: p(401, "Unauthorized", "Signature verification failed: the API key belongs to another workspace.", { authorization: ["the API key belongs to another workspace"] }),
  },
  sourceDisabled: { summary: "The source is disabled", value: p(403, "Forbidden", "This source is disabled.") },
  noSource: { summary: "Unknown source id", value: p(404, "Not found", "No such source.") },
  noLead: { summary: "Unknown lead (or one of another workspace)", value: p(404, "Not found", "Lead not found.") },
  eventIdReused: {
    summary: "An eventId reused for another type",
    value: p(409, "Conflict", "Event id crm-touch-7 was already used for a first_touch event on this lead."),
  },
  notOwner: { summary: "Only the owner accepts or rejects", value: p(409, "Conflict", "Only the lead's current owner can accept or reject it.") },
  stillRouting: { summary: "The lead is still being routed", value: p(409, "Conflict", "The lead is still being routed; retry in a moment.") },
  tooLarge: { summary: "More than 1 MiB", value: p(413, "Payload too large", "The body is 2097152 bytes; the limit is 1048576.") },
  notJson: {
    summary: "Wrong Content-Type",
    value: p(415, "Unsupported media type", "Send application/json; got application/x-www-form-urlencoded.", { "content-type": ["must be application/json"] }),
  },
  notForm: {
    summary: "JSON sent to a form source",
    value: p(415, "Unsupported media type", "Send application/x-www-form-urlencoded; got application/json.", { "content-type": ["must be application/x-www-form-urlencoded"] }),
  },
  rateLimited: { summary: "The key's budget is spent", value: p(429, "Too many requests", "Rate limit of 1200 requests per minute reached; retry in 12 s.") },
  sourceRateLimited: { summary: "The source's budget is spent", value: p(429, "Too many requests", "Rate limit of 600 requests per minute reached; retry in 4 s.") },
  internal: { summary: "Unexpected failure", value: p(500, "Internal server error", "Something went wrong on our side; it has been logged. Retry with the same event id.") },
  misconfigured: { summary: "The source's mapping is invalid", value: p(500, "Source misconfigured", "This source's field mapping is invalid; fix it in Settings.") },
} as const;
