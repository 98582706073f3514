/**
 * The OpenAPI 3.1 document of the inbound API (/api/v1/openapi.json, rendered at /api-docs), built from the same zod
 * schemas the route handlers parse with: component schemas come from zod 4's `z.toJSONSchema` (JSON Schema 2020-12,
 * the dialect OpenAPI 3.1 uses), limits and defaults from the constants the handlers enforce. No clock, no
 * randomness, fixed key order: the document is byte-for-byte the same on every build and every instance.
 */
import "server-only";
import { z } from "zod";
import {
  DEFAULT_CATEGORIES, LeadInput, OUTCOME_TYPES, OutcomeEventInput, REASSIGN_REASON_CODES, REJECT_REASON_CODES,
} from "@/lib/ingest/lead-input";
import { SourceMapping } from "@/lib/ingest/mapping";
import { OUTBOUND_EVENTS, OutboundWebhookMessage, type OutboundEvent } from "@/lib/sla/outbound";
import { WRONG_OWNER_REASONS } from "@/lib/metrics/definitions";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../http/body";
import { SourceSettings } from "../services/ingest/inbound";
import { IngestResponse, OutcomeResult } from "../services/ingest/responses";
import { TOLERANCE_SECONDS } from "../services/ingest/signatures";
import { ApiKeyInput, SOURCE_KINDS } from "../services/sources.service";
import {
  formExample, healthExamples, hintedLeadExample, ingestExamples, ingestReplayExample, leadExample, mappingExamples,
  minimalLeadExample, outcomeExamples, outcomeReplayExample, outcomeResultExamples, problemExamples, webhookJsonExamples,
} from "./examples";
import {
  FormLeadFields, HealthResponse, IdempotencyKeyHeader, Problem, SourcePayload, StandardWebhookEnvelope, WebhookJsonBody,
} from "./schemas";

// ------------------------------------------------------------------------------------------------ types

/** A JSON Schema (2020-12) object as zod emits it. */
export type JsonSchema = { [keyword: string]: unknown };
export type Reference = { $ref: string };
export interface ExampleObject {
  summary?: string;
  description?: string;
  value: unknown;
  /** For webhook bodies: the source kind whose default mapping reads this example. */
  "x-source-kind"?: string;
}
export interface MediaTypeObject {
  schema: JsonSchema;
  examples?: Record<string, ExampleObject>;
}
export interface HeaderObject {
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}
export interface ParameterObject extends HeaderObject {
  name: string;
  in: "path" | "header" | "query";
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, Reference | HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}
export interface RequestBodyObject {
  description?: string;
  required: boolean;
  content: Record<string, MediaTypeObject>;
}
/** How one kind of webhook source calls (the `x-source-kinds` extension of the webhook operation). */
export interface SourceKindDoc {
  kind: (typeof SOURCE_KINDS)[number];
  contentType: string;
  security: string[];
  headers: string[];
  idempotency: string;
  body: string;
}
export interface OperationObject {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<Reference | ParameterObject>;
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  "x-source-kinds"?: SourceKindDoc[];
}
export type HttpMethod = "get" | "post";
export interface SecuritySchemeObject {
  type: "http" | "apiKey";
  description: string;
  scheme?: string;
  bearerFormat?: string;
  in?: "header";
  name?: string;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary: string; description: string };
  servers: Array<{ url: string; description: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
  /** What Switchyard sends: outbound webhooks to CRMs and task tools (OpenAPI 3.1 `webhooks`). */
  webhooks: Record<string, { post: OperationObject }>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecuritySchemeObject>;
    parameters: Record<string, ParameterObject>;
    headers: Record<string, HeaderObject>;
  };
}

// ------------------------------------------------------------------------------------------------ schemas

/**
 * The component schemas, by name, and the zod schema each is generated from. Tests parse the document's examples
 * and real responses with these.
 */
export const COMPONENT_SCHEMAS = {
  LeadInput,
  OutcomeEventInput,
  IngestResponse,
  OutcomeResult,
  Problem,
  SourceMapping,
  WebhookJsonBody,
  StandardWebhookEnvelope,
  SourcePayload,
  FormLeadFields,
  HealthResponse,
  OutboundWebhookMessage,
} as const satisfies Record<string, z.ZodType>;
export type ComponentName = keyof typeof COMPONENT_SCHEMAS;

