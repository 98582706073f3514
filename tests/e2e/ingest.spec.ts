import { expect, test } from "@playwright/test";
import { DEMO_API_KEY, signIn } from "./support";

const API_KEY = DEMO_API_KEY;


test("a lead posted to the API is routed, and its page explains why — with hostile text rendered as text", async ({ page, request }) => {
  const evil = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
  const res = await request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${API_KEY}`, "idempotency-key": `e2e-${Date.now()}` },
    data: {
      contact: { email: `e2e.${Date.now()}@summit-robotics.com`, firstName: evil, lastName: "Okafor", title: "VP Engineering" },
      company: { name: "Summit Robotics", employees: 2500 },
      country: "United States",
      message: `We are rolling out analytics company-wide for 2,500 employees and need an enterprise agreement with SSO, SCIM and a security review before procurement signs. Please send a quote. ${evil}`,
    },
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  expect(body.routePath).toBe("ae-direct");

  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto(`/leads/${body.leadId}`);
  await expect(page.getByRole("heading", { name: "Why it was routed here" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Rule R\d+ fired → ae-direct/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Assigned to / })).toBeVisible();
  await expect(page.getByText(/Please send a quote\. <img src=x/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await page.getByText(/Why the \d+ earlier rules? did not match/).click();
  await expect(page.getByText(/was sales_enterprise, needed/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/lead-trace.png", fullPage: true });
});

test("ops creates an API key that is shown once and works against the API", async ({ page, request }) => {
  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto("/settings/inbound");
  await page.getByLabel("New key name").fill("E2E key");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("shown-secret").textContent())!.trim();
  expect(key).toMatch(/^sy_[A-Za-z0-9]{8}_[A-Za-z0-9]{40}$/);
  await page.screenshot({ path: "test-results/screenshots/settings-inbound.png", fullPage: true });
  const ok = await request.post("/api/v1/leads", { headers: { authorization: `Bearer ${key}` }, data: { contact: { email: `k.${Date.now()}@cedar-labs.io` }, message: "pricing please" } });
  expect(ok.status()).toBe(201);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("shown-secret")).toHaveCount(0);
  // Revoke it: the API refuses it at once.
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("row", { name: /E2E key/ }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: /E2E key/ }).getByText("Revoked")).toBeVisible();
  const refused = await request.post("/api/v1/leads", { headers: { authorization: `Bearer ${key}` }, data: { contact: { email: "x@cedar-labs.io" } } });
  expect(refused.status()).toBe(401);
});

test("ops works the review queue: a lead with no eligible owner is assigned by hand", async ({ page, request }) => {
  // The demo's UK&I account executive is out of office: UK enterprise leads have no eligible owner.
  const res = await request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: { contact: { email: `uk.${Date.now()}@granite-bank.co.uk`, firstName: "Sam", lastName: "Hale" }, company: { name: "Granite Bank", employees: 5000 }, country: "United Kingdom", message: "Enterprise RFP: we need SSO and a security review" },
  });
  const body = await res.json();
  expect(body.status).toBe("in_review");
  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto("/review?reason=no_eligible_owner");
  const row = page.getByRole("row", { name: /Sam Hale/ }).first();
  await expect(row.getByText(/No eligible rep for AE direct/)).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/review.png", fullPage: true });
  await row.getByLabel(/Assign .* to/).selectOption({ label: "Lukas Weber" });
  await row.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByRole("status")).toContainText("Assigned");
  await page.goto(`/leads/${body.leadId}`);
  await expect(page.getByText("Lukas Weber").first()).toBeVisible();
});
