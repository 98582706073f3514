import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** The demo password of every demo user (README's demo section). */
export const DEMO_PASSWORD = "switchyard-demo";

/** Signs in through the form and waits for the signed-in shell. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-chip")).toBeVisible();
}

/** The demo API key (README's demo section). */
export const DEMO_API_KEY = "sy_DEMOdemo_DemoOnlyKeyDoNotUseInProduction000000000";

/**
 * Posts a new lead for Maya Chen (sales@demo…) through the API, routed to her by an explicit owner hint, and
 * returns its id. `company` and `message` vary the lead; the last name finds it in the UI.
 */
export async function leadForMaya(
  request: APIRequestContext,
  lead: { firstName: string; lastName: string; title: string; company: string; domain: string; employees: number; message: string },
): Promise<string> {
  const stamp = Date.now();
  const res = await request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": `e2e-${lead.lastName}-${stamp}` },
    data: {
      contact: { email: `${lead.firstName.toLowerCase()}.${lead.lastName.toLowerCase()}.${stamp}@${lead.domain}`, firstName: lead.firstName, lastName: lead.lastName, title: lead.title },
      company: { name: lead.company, employees: lead.employees },
      country: "United States",
      message: lead.message,
      hints: { ownerEmail: "maya.chen@demo.switchyard.dev" },
    },
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  expect(body.owner?.email).toBe("maya.chen@demo.switchyard.dev");
  return body.leadId as string;
}
