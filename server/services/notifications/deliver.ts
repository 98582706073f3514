/**
 * The `deliver` job (channels.ts enqueues it): sends one delivery — a Slack message to a team's incoming webhook,
 * or a signed webhook to a CRM or task tool — and records the attempt in the lead's delivery log. A failure (no
 * answer within 10 s, a non-2xx status, an endpoint that no longer exists) is retried with backoff and jitter by the
 * worker; after the last attempt the delivery and its job are dead, listed in Settings with a Retry button.
 *
 * Not transactional (it talks to the outside world): a retry resends the same message with the same id
 * (`webhook-id` for webhooks, in the text's metadata for Slack), so a receiver that saw it already can drop it.
 */
import "server-only";
import type { Kysely } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "@/db/types";
import { decryptSecret } from "../../auth/crypto";
import { env } from "../../env";
import type { JobHandler, JobOutcome } from "../../jobs/worker";
import type { ClaimedJob } from "../../repositories/jobs.repository";
import { signStandardWebhook } from "../ingest/signatures";

const TIMEOUT_MS = 10_000;
/** Deliveries sent at once by one worker. */
const CONCURRENCY = 8;

interface Payload {
  event: string;
  title: string;
  text: string;
  link: string;
  data: Record<string, unknown>;
}

type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent?: boolean };