/** Top-level descriptions for schemas whose zod definition (in lib/) carries none. */
const COMPONENT_DESCRIPTIONS: Partial<Record<ComponentName, string>> = {
  LeadInput:
    "One inbound lead in Switchyard's documented shape. Either contact.email or contact.phone is required; fields not listed here are refused, so a typo never disappears silently. Text is trimmed; an empty string counts as absent.",
  OutcomeEventInput: "One outcome of a routed lead, from the CRM, a sales tool, or the rep's inbox.",
  SourceMapping:
    "How a webhook source's payload becomes a LeadInput: target path in the lead (e.g. contact.email) → source expression. Expressions: a field (email), a nested field (properties.email.value), an array element (answers[0].text), the first element matching a filter (answers[field.ref=email].email), a request header ($header.webhook-id), a constant ('web'), or an array of these joined as text. The result is validated as a LeadInput, so a mapping cannot smuggle in what the API would refuse.",
};

const schemaRef = (name: ComponentName): Reference => ({ $ref: `#/components/schemas/${name}` });

/** Converts the component zod schemas in one pass, so schemas used inside others become `$ref`s. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    // Request bodies are documented as the caller writes them (before trims and transforms); responses have no
    // transforms, and input mode leaves their objects open (clients must ignore fields added later).
    io: "input",
    unrepresentable: "throw",
    uri: (id) => `#/components/schemas/${id}`,
  });
  if ("__shared" in schemas) throw new Error("openapi: a component schema has shared definitions (a cycle); register the shared part as a component");
  const out: Record<string, JsonSchema> = {};
  for (const name of Object.keys(COMPONENT_SCHEMAS) as ComponentName[]) {
    const generated = schemas[name];
    if (!generated) throw new Error(`openapi: zod emitted no schema for ${name}`);
    // `$schema` is implied by OpenAPI 3.1's dialect; a fragment `$id` would re-base the `$ref`s inside.
    const { $schema: _dialect, $id: _id, "~standard": _standard, ...rest } = generated as JsonSchema;
    const description = (rest.description as string | undefined) ?? COMPONENT_DESCRIPTIONS[name];
    out[name] = description ? { ...rest, description } : rest;
  }
  enrich(out);
  return out;
}

/** Adds what the zod schemas validate in code (superRefine) rather than in their shape, and schema examples. */
function enrich(schemas: Record<string, JsonSchema>): void {
  const props = (name: ComponentName) => schemas[name]!.properties as Record<string, JsonSchema>;
  const append = (schema: JsonSchema | undefined, text: string) => {
    if (!schema) throw new Error(`openapi: no property to describe (${text})`);
    schema.description = schema.description ? `${String(schema.description)} ${text}` : text;
  };
  const list = (values: readonly string[]) => values.join(", ");

  append(props("LeadInput").answers, `Categories: the workspace's taxonomy (Settings → Classification); by default ${list(DEFAULT_CATEGORIES)}. A value outside it is ignored and the classifier decides.`);
  // eventId is a pipe (string | integer → trimmed string of 1–200 characters); input mode shows only the pipe's
  // input side, so the length its output check enforces is stated on the string branch.
  const eventIdString = (props("LeadInput").eventId?.anyOf as JsonSchema[] | undefined)?.find((b) => b.type === "string");
  if (!eventIdString) throw new Error("openapi: LeadInput.eventId is no longer string | integer");
  Object.assign(eventIdString, { minLength: 1, maxLength: 200 });
  append(props("LeadInput").contact, "Either email or phone is required.");
  schemas.LeadInput!.examples = [leadExample, minimalLeadExample];

  const outcome = props("OutcomeEventInput");
  append(outcome.type, `One of ${list(OUTCOME_TYPES)}.`);
  append(outcome.reasonCode, `rejected: ${list(REJECT_REASON_CODES)}. reassigned: ${list(REASSIGN_REASON_CODES)}. The wrong-owner reasons (${list(WRONG_OWNER_REASONS)}) re-route the lead and count toward the wrong-assignment rate.`);
  append(outcome.amount, "closed_won may carry the final amount; other types take none.");
  append(outcome.currency, "ISO 4217; must be the workspace's reporting currency (the default when omitted).");
  schemas.OutcomeEventInput!.examples = [outcomeExamples.firstTouch.value, outcomeExamples.rejectedWrongTerritory.value];

  schemas.SourceMapping!.examples = mappingExamples;
  schemas.IngestResponse!.examples = [ingestExamples.assigned.value];
  schemas.OutcomeResult!.examples = [outcomeResultExamples.recorded.value];
  schemas.Problem!.examples = [problemExamples.invalidLead.value];
}

