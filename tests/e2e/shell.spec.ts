import { expect, test } from "@playwright/test";

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, database: { ok: true, kind: "pglite" } });
});

test("ops sees the dashboard with real figures and opens a lead's timeline from the list", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Work email").fill("ops@demo.switchyard.dev");
  await page.getByLabel("Password").fill("switchyard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  const tile = page.getByRole("region", { name: "Leads received" });
  await expect(tile.locator(".kpi-value")).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.getByRole("region", { name: "Acceptance" }).locator(".kpi-value")).toHaveText(/%$/);
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
  await expect(page.getByRole("heading", { name: "Leads" })).toBeVisible();
  await expect(page.getByText(/[\d,]+ leads/)).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/leads.png", fullPage: true });
  // Filter by status survives a reload (state lives in the URL).
  await page.getByLabel("Status").selectOption("accepted");
  await expect(page).toHaveURL(/status=accepted/);
  await page.reload();
  await expect(page.getByLabel("Status")).toHaveValue("accepted");
  await page.locator("table.data tbody a.row-link").first().click();
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Rule R\d+ fired → / })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/lead.png", fullPage: true });

  for (const [link, heading] of [["Routing", "Routing"], ["Review", "Review queue"], ["Inbox", "Rep inbox"], ["Settings", "Settings"]] as const) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/${link.toLowerCase()}.png`, fullPage: true });
  }
});
