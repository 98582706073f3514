/**
 * The OpenAPI document (/api/v1/openapi.json): structurally valid OpenAPI 3.1, every reference resolvable, every
 * example accepted by the zod schema it illustrates (and the request examples by the real handlers), generated from
 * the zod schemas rather than written beside them, deterministic — and real answers of the route handlers conform to
 * the schemas it documents.
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as getHealth } from "@/app/api/health/route";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import { POST as postEvent } from "@/app/api/v1/leads/[id]/events/route";
import { POST as postLead } from "@/app/api/v1/leads/route";
import { POST as postWebhook } from "@/app/api/v1/sources/[sourceId]/webhook/route";
import { DEMO_SOURCE_ID } from "@/db/seed/demo";
import { DEMO_WEBHOOK_SECRET } from "@/db/seed/demo-users";
import { LeadInput, OUTCOME_TYPES } from "@/lib/ingest/lead-input";
import { applyMapping, DEFAULT_MAPPINGS } from "@/lib/ingest/mapping";
import { MAX_BODY_BYTES } from "@/server/http/body";
import {
  buildOpenApiDocument, COMPONENT_SCHEMAS, openApiDocument, openApiJson, type ComponentName, type ExampleObject, type JsonSchema,
  type OpenApiDocument, type OperationObject, type ParameterObject, type Reference,
} from "@/server/openapi/document";
import { firstLeadExample, firstWebhookLeadExample } from "@/server/openapi/examples";
import { schemaFields } from "@/server/openapi/fields";
import { HealthResponse, Problem } from "@/server/openapi/schemas";
import { IngestResponse, LEAD_STATUSES, OutcomeResult } from "@/server/services/ingest/responses";
import { switchyardSignature } from "@/server/services/ingest/signatures";
import { createSource } from "@/server/services/sources.service";
import { BASE, createApiTestEnv, jsonRequest, leadBody } from "../support/api";

const doc: OpenApiDocument = openApiDocument();
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Every operation in the document with its path and method. */
function operations(): Array<{ path: string; method: string; op: OperationObject }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as OperationObject })),
  );
}

/** An independent JSON-pointer resolver (not the one the page uses), so a bug there cannot hide one here. */
function resolve(ref: string): unknown {
  expect(ref.startsWith("#/"), `${ref} is local`).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => {
      if (node === null || typeof node !== "object" || !(key in node)) throw new Error(`unresolvable $ref ${ref} (at ${key})`);
      return (node as Record<string, unknown>)[key];
    }, doc);
}

function refs(node: unknown, at = "#"): Array<{ ref: string; at: string }> {
  if (Array.isArray(node)) return node.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [{ ref: v, at }] : refs(v, `${at}/${k}`)));
}

function componentOf(schema: JsonSchema): ComponentName {
  expect(typeof schema.$ref, "media types reference a component schema").toBe("string");
  const name = String(schema.$ref).replace("#/components/schemas/", "") as ComponentName;
  expect(COMPONENT_SCHEMAS).toHaveProperty(name);
  return name;
}

function unwrap(payload: unknown): unknown {
  if (payload && typeof payload === "object" && "data" in payload && "type" in payload && typeof (payload as { data: unknown }).data === "object") {
    return (payload as { data: unknown }).data;
  }
  return payload;
}

/** What the webhook handler does with a body of a source kind that has no configured mapping. */
function leadFromWebhook(kind: string, payload: unknown): LeadInput {
  const mapping = DEFAULT_MAPPINGS[kind] ?? {};
  const candidate = Object.keys(mapping).length ? applyMapping(mapping, payload, {}).lead : unwrap(payload);
  return LeadInput.parse(candidate);
}

/** A few JSON Schema keywords, enough for the scalar schemas of parameters and headers. */
function checkScalar(schema: JsonSchema, value: unknown): string[] {
  const problems: string[] = [];
  const type = schema.type as string | undefined;
  if (type === "string" && typeof value !== "string") problems.push("not a string");
  if (type === "integer" && !Number.isInteger(value)) problems.push("not an integer");
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) problems.push("too long");
    if (typeof schema.minLength === "number" && value.length < schema.minLength) problems.push("too short");
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) problems.push(`does not match ${schema.pattern}`);
    if (schema.format === "uuid" && !z.uuid().safeParse(value).success) problems.push("not a uuid");
    if (schema.format === "uri" && !z.url().safeParse(value).success) problems.push("not a URI");
  }
  if (schema.const !== undefined && schema.const !== value) problems.push(`not ${JSON.stringify(schema.const)}`);
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) problems.push("below minimum");
  return problems;
}