// ------------------------------------------------------------------------------------------------ building blocks

const bytes = (n: number) => `${n.toLocaleString("en-US")} bytes`;
const MIB = MAX_BODY_BYTES / (1024 * 1024);
const WINDOW_MINUTES = TOLERANCE_SECONDS / 60;
const KEY_LIMIT = ApiKeyInput.parse({ name: "default" }).rateLimitPerMinute;
const SOURCE_LIMIT = SourceSettings.parse({}).rateLimitPerMinute;

function toSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as JsonSchema;
  return rest;
}

function pick<T extends Record<string, ExampleObject>, K extends keyof T>(all: T, keys: readonly K[]): Record<string, ExampleObject> {
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Record<string, ExampleObject>;
}

const json = (schema: ComponentName, examples: Record<string, ExampleObject>) => ({
  "application/json": { schema: schemaRef(schema), examples },
});

type ProblemKey = keyof typeof problemExamples;
function problem(description: string, examples: readonly ProblemKey[], headers?: ResponseObject["headers"]): ResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { "application/problem+json": { schema: schemaRef("Problem"), examples: pick(problemExamples, examples) } },
  };
}

const header = (name: string): Reference => ({ $ref: `#/components/headers/${name}` });
const parameter = (name: string): Reference => ({ $ref: `#/components/parameters/${name}` });

const tooLarge = problem(`The body is over ${MIB} MiB (${bytes(MAX_BODY_BYTES)}). Refused before it is read in full; nothing is stored.`, ["tooLarge"]);
const internal = (extra: readonly ProblemKey[] = []) =>
  problem(
    "An unexpected failure, logged on our side. A lead that was captured before it is routed later by the recovery sweep; retry with the same idempotency key to get its result.",
    ["internal", ...extra],
  );

// ------------------------------------------------------------------------------------------------ the document

function describeApi(): string {
  return [
    "Switchyard's inbound API: forms, CRMs and automation tools post leads and their outcomes here. Every lead is stored before anything else can fail, then validated, deduplicated, enriched, classified, scored, decided by the published decision table and assigned — within the request. The answer says where the lead went, to whom, by when, and links to the decision trace that explains why.",
    "### Authentication",
    `- **API key**, for \`POST /api/v1/leads\` and \`POST /api/v1/leads/{id}/events\`: \`Authorization: Bearer sy_…\`. Admins and revenue ops create keys in Settings → Inbound; a key is shown once, stored only as a hash, and belongs to one workspace.`,
    `- **Webhook sources**, for \`POST /api/v1/sources/{sourceId}/webhook\`: each source verifies its sender's signature over the raw body — Standard Webhooks, HubSpot signature v3, Typeform, or Switchyard-Signature. json and form sources accept a workspace API key instead.`,
    "### Idempotency",
    "Give every submission an id: the `Idempotency-Key` header or `eventId` in the body (for Standard Webhooks sources, the `webhook-id` header). A retry with the same key returns the original result — `200` with `Idempotent-Replayed: true` instead of `201` — and never creates a second lead, even when retries race each other. Keys are 1–200 characters, scoped to the workspace's API or to one source. Retry network errors, `429` (after `Retry-After`) and `5xx` with the same key; a `4xx` will fail the same way again.",
    "### Signatures",
    `Timestamped schemes (Standard Webhooks, HubSpot v3, Switchyard-Signature) are accepted within **±${WINDOW_MINUTES} minutes** of the server's clock; older or future deliveries are refused with \`401\`. Signatures are HMAC-SHA256 over the exact bytes sent, compared in constant time: sign the body you send, byte for byte. Typeform signatures carry no timestamp, so no window applies; the payload's \`event_id\` makes a replayed delivery harmless.`,
    "### Rate limits",
    `Each API key has a budget of requests per minute (default ${KEY_LIMIT.toLocaleString("en-US")}, set per key); each webhook source has its own (default ${SOURCE_LIMIT}). Over budget, the answer is \`429\` with \`Retry-After\` in seconds. Budgets are counted by each app instance.`,
    "### Limits",
    `Bodies over **${MIB} MiB** (${bytes(MAX_BODY_BYTES)}) are refused with \`413\`; JSON nested deeper than ${MAX_JSON_DEPTH} levels, or with a key named \`__proto__\`, \`constructor\` or \`prototype\`, with \`400\`; a wrong \`Content-Type\` with \`415\`.`,
    "### Errors",
    "Every error is RFC 9457 problem details (`application/problem+json`, schema `Problem`) with field-level messages under `errors`, keyed by the field's dotted path. A refused request stores nothing.",
    "### Compatibility",
    "Version 1 changes only by adding: optional request fields, response fields, enum values. Ignore response fields you do not know.",
  ].join("\n\n");
}

