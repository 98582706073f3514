/**
 * zod schemas the OpenAPI document needs beside the ones the endpoints already own (lib/ingest/lead-input.ts,
 * lib/ingest/mapping.ts, server/services/ingest/responses.ts): the problem-details body every error uses, the
 * health check's answer, and the shapes a webhook source's body may take.
 */
import "server-only";
import { z } from "zod";
import { LeadInput } from "@/lib/ingest/lead-input";
import { DEFAULT_MAPPINGS } from "@/lib/ingest/mapping";

/**
 * RFC 9457 problem details as server/http/problem.ts writes them (application/problem+json). Members beyond these
 * may appear (RFC 9457 extension members), so the object stays open.
 */
export const Problem = z
  .looseObject({
    type: z.string().describe('A URI reference naming the problem type; "about:blank" when the status says it all.'),
    title: z.string().describe('A short summary of the problem type, e.g. "Bad request" or "Malformed JSON".'),
    status: z.number().int().min(400).max(599).describe("The HTTP status code, repeated for convenience."),
    detail: z.string().describe("What went wrong with this request, in a sentence meant for the developer."),
    errors: z
      .record(z.string(), z.array(z.string()).min(1))
      .optional()
      .describe(
        'Field-level errors: the dotted path of the offending field (e.g. "contact.email", a header name such as "idempotency-key", or "" for the body as a whole) → its messages.',
      ),
  })
  .describe("RFC 9457 problem details. Every error response uses this shape with Content-Type application/problem+json.");
export type Problem = z.infer<typeof Problem>;

/** GET /api/health (server/services/health.service.ts `Health`). */
export const HealthResponse = z
  .object({
    ok: z.boolean().describe("True when the database answers."),
    database: z.object({
      ok: z.boolean(),
      kind: z.enum(["pglite", "postgres"]).optional().describe("pglite (embedded) or postgres."),
      latencyMs: z.number().nonnegative().optional().describe("Round trip of `select 1`."),
      error: z.string().optional().describe("Why the database did not answer."),
    }),
    version: z.string().describe("The app's version."),
    time: z.iso.datetime().describe("The server's clock."),
  })
  .describe("Liveness and database reachability. Reveals no data.");
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Standard Webhooks senders often wrap the event as `{ type, data }`; the webhook endpoint unwraps it. */
export const StandardWebhookEnvelope = z
  .object({
    type: z.string().max(200).describe('The event type, e.g. "lead.created". Not interpreted.'),
    data: LeadInput,
  })
  .describe("A Standard Webhooks event envelope whose data is a lead. Any object with `type` and an object `data` is unwrapped.");

/** What a source with a field mapping receives: any JSON object; the mapping reads it (see SourceMapping). */
export const SourcePayload = z
  .record(z.string(), z.unknown())
  .describe(
    "The sender's own JSON (a HubSpot workflow webhook, a Typeform response, a webinar tool…). The source's field mapping (SourceMapping) turns it into a LeadInput, which is then validated exactly like POST /api/v1/leads.",
  );

/** The body a JSON-kind webhook source accepts: a lead, an envelope around one, or any object its mapping reads. */
export const WebhookJsonBody = z
  .union([LeadInput, StandardWebhookEnvelope, SourcePayload])
  .describe(
    "standard_webhooks and json sources without a mapping: a LeadInput, or a { type, data } envelope around one. hubspot, typeform and mapped json sources: the sender's own object, read by the source's mapping.",
  );

const formMapping = DEFAULT_MAPPINGS.form ?? {};

/**
 * An HTML form post, as the default form mapping reads it: one field per entry of DEFAULT_MAPPINGS.form. A source with
 * its own mapping reads other field names, so unknown fields are allowed (and ignored unless mapped).
 */
export const FormLeadFields = z
  .object(
    Object.fromEntries(
      Object.entries(formMapping).map(([target, field]) => [
        String(field),
        z.string().optional().describe(`Mapped to ${target}.`),
      ]),
    ) as Record<string, z.ZodOptional<z.ZodString>>,
  )
  .catchall(z.string())
  .describe(
    "application/x-www-form-urlencoded fields (form sources). With the default mapping these names are read; a source's own mapping may read others. email or phone is required, as in LeadInput.",
  );

/** The Idempotency-Key header as the lead and webhook endpoints check it. */
export const IdempotencyKeyHeader = z.string().min(1).max(200);
