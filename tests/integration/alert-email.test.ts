/**
 * Email alerts over SMTP (nodemailer) against an smtp-server on 127.0.0.1: the owner's "New lead for you" arrives as
 * mail while their team's calendar is open; at night it waits for the calendar to open (quiet hours) while the bell
 * has it at once; a user who turned email off gets none; a mailbox the server refuses (550) is dead at once.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { LeadInput } from "@/lib/ingest/lead-input";
import { resetEnvCache } from "@/server/env";
import { jobHandlers } from "@/server/jobs/handlers";
import { JobWorker } from "@/server/jobs/worker";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { clearRoutingContextCache } from "@/server/services/ingest/routing-context";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

interface Mail { from: string; to: string[]; raw: string }

let t: TestDatabase;
let workspaceId: string;
let smtp: SMTPServer;
const mails: Mail[] = [];
let clock = new Date("2026-05-05T14:00:00Z"); // Tuesday 10:00 in New York
const worker = () => new JobWorker(t.db, { handlers: jobHandlers, now: () => clock, workerId: "email-test", random: () => 0 });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("gone@")) cb(Object.assign(new Error("5.1.1 No such mailbox"), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        // Quoted-printable soft line breaks undone, so long lines (the lead's link) read whole.
        const raw = Buffer.concat(chunks).toString("utf8").replace(/=\r?\n/g, "");
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.SMTP_FROM = "Switchyard Alerts <alerts@demo.switchyard.dev>";
  resetEnvCache();
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: new Date("2026-05-01T00:00:00Z"), leads: 200, days: 10 });
  clearRoutingContextCache();
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
}, 240_000);
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.SMTP_FROM;
  resetEnvCache();
  await t?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

async function ingest(n: number) {
  return ingestLead({ db: t.db, now: () => clock }, {
    workspaceId, sourceId: null, idempotencyKey: null, raw: {},
    input: LeadInput.parse({
      contact: { email: `mail${n}@bigbank-example.com`, firstName: "Mia", lastName: `Mailer${n}` }, company: { name: "BigBank", employees: 8000 },
      country: "US", message: "Demo for 300 seats.", answers: { category: "sales_enterprise" }, hints: { ownerEmail: "maya.chen@demo.switchyard.dev" },
    }),
  });
}

const emailsOf = (leadId: string) => t.db.selectFrom("deliveries").select(["target", "status", "next_attempt_at", "last_error", "attempts"]).where("lead_id", "=", leadId).where("channel", "=", "email").execute();

describe("email alerts", () => {
  it("mails the owner while their team's calendar is open", async () => {
    const lead = await ingest(1);
    await worker().drain();
    const sent = mails.filter((m) => m.raw.includes(`Mailer1`));
    expect(sent.length).toBe(1);
    expect(sent[0]!.to).toEqual(["sales@demo.switchyard.dev"]); // Maya Chen's sign-in
    expect(sent[0]!.from).toBe("alerts@demo.switchyard.dev");
    expect(sent[0]!.raw).toMatch(/Subject: New lead for you: Mia Mailer1 \(BigBank\)/);
    expect(sent[0]!.raw).toContain(`/leads/${lead.leadId}`);
    expect((await emailsOf(lead.leadId)).map((d) => [d.status, d.attempts])).toEqual([["delivered", 1]]);
  });

  it("holds it outside working hours (quiet hours) while the bell has it at once", async () => {
    clock = new Date("2026-05-09T02:00:00Z"); // Friday 22:00 in New York
    const lead = await ingest(2);
    const [email] = await emailsOf(lead.leadId);
    expect(new Date(email!.next_attempt_at!).toISOString()).toBe("2026-05-11T12:00:00.000Z"); // Monday 08:00 EDT
    const bell = await t.db.selectFrom("notifications").select("kind").where("lead_id", "=", lead.leadId).execute();
    expect(bell.map((b) => b.kind)).toEqual(["lead_assigned"]);
    await worker().drain();
    expect(mails.some((m) => m.raw.includes("Mailer2"))).toBe(false);
    clock = new Date("2026-05-11T12:00:00Z");
    await worker().drain();
    expect(mails.filter((m) => m.raw.includes("Mailer2")).length).toBe(1);
  });

  it("sends none to a user who turned email off; a refused mailbox is dead at once", async () => {
    clock = new Date("2026-05-12T14:00:00Z");
    const maya = await t.db.selectFrom("users").select(["id", "preferences"]).where("email", "=", "sales@demo.switchyard.dev").executeTakeFirstOrThrow();
    await t.db.updateTable("users").set({ preferences: json({ ...maya.preferences, alerts: { email: false } }) }).where("id", "=", maya.id).execute();
    const quiet = await ingest(3);
    expect(await emailsOf(quiet.leadId)).toEqual([]);

    await t.db.updateTable("users").set({ preferences: json({}), email: "gone@demo.switchyard.dev" }).where("id", "=", maya.id).execute();
    const refused = await ingest(4);
    await worker().drain();
    const [d] = await emailsOf(refused.leadId);
    expect(d!.status).toBe("dead");
    expect(d!.attempts).toBe(1);
    expect(d!.last_error).toMatch(/^SMTP 550/);
    await t.db.updateTable("users").set({ email: "sales@demo.switchyard.dev" }).where("id", "=", maya.id).execute();
  });
});