const SOURCE_KINDS_DOC: SourceKindDoc[] = [
  {
    kind: "standard_webhooks", contentType: "application/json", security: ["standardWebhooks"],
    headers: ["webhook-id", "webhook-timestamp", "webhook-signature"], idempotency: "webhook-id",
    body: "A LeadInput, or a { type, data } envelope around one (StandardWebhookEnvelope).",
  },
  {
    kind: "json", contentType: "application/json", security: ["switchyardSignature", "apiKey"],
    headers: ["Switchyard-Signature", "or Authorization: Bearer"], idempotency: "Idempotency-Key, else the mapped eventId",
    body: "A LeadInput (or envelope); with a configured mapping, the sender's own JSON.",
  },
  {
    kind: "form", contentType: "application/x-www-form-urlencoded", security: ["switchyardSignature", "apiKey"],
    headers: ["Switchyard-Signature", "or Authorization: Bearer"], idempotency: "Idempotency-Key, else the mapped eventId",
    body: "Form fields read by the default form mapping (FormLeadFields) or the source's own.",
  },
  {
    kind: "hubspot", contentType: "application/json", security: ["hubspotSignatureV3"],
    headers: ["X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp"], idempotency: "eventId (default mapping), or Idempotency-Key",
    body: "A HubSpot workflow webhook: properties.<name>.value read by the default HubSpot mapping.",
  },
  {
    kind: "typeform", contentType: "application/json", security: ["typeformSignature"],
    headers: ["Typeform-Signature"], idempotency: "event_id (default mapping), or Idempotency-Key",
    body: "A Typeform form_response; answers read by field ref (email, first_name, last_name, company, message).",
  },
];

/** Every source kind Settings can create is documented (a new kind fails the build of the document, not silently). */
function sourceKindsDoc(): SourceKindDoc[] {
  const missing = SOURCE_KINDS.filter((kind) => !SOURCE_KINDS_DOC.some((d) => d.kind === kind));
  if (missing.length) throw new Error(`openapi: undocumented source kinds: ${missing.join(", ")}`);
  return SOURCE_KINDS_DOC;
}

function createLead(): OperationObject {
  return {
    operationId: "createLead",
    tags: ["Leads"],
    summary: "Send a lead",
    description: [
      "Posts one lead in Switchyard's documented shape (`LeadInput`) and routes it within the request. The answer says where it went (route path, owner or queue), when the first touch is due, and links to the decision trace.",
      "- `201` a new lead; `200` a retry of an earlier one (same `Idempotency-Key` header, else same `eventId`): the original result, whatever the retry's body, with `Idempotent-Replayed: true`.",
      "- Junk and duplicates are answered `201` too: `status` says what happened, and neither reaches a rep's queue.",
      `- \`answers.category\` (a key of the workspace's taxonomy; by default one of ${DEFAULT_CATEGORIES.join(", ")}) is an explicit intent the AI classifier never overrides; \`hints.ownerEmail\` names an owner that wins over routing.`,
      "- Checks run in this order: API key (`401`), rate limit (`429`), `Content-Type` (`415`), size (`413`), JSON and schema (`400`).",
    ].join("\n"),
    security: [{ apiKey: [] }],
    parameters: [parameter("IdempotencyKey")],
    requestBody: {
      required: true,
      description: "A LeadInput as JSON.",
      content: json("LeadInput", {
        full: { summary: "A complete lead from a website backend", value: leadExample },
        minimal: { summary: "The least that is accepted", value: minimalLeadExample },
        hinted: { summary: "With an explicit category and owner", value: hintedLeadExample },
      }),
    },
    responses: {
      "200": { description: "A retry: the original lead's result. Nothing new was created.", headers: { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }, content: json("IngestResponse", { replay: ingestReplayExample }) },
      "201": { description: "The lead was captured and routed.", headers: { Location: header("Location") }, content: json("IngestResponse", pick(ingestExamples, ["assigned", "inReview", "duplicate", "junk"])) },
      "400": problem("Not JSON, not a valid LeadInput, or an Idempotency-Key outside 1–200 characters. Nothing is stored.", ["invalidLead", "malformedJson", "forbiddenKey", "tooDeep", "idempotencyKey"]),
      "401": problem("No API key, or an unknown or revoked one.", ["missingKey", "invalidKey"], { "WWW-Authenticate": header("WWWAuthenticate") }),
      "413": tooLarge,
      "415": problem("The Content-Type is not application/json.", ["notJson"]),
      "429": problem("The API key's budget for this minute is spent.", ["rateLimited"], { "Retry-After": header("RetryAfter") }),
      "500": internal(),
    },
  };
}