describe("the document is valid OpenAPI 3.1", () => {
  it("has the required top-level fields", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title.length).toBeGreaterThan(3);
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/health", "/api/v1/leads", "/api/v1/leads/{id}", "/api/v1/leads/{id}/events", "/api/v1/sources/{sourceId}/webhook"]);
    for (const path of Object.keys(doc.paths)) expect(path.startsWith("/")).toBe(true);
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { op } of operations()) for (const tag of op.tags) expect(tags.has(tag), `tag ${tag} is declared`).toBe(true);
  });

  it("resolves every $ref", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(40);
    for (const { ref, at } of all) expect(() => resolve(ref), `${ref} at ${at}`).not.toThrow();
  });

  it("gives every operation a unique id, its path parameters, security and described responses", () => {
    const ids = new Set<string>();
    for (const { path, method, op } of operations()) {
      expect(METHODS).toContain(method);
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      expect(op.summary.length).toBeGreaterThan(3);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        expect(response.description.length, `${op.operationId} ${status}`).toBeGreaterThan(5);
      }
      const params = (op.parameters ?? []).map((p) => ("$ref" in p ? (resolve(p.$ref) as ParameterObject) : p));
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(params.filter((p) => p.in === "path").map((p) => p.name).sort()).toEqual(inPath.sort());
      for (const p of params.filter((p) => p.in === "path")) expect(p.required).toBe(true);
      for (const requirement of op.security) {
        for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(scheme);
      }
    }
  });

  it("documents every status code each handler produces, errors as problem details", () => {
    const statuses = Object.fromEntries(operations().map(({ op }) => [op.operationId, Object.keys(op.responses)]));
    expect(statuses).toEqual({
      createLead: ["200", "201", "400", "401", "413", "415", "429", "500"],
      getLead: ["200", "401", "404", "429", "500"],
      recordLeadOutcome: ["200", "201", "400", "401", "404", "409", "413", "415", "429", "500"],
      receiveSourceWebhook: ["200", "201", "400", "401", "403", "404", "413", "415", "429", "500"],
      getHealth: ["200", "503"],
    });
    for (const { op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const types = Object.keys(response.content ?? {});
        if (Number(status) >= 400 && op.operationId !== "getHealth") {
          expect(types).toEqual(["application/problem+json"]);
          expect(componentOf(response.content!["application/problem+json"]!.schema)).toBe("Problem");
        }
        if (status === "429") expect(response.headers).toHaveProperty("Retry-After");
        if (status === "201" && op.operationId !== "recordLeadOutcome") expect(response.headers).toHaveProperty("Location");
        if (status === "200" && (op.operationId === "createLead" || op.operationId === "receiveSourceWebhook")) expect(response.headers).toHaveProperty("Idempotent-Replayed");
      }
    }
  });

  it("documents the webhook's content types and every source kind's headers", () => {
    const webhook = doc.paths["/api/v1/sources/{sourceId}/webhook"]!.post!;
    expect(Object.keys(webhook.requestBody!.content)).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    expect(webhook["x-source-kinds"]!.map((k) => k.kind).sort()).toEqual(["form", "hubspot", "json", "standard_webhooks", "typeform"]);
    const schemes = doc.components.securitySchemes;
    expect(schemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.standardWebhooks).toMatchObject({ type: "apiKey", in: "header", name: "webhook-signature" });
    expect(schemes.hubspotSignatureV3).toMatchObject({ in: "header", name: "X-HubSpot-Signature-v3" });
    expect(schemes.typeformSignature).toMatchObject({ in: "header", name: "Typeform-Signature" });
    expect(schemes.switchyardSignature!.description).toContain("t=<Unix seconds>,v1=");
    const headerParams = (webhook.parameters ?? []).map((p) => resolve((p as Reference).$ref) as ParameterObject).filter((p) => p.in === "header").map((p) => p.name);
    expect(headerParams).toEqual(expect.arrayContaining(["webhook-id", "webhook-timestamp", "X-HubSpot-Request-Timestamp", "Idempotency-Key"]));
  });

  it("keeps component schemas plain JSON Schema 2020-12 (no $schema/$id inside OpenAPI, required fields exist)", () => {
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect(schema, name).not.toHaveProperty("$schema");
      expect(schema, name).not.toHaveProperty("$id");
      expect(typeof schema.description, `${name} is described`).toBe("string");
      const walk = (s: JsonSchema) => {
        if (s.properties) {
          for (const r of (s.required ?? []) as string[]) expect(s.properties, `${name}.${r}`).toHaveProperty(r);
          for (const child of Object.values(s.properties as Record<string, JsonSchema>)) walk(child);
        }
        for (const key of ["anyOf", "oneOf", "allOf"]) for (const b of (s[key] ?? []) as JsonSchema[]) walk(b);
        if (s.items && typeof s.items === "object") walk(s.items as JsonSchema);
      };
      walk(schema);
    }
  });
});

