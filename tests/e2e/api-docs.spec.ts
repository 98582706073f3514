import { expect, test } from "@playwright/test";

test("the API reference is public: operations listed, anchors followed from the keyboard, schemas tabled", async ({ page }) => {
  await page.goto("/api-docs");
  await expect(page).toHaveURL(/\/api-docs$/); // no redirect to sign-in
  await expect(page.getByRole("heading", { level: 1, name: "Switchyard inbound API" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "API reference" });
  for (const name of [/Send a lead/, /Record an outcome event/, /Receive a lead from a webhook source/, /Check health/]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "POST /api/v1/leads", exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/api-docs.png" });

  // Keyboard: focus the sidebar link and follow it with Enter.
  await nav.getByRole("link", { name: /Record an outcome event/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#op-recordLeadOutcome$/);
  const operation = page.locator("#op-recordLeadOutcome");
  await expect(operation.getByRole("heading", { name: "POST /api/v1/leads/{id}/events" })).toBeInViewport();
  const fields = operation.getByRole("table", { name: /application\/json fields \(OutcomeEventInput\)/ });
  await expect(fields.getByRole("row", { name: /reasonCode/ })).toContainText("wrong_territory");
  await expect(operation.getByRole("heading", { name: /^409 The event conflicts/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/api-docs-operation.png" });

  // A type that is another schema links to it.
  await page.locator("#op-receiveSourceWebhook").getByRole("link", { name: "StandardWebhookEnvelope" }).first().click();
  await expect(page).toHaveURL(/#schema-StandardWebhookEnvelope$/);
  await expect(page.locator("#schema-StandardWebhookEnvelope").getByRole("heading", { name: "StandardWebhookEnvelope" })).toBeInViewport();
});

test("the OpenAPI document is served without sign-in", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  const doc = await res.json();
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/leads", "/api/v1/leads/{id}/events", "/api/v1/sources/{sourceId}/webhook", "/api/health"]));
});