function getLead(): OperationObject {
  return {
    operationId: "getLead",
    tags: ["Leads"],
    summary: "Read a lead's routing result",
    description: "The lead's current routing result, in the same shape `POST /api/v1/leads` answers with (its `Location` header points here). Reflects later changes: a re-route after a rejection, an assignment from the review queue.",
    security: [{ apiKey: [] }],
    parameters: [parameter("LeadId")],
    responses: {
      "200": { description: "The lead's current result.", content: json("IngestResponse", { assigned: ingestExamples.assigned }) },
      "401": problem("No API key, or an unknown or revoked one.", ["missingKey", "invalidKey"], { "WWW-Authenticate": header("WWWAuthenticate") }),
      "404": problem("No such lead in the key's workspace.", ["noLead"]),
      "429": problem("The API key's budget for this minute is spent.", ["rateLimited"], { "Retry-After": header("RetryAfter") }),
      "500": internal(),
    },
  };
}

function recordOutcome(): OperationObject {
  return {
    operationId: "recordLeadOutcome",
    tags: ["Outcomes"],
    summary: "Record an outcome event",
    description: [
      "Records what happened to a routed lead — from the CRM, a sales tool or a calendar — so speed to lead, acceptance, wrong assignment, meetings and pipeline are measured. Events are applied in `occurredAt` order, so a late delivery lands where it belongs.",
      `- \`rejected\` needs a \`reasonCode\` (${REJECT_REASON_CODES.join(", ")}). A wrong-owner reason (${WRONG_OWNER_REASONS.join(", ")}) re-routes the lead to the next eligible rep, or the review queue, and counts toward the wrong-assignment rate.`,
      `- \`reassigned\` needs \`repEmail\` (the new owner, an active rep) and a \`reasonCode\` (${REASSIGN_REASON_CODES.join(", ")}).`,
      "- `opportunity_created` needs an `amount` in the workspace's currency; `closed_won` may carry the final one. The reason `other` needs a `comment`.",
      "- `accepted` and `rejected` come from the lead's current owner (`repEmail` defaults to the owner).",
      "- Idempotent by `eventId` (or the `Idempotency-Key` header, used as `eventId` when the body has none): the same id again answers `200` with `replayed: true`; the same id for another type is `409`.",
      "- `occurredAt` may be at most 5 minutes in the future and not before the lead was received (`400`). A lead still being routed, junk, a duplicate, or already closed answers `409`.",
    ].join("\n"),
    security: [{ apiKey: [] }],
    parameters: [parameter("LeadId"), parameter("EventIdempotencyKey")],
    requestBody: {
      required: true,
      description: "An OutcomeEventInput as JSON.",
      content: json("OutcomeEventInput", outcomeExamples),
    },
    responses: {
      "200": { description: "This eventId was recorded before: the earlier result, `replayed: true`. Nothing new is written.", content: json("OutcomeResult", { replay: outcomeReplayExample }) },
      "201": { description: "The event was recorded and the lead's outcome recomputed.", content: json("OutcomeResult", outcomeResultExamples) },
      "400": problem("Not a valid OutcomeEventInput, or not valid for this lead (time before receipt or in the future, unknown rep, another currency). Nothing is stored.", ["invalidOutcome", "outcomeState", "malformedJson"]),
      "401": problem("No API key, or an unknown or revoked one.", ["missingKey", "invalidKey"], { "WWW-Authenticate": header("WWWAuthenticate") }),
      "404": problem("No such lead in the key's workspace.", ["noLead"]),
      "409": problem("The event conflicts with the lead's state or with an earlier event of the same id.", ["eventIdReused", "notOwner", "stillRouting"]),
      "413": tooLarge,
      "415": problem("The Content-Type is not application/json.", ["notJson"]),
      "429": problem("The API key's budget for this minute is spent.", ["rateLimited"], { "Retry-After": header("RetryAfter") }),
      "500": internal(),
    },
  };
}

