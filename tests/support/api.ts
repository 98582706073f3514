/** Calls the app's route handlers in-process with real Request objects, against a test database. */
import type { DatabaseHandle } from "@/db";
import { seedDemo } from "@/db/seed/demo";
import { DEMO_API_KEY } from "@/db/seed/demo-users";
import { provideDatabase } from "@/server/db";
import { ensureOfflineModels } from "@/server/services/classify/classifier.service";
import { createTestDatabase, type TestDatabase } from "./test-db";

export const BASE = "http://switchyard.test";

/** A migrated test database with a small demo workspace, served to route handlers through getDb(). */
export async function createApiTestEnv(options: { leads?: number; now?: Date; trainClassifier?: boolean } = {}): Promise<TestDatabase & { workspaceId: string }> {
  const t = await createTestDatabase();
  const summary = await seedDemo(t.db, { leads: options.leads ?? 150, now: options.now ?? new Date(Date.now() - 3_600_000) });
  // As at server start: the workspace's offline classifier exists before the first lead (tests stay deterministic).
  if (options.trainClassifier !== false) await ensureOfflineModels(t.db);
  const handle: DatabaseHandle = { db: t.db, kind: t.kind, location: "test", close: t.close };
  provideDatabase(handle);
  return { ...t, workspaceId: summary.workspaceId };
}

export function jsonRequest(path: string, body: unknown, headers: Record<string, string> = {}, method = "POST"): Request {
  return new Request(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${DEMO_API_KEY}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

let counter = 0;
/** A valid lead body; `overrides` are merged shallowly (contact/company deeply). */
export function leadBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const { contact, company, ...rest } = overrides as { contact?: Record<string, unknown>; company?: Record<string, unknown> };
  return {
    contact: { email: `dana.kim.${counter}@brightwave-logistics.com`, firstName: "Dana", lastName: "Kim", title: "VP Operations", ...contact },
    company: { name: "Brightwave Logistics", employees: "1,000-5,000", ...company },
    country: "United States",
    productInterest: "analytics",
    message: "We are evaluating an enterprise rollout for 300 analysts and need SSO and a security review. Can we talk to an account executive?",
    source: "web",
    ...rest,
  };
}