function absolute(link: string): string {
  const base = (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`).replace(/\/+$/, "");
  return link.startsWith("http") ? link : `${base}${link}`;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused", ECONNRESET: "connection reset", ENOTFOUND: "host not found", EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out", EHOSTUNREACH: "host unreachable", CERT_HAS_EXPIRED: "TLS certificate expired",
};

/** What went wrong on the wire, readable: fetch says only "fetch failed" and puts the reason in `cause`. */
function networkError(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = e.cause?.code ?? e.cause?.errors?.find((x) => x.code)?.code;
  if (code) return `${NETWORK_ERRORS[code] ?? "network error"} (${code})`;
  return e.cause?.message ?? e.message;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Attempt> {
  try {
    const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "user-agent": "Switchyard/1 (+alerts)", ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, status: res.status };
    // 410 Gone: the receiver says the endpoint was removed; retrying cannot help.
    return { ok: false, status: res.status, error: `HTTP ${res.status} ${res.statusText}`.trim(), permanent: res.status === 410 };
  } catch (error) {
    return { ok: false, status: null, error: networkError(error) };
  }
}

async function send(db: Kysely<Database>, d: { channel: string; target: string; event_id: string | null; payload: Payload; workspace_id: string }, now: Date): Promise<Attempt> {
  const p = d.payload;
  if (d.channel === "slack") {
    const team = await db.selectFrom("teams").select(["settings", "name"]).where("id", "=", d.target).executeTakeFirst();
    const stored = (team?.settings as { slackWebhookCiphertext?: unknown } | undefined)?.slackWebhookCiphertext;
    const url = typeof stored === "string" ? decryptSecret(stored) : null;
    if (!url) return { ok: false, status: null, error: "the team has no Slack webhook any more (or it cannot be decrypted)", permanent: true };
    const body = {
      text: `${p.title}\n${p.text}\n<${absolute(p.link)}|Open the lead in Switchyard>`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `*${p.title}*\n${p.text}` } },
        { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open the lead" }, url: absolute(p.link) }] },
        { type: "context", elements: [{ type: "mrkdwn", text: `${p.event} · ${d.event_id ?? ""}` }] },
      ],
    };
    return post(url, JSON.stringify(body), {});
  }
  if (d.channel === "webhook") {
    const hook = await db.selectFrom("outbound_webhooks").select(["url", "secret_ciphertext", "active"]).where("id", "=", d.target).executeTakeFirst();
    if (!hook?.active) return { ok: false, status: null, error: "the webhook endpoint was removed or turned off", permanent: true };
    const secret = decryptSecret(hook.secret_ciphertext);
    if (!secret) return { ok: false, status: null, error: "the endpoint's signing secret cannot be decrypted (AUTH_SECRET changed?)", permanent: true };
    const id = d.event_id ?? "msg_unknown";
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({ type: p.event, timestamp: now.toISOString(), data: { ...p.data, title: p.title, text: p.text, link: absolute(p.link) } });
    return post(hook.url, body, { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signStandardWebhook(secret, id, ts, body) });
  }
  if (d.channel === "email") return sendEmail(d.target, p, d.event_id ?? "msg_unknown");
  return { ok: false, status: null, error: `unknown channel ${d.channel}`, permanent: true };
}

/** One SMTP transport per SMTP_URL (pooled connections), made on first use. */
let transport: { url: string; t: Transporter } | null = null;

async function sendEmail(to: string, p: Payload, id: string): Promise<Attempt> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return { ok: false, status: null, error: "email is not configured (SMTP_URL)", permanent: true };
  if (transport?.url !== SMTP_URL) transport = { url: SMTP_URL, t: nodemailer.createTransport(`${SMTP_URL}${SMTP_URL.includes("?") ? "&" : "?"}connectionTimeout=${TIMEOUT_MS}&greetingTimeout=${TIMEOUT_MS}&socketTimeout=${TIMEOUT_MS}`) };
  try {
    await transport.t.sendMail({
      from: SMTP_FROM, to, subject: p.title, messageId: `<${id}@switchyard>`, headers: { "X-Switchyard-Event": p.event },
      text: `${p.text}\n\nOpen the lead: ${absolute(p.link)}\n\n— Switchyard. Choose which alerts you get by email under the bell, in Switchyard.`,
    });
    return { ok: true, status: 250 };
  } catch (error) {
    const e = error as Error & { responseCode?: number; code?: string };
    // 5xx is the server refusing this message for good (no such mailbox, rejected); anything else may pass later.
    return { ok: false, status: e.responseCode ?? null, error: e.responseCode ? `SMTP ${e.responseCode}: ${e.message}` : networkError(error), permanent: e.responseCode !== undefined && e.responseCode >= 500 };
  }
}

async function deliverOne(db: Kysely<Database>, job: ClaimedJob, now: Date): Promise<JobOutcome> {
  const id = job.payload.deliveryId as string | undefined;
  const d = id ? await db.selectFrom("deliveries").select(["id", "channel", "target", "event_id", "payload", "workspace_id", "status"]).where("id", "=", id).executeTakeFirst() : undefined;
  if (!d || d.status === "delivered") return { id: job.id, ok: true }; // gone, or already through (a retried job)
  const attempt = await send(db, { ...d, payload: d.payload as unknown as Payload }, now);
  const last = !attempt.ok && (attempt.permanent || job.attempts >= job.maxAttempts);
  await db.updateTable("deliveries").set({
    attempts: job.attempts, last_attempt_at: now, response_code: attempt.status,
    status: attempt.ok ? "delivered" : last ? "dead" : "retrying",
    delivered_at: attempt.ok ? new Date() : null,
    last_error: attempt.ok ? null : attempt.error.slice(0, 1000),
  }).where("id", "=", d.id).execute();
  return attempt.ok ? { id: job.id, ok: true } : { id: job.id, ok: false, error: attempt.error, dead: attempt.permanent };
}

export const deliverHandler: JobHandler = {
  transactional: false,
  // A delivery whose worker died on every attempt: its log row says so too.
  onDead: async (db, jobs, now) => {
    const ids = jobs.map((j) => j.payload.deliveryId).filter((x): x is string => typeof x === "string");
    if (!ids.length) return;
    await db.updateTable("deliveries").set({ status: "dead", last_attempt_at: now, last_error: "the worker stopped before finishing, on every attempt" })
      .where("id", "in", ids).where("status", "<>", "delivered").execute();
  },
  run: async (db, jobs, { now }) => {
    const outcomes: JobOutcome[] = [];
    for (let i = 0; i < jobs.length; i += CONCURRENCY) {
      outcomes.push(...(await Promise.all(jobs.slice(i, i + CONCURRENCY).map((j) => deliverOne(db, j, now)))));
    }
    return outcomes;
  },
};