function receiveWebhook(): OperationObject {
  return {
    operationId: "receiveSourceWebhook",
    tags: ["Webhooks"],
    summary: "Receive a lead from a webhook source",
    description: [
      "Receives a lead from a source configured in Settings → Inbound. The request is verified by the source's scheme over the raw body, mapped to a `LeadInput` by the source's field mapping (or its kind's default mapping), validated, and then ingested exactly like `POST /api/v1/leads`, with the same answers. The table of source kinds below says what each one sends.",
      `- Standard Webhooks: use any Standard Webhooks library with the source's \`whsec_…\` secret; \`webhook-id\` is the idempotency key.`,
      "- The source's channel (if set) becomes the lead's `source` unless the payload names one.",
      "- Checks run in this order: source exists (`404`) and is active (`403`), `Content-Type` (`415`), size (`413`), signature or API key (`401`), rate limit (`429`, counted for verified deliveries only), payload (`400`).",
    ].join("\n"),
    security: [{ standardWebhooks: [] }, { hubspotSignatureV3: [] }, { typeformSignature: [] }, { switchyardSignature: [] }, { apiKey: [] }],
    parameters: [parameter("SourceId"), parameter("WebhookId"), parameter("WebhookTimestamp"), parameter("HubSpotRequestTimestamp"), parameter("IdempotencyKey")],
    requestBody: {
      required: true,
      description: "JSON for standard_webhooks, json, hubspot and typeform sources; form-encoded fields for form sources.",
      content: {
        "application/json": { schema: schemaRef("WebhookJsonBody"), examples: webhookJsonExamples },
        "application/x-www-form-urlencoded": { schema: schemaRef("FormLeadFields"), examples: { form: formExample } },
      },
    },
    responses: {
      "200": { description: "A redelivery (same webhook-id, Idempotency-Key or mapped eventId): the original lead's result.", headers: { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }, content: json("IngestResponse", { replay: ingestReplayExample }) },
      "201": { description: "The lead was captured and routed.", headers: { Location: header("Location") }, content: json("IngestResponse", pick(ingestExamples, ["assigned", "inReview", "duplicate"])) },
      "400": problem("Not JSON, or the payload does not map to a valid lead with this source's mapping. Nothing is stored.", ["unmappable", "malformedJson", "forbiddenKey"]),
      "401": problem(`The signature is missing, does not match the raw body, or is outside the ±${WINDOW_MINUTES}-minute window; or (json and form sources) the API key is invalid or of another workspace.`, ["badSignature", "invalidKey", "foreignKey"]),
      "403": problem("The source is disabled (Settings → Inbound).", ["sourceDisabled"]),
      "404": problem("No source with this id.", ["noSource"]),
      "413": tooLarge,
      "415": problem("The Content-Type is not the source's: application/json, or application/x-www-form-urlencoded for form sources.", ["notJson", "notForm"]),
      "429": problem("The source's budget for this minute is spent.", ["sourceRateLimited"], { "Retry-After": header("RetryAfter") }),
      "500": internal(["misconfigured"]),
    },
    "x-source-kinds": sourceKindsDoc(),
  };
}

function health(): OperationObject {
  return {
    operationId: "getHealth",
    tags: ["Health"],
    summary: "Check health",
    description: "Liveness and database reachability for load balancers and uptime checks. No authentication; reveals no data.",
    security: [],
    responses: {
      "200": { description: "The app and its database answer.", content: json("HealthResponse", { ok: healthExamples.ok }) },
      "503": { description: "The database did not answer within 5 seconds.", content: json("HealthResponse", { down: healthExamples.down }) },
    },
  };
}

const uuidSchema = toSchema(z.uuid());

const OUTBOUND_SUMMARIES: Record<OutboundEvent, string> = {
  "lead.assigned": "A lead got its owner: set the owner, create the first-touch task",
  "lead.reassigned": "A lead moved to another owner (by hand, after a wrong-owner rejection, or after its SLA passed)",
  "sla.reminder": "The owner's SLA is running out (the route path's reminder step)",
  "sla.breached": "The owner's SLA passed without a first touch",
};