describe("every example validates against its schema", () => {
  it("request, response and schema examples parse with the zod schemas the document is made from", () => {
    let checked = 0;
    for (const { op } of operations()) {
      const media = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({ where: `${op.operationId} request ${type}`, status: undefined, m })),
        ...Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => ({ where: `${op.operationId} ${status} ${type}`, status, m }))),
      ];
      for (const { where, status, m } of media) {
        const schema = COMPONENT_SCHEMAS[componentOf(m.schema)];
        expect(Object.keys(m.examples ?? {}).length, `${where} has examples`).toBeGreaterThan(0);
        for (const [name, example] of Object.entries(m.examples ?? {}) as Array<[string, ExampleObject]>) {
          const parsed = schema.safeParse(example.value);
          expect(parsed.success, `${where} example ${name}: ${parsed.error?.message}`).toBe(true);
          if (status && componentOf(m.schema) === "Problem") expect((example.value as { status: number }).status, `${where} ${name}`).toBe(Number(status));
          checked++;
        }
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const example of (schema.examples ?? []) as unknown[]) {
        const parsed = COMPONENT_SCHEMAS[name as ComponentName].safeParse(example);
        expect(parsed.success, `${name} schema example: ${parsed.error?.message}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("response examples carry exactly the documented fields", () => {
    for (const { op } of operations()) {
      for (const r of Object.values(op.responses)) {
        const m = r.content?.["application/json"];
        if (!m) continue;
        const name = componentOf(m.schema);
        if (name !== "IngestResponse" && name !== "OutcomeResult") continue;
        const strict = z.strictObject(COMPONENT_SCHEMAS[name].shape);
        for (const example of Object.values(m.examples ?? {})) expect(strict.safeParse(example.value).success).toBe(true);
      }
    }
  });

  it("webhook examples become a valid lead with their source kind's default mapping", () => {
    const webhook = doc.paths["/api/v1/sources/{sourceId}/webhook"]!.post!;
    const all = Object.values(webhook.requestBody!.content).flatMap((m) => Object.values(m.examples ?? {}));
    expect(new Set(all.map((e) => e["x-source-kind"]))).toEqual(new Set(["standard_webhooks", "json", "hubspot", "typeform", "form"]));
    for (const example of all) {
      const lead = leadFromWebhook(example["x-source-kind"]!, example.value);
      expect(lead.contact.email ?? lead.contact.phone, example.summary).toBeTruthy();
    }
  });

  it("parameter and header examples match their schemas", () => {
    const scalars = [...Object.values(doc.components.parameters), ...Object.values(doc.components.headers)];
    expect(scalars.length).toBeGreaterThan(8);
    for (const p of scalars) {
      expect(p.example, p.description).toBeDefined();
      expect(checkScalar(p.schema, p.example), `${"name" in p ? String(p.name) : p.description}`).toEqual([]);
    }
  });
});

describe("the document is generated from the zod schemas", () => {
  const schemas = doc.components.schemas;
  const props = (name: string) => schemas[name]!.properties as Record<string, JsonSchema>;

  it("carries LeadInput's descriptions and limits", () => {
    expect(props("LeadInput").message).toMatchObject({ type: "string", maxLength: 10_000, description: LeadInput.shape.message.description });
    expect(props("LeadInput").eventId!.description).toBe(LeadInput.shape.eventId.description);
    expect(props("LeadInput").eventId!.description).toContain("Idempotency-Key");
    const contact = props("LeadInput").contact!.properties as Record<string, JsonSchema>;
    expect(contact.email).toMatchObject({ maxLength: 254, description: "Work email. Either email or phone is required." });
    expect(schemas.LeadInput!.required).toEqual(["contact"]);
    expect(schemas.LeadInput!.additionalProperties).toBe(false);
    expect(props("LeadInput").submittedAt).toMatchObject({ type: "string", format: "date-time" });
  });

  it("carries the outcome types, response enums and problem shape", () => {
    expect(props("OutcomeEventInput").type!.enum).toEqual([...OUTCOME_TYPES]);
    expect(props("OutcomeEventInput").currency!.pattern).toBe("^[A-Z]{3}$");
    expect(props("OutcomeEventInput").reasonCode!.description).toContain("wrong_territory");
    expect(props("IngestResponse").status!.enum).toEqual([...LEAD_STATUSES]);
    expect(schemas.IngestResponse!.required).toEqual(Object.keys(IngestResponse.shape));
    expect(schemas.OutcomeResult!.required).toEqual(Object.keys(OutcomeResult.shape));
    expect(schemas.Problem!.required).toEqual(["type", "title", "status", "detail"]);
    expect(props("Problem").errors).toMatchObject({ type: "object", additionalProperties: { type: "array", items: { type: "string" } } });
    // A schema used inside another is a reference to its component, not a copy.
    expect(props("StandardWebhookEnvelope").data).toEqual({ $ref: "#/components/schemas/LeadInput" });
  });

  it("states the limits the handlers enforce", () => {
    expect(doc.info.description).toContain("±5 minutes");
    expect(doc.info.description).toContain(`${MAX_BODY_BYTES / 1024 / 1024} MiB`);
    expect(doc.info.description).toContain("Retry-After");
    expect(doc.info.description).toContain("Idempotency-Key");
  });

  it("reads back as field rows for the reference page", () => {
    const rows = schemaFields(doc, { $ref: "#/components/schemas/LeadInput" });
    const email = rows.find((r) => r.key === "contact.email")!;
    expect(email).toMatchObject({ depth: 1, required: false, constraints: ["≤ 254 chars"] });
    expect(rows.find((r) => r.key === "contact")).toMatchObject({ depth: 0, required: true });
    expect(rows.find((r) => r.key === "company.employees")!.constraints).toEqual(["integer: ≥ 0, ≤ 10,000,000", "string: ≤ 40 chars"]);
    const rerouted = schemaFields(doc, { $ref: "#/components/schemas/OutcomeResult" }).filter((r) => r.key.startsWith("reroutedTo"));
    expect(rerouted.map((r) => r.name)).toEqual(["reroutedTo", "option 1", "repId", "name", "option 2", "queue"]);
  });

  it("is deterministic", () => {
    const a = JSON.stringify(buildOpenApiDocument());
    const b = JSON.stringify(buildOpenApiDocument());
    expect(a).toBe(b);
    expect(openApiJson()).toBe(a);
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the document publicly, cacheable, with an ETag", async () => {
    const res = getOpenApi(new Request(`${BASE}/api/v1/openapi.json`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    const body = await res.json();
    expect(body).toEqual(doc);
    const etag = res.headers.get("etag")!;
    const again = getOpenApi(new Request(`${BASE}/api/v1/openapi.json`, { headers: { "if-none-match": etag } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });
});

describe("real responses conform to the documented schemas", () => {
  let env: Awaited<ReturnType<typeof createApiTestEnv>>;
  beforeAll(async () => { env = await createApiTestEnv(); });
  afterAll(async () => env?.close());

  const documented = (operationId: string, status: number) => {
    const op = operations().find((o) => o.op.operationId === operationId)!.op;
    expect(Object.keys(op.responses), `${operationId} documents ${status}`).toContain(String(status));
  };
  const strictIngest = z.strictObject(IngestResponse.shape);

  it("POST /api/v1/leads: 201, the 200 replay, and a 400 problem", async () => {
    const body = leadBody();
    const created = await postLead(jsonRequest("/api/v1/leads", body, { "idempotency-key": "openapi-conformance-1" }));
    expect(created.status).toBe(201);
    documented("createLead", 201);
    const first = strictIngest.parse(await created.json());
    expect(z.url().parse(created.headers.get("location"))).toBe(`${BASE}/api/v1/leads/${first.leadId}`);

    const replay = await postLead(jsonRequest("/api/v1/leads", body, { "idempotency-key": "openapi-conformance-1" }));
    expect(replay.status).toBe(200);
    documented("createLead", 200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(strictIngest.parse(await replay.json())).toEqual(first);

    const invalid = await postLead(jsonRequest("/api/v1/leads", { contact: { firstName: "No Email" }, submittedAt: "yesterday" }));
    expect(invalid.status).toBe(400);
    documented("createLead", 400);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    const problem = Problem.parse(await invalid.json());
    expect(problem).toMatchObject({ status: 400, title: "Bad request" });
    expect(Object.keys(problem.errors!)).toEqual(expect.arrayContaining(["contact.email", "submittedAt"]));

    const unauthorized = await postLead(jsonRequest("/api/v1/leads", body, { authorization: "Bearer sy_nope_nope" }));
    documented("createLead", unauthorized.status);
    expect(Problem.parse(await unauthorized.json()).status).toBe(401);
    const wrongType = await postLead(jsonRequest("/api/v1/leads", "email=a@b.co", { "content-type": "application/x-www-form-urlencoded" }));
    documented("createLead", wrongType.status);
    expect(Problem.parse(await wrongType.json()).status).toBe(415);
  });

  it("POST /api/v1/leads accepts the documented request examples and the quick-start leads", async () => {
    const op = doc.paths["/api/v1/leads"]!.post!;
    const examples = [...Object.values(op.requestBody!.content["application/json"]!.examples!).map((e) => e.value), firstLeadExample, firstWebhookLeadExample];
    for (const [i, example] of examples.entries()) {
      const res = await postLead(jsonRequest("/api/v1/leads", example, { "idempotency-key": `openapi-example-${i}` }));
      expect(res.status, JSON.stringify(example)).toBe(201);
      strictIngest.parse(await res.json());
    }
  });

  it("POST /api/v1/leads/{id}/events: 201, the 200 replay, and 404/409 problems", async () => {
    const lead = strictIngest.parse(await (await postLead(jsonRequest("/api/v1/leads", leadBody()))).json());
    const send = (id: string, body: unknown) => postEvent(jsonRequest(`/api/v1/leads/${id}/events`, body), { params: Promise.resolve({ id }) });
    const created = await send(lead.leadId, { type: "first_touch", eventId: "openapi-touch-1" });
    expect(created.status).toBe(201);
    documented("recordLeadOutcome", 201);
    const result = z.strictObject(OutcomeResult.shape).parse(await created.json());
    expect(result).toMatchObject({ leadId: lead.leadId, replayed: false });
    const replay = await send(lead.leadId, { type: "first_touch", eventId: "openapi-touch-1" });
    expect(replay.status).toBe(200);
    documented("recordLeadOutcome", 200);
    expect(z.strictObject(OutcomeResult.shape).parse(await replay.json())).toMatchObject({ eventId: result.eventId, replayed: true });
    const conflict = await send(lead.leadId, { type: "meeting_booked", eventId: "openapi-touch-1" });
    documented("recordLeadOutcome", conflict.status);
    expect(Problem.parse(await conflict.json()).status).toBe(409);
    const missing = await send("00000000-0000-4000-8000-000000000001", { type: "first_touch" });
    documented("recordLeadOutcome", missing.status);
    expect(Problem.parse(await missing.json()).status).toBe(404);
    const invalid = await send(lead.leadId, { type: "rejected" });
    documented("recordLeadOutcome", invalid.status);
    expect(Problem.parse(await invalid.json()).errors).toHaveProperty("reasonCode");
  });

  describe("POST /api/v1/sources/{sourceId}/webhook with the documented examples", () => {
    const webhook = () => doc.paths["/api/v1/sources/{sourceId}/webhook"]!.post!;
    const example = (kind: string) => {
      const all = Object.values(webhook().requestBody!.content).flatMap((m) => Object.values(m.examples ?? {}));
      return all.find((e) => e["x-source-kind"] === kind)!.value;
    };
    const call = (sourceId: string, body: string, headers: Record<string, string>) =>
      postWebhook(new Request(`${BASE}/api/v1/sources/${sourceId}/webhook`, { method: "POST", headers, body }), { params: Promise.resolve({ sourceId }) });
    const actor = () => ({ userId: null, workspaceId: env.workspaceId });

    it("standard_webhooks: 201, the 200 redelivery, 401 and 404 problems", async () => {
      const body = JSON.stringify(example("standard_webhooks"));
      const at = new Date();
      const headers = {
        "content-type": "application/json", "webhook-id": "msg_openapi_1", "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(DEMO_WEBHOOK_SECRET).sign("msg_openapi_1", at, body),
      };
      const created = await call(DEMO_SOURCE_ID, body, headers);
      expect(created.status).toBe(201);
      documented("receiveSourceWebhook", 201);
      strictIngest.parse(await created.json());
      const again = await call(DEMO_SOURCE_ID, body, headers);
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      strictIngest.parse(await again.json());
      const forged = await call(DEMO_SOURCE_ID, body, { ...headers, "webhook-id": "msg_openapi_forged" });
      documented("receiveSourceWebhook", forged.status);
      expect(Problem.parse(await forged.json())).toMatchObject({ status: 401, errors: { signature: ["no valid v1 signature in webhook-signature"] } });
      const unknown = await call("00000000-0000-4000-8000-000000000000", body, headers);
      documented("receiveSourceWebhook", unknown.status);
      expect(Problem.parse(await unknown.json()).status).toBe(404);
    });

    it("hubspot, typeform, json and form: each kind's example is accepted (201)", async () => {
      const hubspot = await createSource(env.db, actor(), { name: "OpenAPI HubSpot", kind: "hubspot", secret: "hubspot-openapi-secret" });
      const hsBody = JSON.stringify(example("hubspot"));
      const ts = String(Date.now());
      const uri = `${BASE}/api/v1/sources/${hubspot.source.id}/webhook`;
      const hsSig = createHmac("sha256", hubspot.secret).update(`POST${uri}${hsBody}${ts}`).digest("base64");
      const hs = await call(hubspot.source.id, hsBody, { "content-type": "application/json", "x-hubspot-signature-v3": hsSig, "x-hubspot-request-timestamp": ts });
      expect(hs.status).toBe(201);
      strictIngest.parse(await hs.json());

      const typeform = await createSource(env.db, actor(), { name: "OpenAPI Typeform", kind: "typeform", secret: "typeform-openapi-secret" });
      const tfBody = JSON.stringify(example("typeform"));
      const tf = await call(typeform.source.id, tfBody, { "content-type": "application/json", "typeform-signature": `sha256=${createHmac("sha256", typeform.secret).update(tfBody).digest("base64")}` });
      expect(tf.status).toBe(201);
      strictIngest.parse(await tf.json());

      const json = await createSource(env.db, actor(), { name: "OpenAPI JSON", kind: "json" });
      const jsonBody = JSON.stringify(example("json"));
      const js = await call(json.source.id, jsonBody, { "content-type": "application/json", "switchyard-signature": switchyardSignature(json.secret, jsonBody, Date.now()) });
      expect(js.status).toBe(201);
      strictIngest.parse(await js.json());

      const form = await createSource(env.db, actor(), { name: "OpenAPI form", kind: "form" });
      const formBody = new URLSearchParams(example("form") as Record<string, string>).toString();
      const fm = await call(form.source.id, formBody, { "content-type": "application/x-www-form-urlencoded", "switchyard-signature": switchyardSignature(form.secret, formBody, Date.now()) });
      expect(fm.status).toBe(201);
      strictIngest.parse(await fm.json());
      const wrongType = await call(form.source.id, jsonBody, { "content-type": "application/json" });
      documented("receiveSourceWebhook", wrongType.status);
      expect(Problem.parse(await wrongType.json()).status).toBe(415);
    });
  });

  it("GET /api/health conforms to HealthResponse", async () => {
    const res = await getHealth();
    documented("getHealth", res.status);
    expect(HealthResponse.parse(await res.json()).ok).toBe(true);
  });
});