/** One outbound webhook: what Switchyard POSTs to the endpoints subscribed to `event` (Settings → Alerts). */
function outbound(event: OutboundEvent): { post: OperationObject } {
  const header = (name: string, description: string): ParameterObject => ({ name, in: "header", required: true, description, schema: { type: "string" } });
  return {
    post: {
      operationId: `outbound_${event.replace(".", "_")}`,
      tags: ["Outbound webhooks"],
      summary: OUTBOUND_SUMMARIES[event],
      description: `Sent to every active endpoint subscribed to ${event} (or to every event), as JSON signed the Standard Webhooks way with the endpoint's secret (shown once when it was added). Verify the signature and the timestamp, then deduplicate on webhook-id: a retry resends the same message with the same id. Any 2xx acknowledges it; anything else, or no answer within 10 s, is retried with exponential backoff and jitter (6 attempts over about 5 minutes), then listed under Settings → Alerts → Failed deliveries with a Retry button. 410 Gone stops the retries at once.`,
      security: [],
      parameters: [
        header("webhook-id", "The message id (msg_…); the same on every retry."),
        header("webhook-timestamp", "Unix seconds when it was sent; reject messages older than a few minutes."),
        header("webhook-signature", "v1,<base64 HMAC-SHA256 over {webhook-id}.{webhook-timestamp}.{body}, keyed with the base64 bytes after whsec_ in the endpoint's secret>."),
      ],
      requestBody: { required: true, content: { "application/json": { schema: schemaRef("OutboundWebhookMessage"), examples: {} } } },
      responses: {
        "200": { description: "Any 2xx: received (Switchyard ignores the body)." },
        "410": { description: "The endpoint is gone: no more retries of this message." },
      },
    },
  };
}

function buildDocument(): OpenApiDocument {
  return {
    openapi: "3.1.1",
    info: {
      title: "Switchyard inbound API",
      version: "1.0.0",
      summary: "Send leads and their outcomes to Switchyard; every lead is routed and explained.",
      description: describeApi(),
    },
    servers: [{ url: "/", description: "This Switchyard instance (paths are absolute)." }],
    tags: [
      { name: "Leads", description: "Leads in Switchyard's documented shape, with a workspace API key." },
      { name: "Outcomes", description: "What happened to a routed lead, from the CRM or a sales tool." },
      { name: "Webhooks", description: "Leads from configured sources, verified by their own signature schemes." },
      { name: "Health", description: "For load balancers and uptime checks." },
      { name: "Outbound webhooks", description: "What Switchyard sends to your CRM or task tool when leads are assigned and SLAs run out." },
    ],
    paths: {
      "/api/v1/leads": { post: createLead() },
      "/api/v1/leads/{id}": { get: getLead() },
      "/api/v1/leads/{id}/events": { post: recordOutcome() },
      "/api/v1/sources/{sourceId}/webhook": { post: receiveWebhook() },
      "/api/health": { get: health() },
    },
    webhooks: Object.fromEntries(OUTBOUND_EVENTS.map((e) => [e, outbound(e)])),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "sy_<8 characters>_<40 characters>",
          description: "A workspace API key: `Authorization: Bearer sy_…`. Created in Settings → Inbound, shown once, stored only as a hash; revoking it there refuses it at once. Missing, unknown or revoked: `401` with `WWW-Authenticate: Bearer`.",
        },
        standardWebhooks: {
          type: "apiKey", in: "header", name: "webhook-signature",
          description: `Standard Webhooks (standardwebhooks.com), for standard_webhooks sources. \`webhook-signature\` holds space-separated \`v1,<base64>\` entries: HMAC-SHA256 over \`{webhook-id}.{webhook-timestamp}.{raw body}\`, keyed with the base64 bytes after \`whsec_\` in the source's secret. \`webhook-timestamp\` (Unix seconds) must be within ±${WINDOW_MINUTES} minutes. The secret is shown once when the source is created or its secret rotated.`,
        },
        hubspotSignatureV3: {
          type: "apiKey", in: "header", name: "X-HubSpot-Signature-v3",
          description: `HubSpot request signature v3, for hubspot sources: base64(HMAC-SHA256(the app's client secret, method + full URL + raw body + X-HubSpot-Request-Timestamp)). The timestamp is in milliseconds and must be within ±${WINDOW_MINUTES} minutes. Behind a proxy the URL is rebuilt from X-Forwarded-Proto/Host (or APP_URL), so give HubSpot the public URL.`,
        },
        typeformSignature: {
          type: "apiKey", in: "header", name: "Typeform-Signature",
          description: "Typeform webhook signature, for typeform sources: `sha256=` + base64(HMAC-SHA256(the secret set in Typeform, raw body)). No timestamp, so no window (Typeform retries for hours); the payload's event_id makes redeliveries idempotent.",
        },
        switchyardSignature: {
          type: "apiKey", in: "header", name: "Switchyard-Signature",
          description: `Switchyard's scheme, for json and form sources: \`Switchyard-Signature: t=<Unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">\`, keyed with the source's \`sysec_…\` secret; \`t\` within ±${WINDOW_MINUTES} minutes. json and form sources accept a workspace API key (\`Authorization: Bearer\`) instead.`,
        },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key", in: "header", required: false, schema: toSchema(IdempotencyKeyHeader), example: "form-2025-06-11-0042",
          description: "Your id for this submission (1–200 characters). A retry with the same key returns the original lead (200) instead of creating another. Wins over the body's eventId.",
        },
        EventIdempotencyKey: {
          name: "Idempotency-Key", in: "header", required: false, schema: toSchema(IdempotencyKeyHeader), example: "crm-task-88121",
          description: "Used as the event's eventId when the body has none.",
        },
        LeadId: { name: "id", in: "path", required: true, schema: uuidSchema, example: ingestExamples.assigned.value.leadId, description: "The leadId Switchyard answered when the lead was sent." },
        SourceId: { name: "sourceId", in: "path", required: true, schema: uuidSchema, example: "5e0b1d2c-0000-4000-8000-000000000de0", description: "The source's id, shown with its webhook URL in Settings → Inbound." },
        WebhookId: {
          name: "webhook-id", in: "header", required: false, schema: toSchema(z.string().min(1).max(200)), example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
          description: "standard_webhooks sources (required there): the message id, signed, and the idempotency key.",
        },
        WebhookTimestamp: {
          name: "webhook-timestamp", in: "header", required: false, schema: toSchema(z.string().regex(/^\d+$/)), example: "1749650557",
          description: `standard_webhooks sources (required there): Unix seconds, within ±${WINDOW_MINUTES} minutes.`,
        },
        HubSpotRequestTimestamp: {
          name: "X-HubSpot-Request-Timestamp", in: "header", required: false, schema: toSchema(z.string().regex(/^\d+$/)), example: "1749650557112",
          description: `hubspot sources (required there): Unix milliseconds, within ±${WINDOW_MINUTES} minutes; part of the signed string.`,
        },
      },
      headers: {
        Location: { description: "The lead's URL in the API: /api/v1/leads/{leadId}.", schema: toSchema(z.url()), example: `https://switchyard.example.com/api/v1/leads/${ingestExamples.assigned.value.leadId}` },
        IdempotentReplayed: { description: '"true" when this answer replays an earlier request with the same idempotency key.', schema: toSchema(z.literal("true")), example: "true" },
        RetryAfter: { description: "Seconds until the budget allows another request.", schema: toSchema(z.number().int().min(1)), example: 12 },
        WWWAuthenticate: { description: 'Bearer realm="switchyard", with error="invalid_token" for an unknown or revoked key.', schema: toSchema(z.string()), example: 'Bearer realm="switchyard", error="invalid_token"' },
      },
    },
  };
}

let cached: { document: OpenApiDocument; json: string } | undefined;

/** The OpenAPI 3.1 document (built once per process; the same value on every call — do not mutate it). */
export function openApiDocument(): OpenApiDocument {
  cached ??= freeze(buildDocument());
  return cached.document;
}

/** The document serialised as JSON (stable bytes, for the route and its ETag). */
export function openApiJson(): string {
  cached ??= freeze(buildDocument());
  return cached.json;
}

function freeze(document: OpenApiDocument): { document: OpenApiDocument; json: string } {
  const text = JSON.stringify(document);
  return { document: JSON.parse(text) as OpenApiDocument, json: text };
}

/** Builds a fresh document (tests use it to check determinism). */
export function buildOpenApiDocument(): OpenApiDocument {
  return buildDocument();
}
