import { expect, test, type Browser, type Page } from "@playwright/test";
import { leadForMaya, signIn } from "./support";

async function wrongAssignment(page: Page): Promise<{ wrong: number; assigned: number; rate: string }> {
  await page.goto("/dashboard");
  const numerator = page.getByTestId("kpi-wrong-numerator");
  await expect(numerator).toBeVisible();
  return {
    wrong: Number(await numerator.getAttribute("data-value")),
    assigned: Number(await page.getByTestId("kpi-wrong-denominator").getAttribute("data-value")),
    rate: (await page.getByTestId("kpi-wrong-value").textContent()) ?? "",
  };
}

async function asUser(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

test("a growth user reads the KPIs, drills into a route path and its leads, and the filters survive a reload", async ({ page }) => {
  await signIn(page, "growth@demo.switchyard.dev");
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  for (const name of ["Speed to lead", "SLA breach rate", "Wrong assignment", "Acceptance", "Meeting rate", "Pipeline created", "Manual triage", "Leads received"]) {
    await expect(page.getByRole("region", { name, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId("kpi-volume-value")).toHaveText(/^\d[\d,]*$/);
  await expect(page.getByTestId("kpi-sla-value")).toHaveText(/^\d+\.\d%$/);
  const table = page.getByTestId("breakdown-table");
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await page.getByRole("img", { name: /Leads received per day/ }).waitFor();
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });

  // The route path table sorts by a column, and its numbers lead to the leads behind them.
  const aeRow = table.locator('tr[data-row-key="ae-direct"]');
  const aeVolume = Number(((await aeRow.locator("td").nth(1).textContent()) ?? "").replace(/,/g, ""));
  expect(aeVolume).toBeGreaterThan(0);
  // Numbers sort largest first; a second click reverses.
  await table.getByRole("button", { name: /SLA breach/ }).click();
  await expect(table.getByRole("columnheader", { name: /SLA breach/ })).toHaveAttribute("aria-sort", "descending");
  const slaColumn = await table.getByRole("columnheader").evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes("SLA breach")));
  const rates = (await table.locator(`tbody tr td:nth-child(${slaColumn + 1})`).allTextContents()).map((t) => parseFloat(t)).filter((n) => !Number.isNaN(n));
  expect(rates.length).toBeGreaterThan(1);
  expect(rates).toEqual([...rates].sort((a, b) => b - a));
  await table.getByRole("button", { name: /SLA breach/ }).click();
  await expect(table.getByRole("columnheader", { name: /SLA breach/ })).toHaveAttribute("aria-sort", "ascending");

  await aeRow.getByRole("link", { name: "AE direct" }).click();
  await expect(page).toHaveURL(/\/leads\?.*route=ae-direct/);
  await expect(page.getByTestId("drill-note")).toContainText("route path AE direct");
  await expect(page.getByText(`${aeVolume.toLocaleString("en-US")} leads`, { exact: true })).toBeVisible();
  // …and every lead to its decision trace.
  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: /Decision trace|Why it was routed/i }).first()).toBeVisible();

  // Filters live in the URL: a period and a route path survive a reload.
  await page.goto("/dashboard");
  await page.getByRole("group", { name: "Period" }).getByRole("button", { name: "90 days" }).click();
  await page.getByRole("button", { name: /Route path: All/ }).click();
  await page.getByRole("group", { name: "Route path" }).getByLabel("SDR queue").check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/range=90d/);
  await expect(page).toHaveURL(/route=sdr-queue/);
  await page.reload();
  await expect(page.getByRole("group", { name: "Period" }).getByRole("button", { name: "90 days" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: /Route path: SDR queue/ })).toBeVisible();
  await expect(page.getByTestId("breakdown-table").locator("tbody tr")).toHaveCount(1);
});

test("a sales rep's wrong-territory rejection moves the dashboard's wrong-assignment figure by one lead", async ({ browser, request }) => {
  await leadForMaya(request, {
    firstName: "Sam", lastName: "Misrouted", title: "VP Operations", company: "Fjordline Logistics", domain: "fjordline-logistics.com", employees: 900,
    message: "Looking for a demo for our ops analysts next week.",
  });
  const growth = await asUser(browser, "growth@demo.switchyard.dev");
  const before = await wrongAssignment(growth);

  const sales = await asUser(browser, "sales@demo.switchyard.dev");
  const row = sales.getByRole("row", { name: /Sam Misrouted, assigned/ });
  await row.getByRole("button", { name: "Reject" }).click();
  const dialog = sales.getByRole("dialog", { name: "Reject lead" });
  await dialog.getByLabel("Reason").selectOption("wrong_territory");
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(sales.getByRole("status")).toContainText("Rejected: Sam Misrouted");

  const after = await wrongAssignment(growth);
  expect(after.wrong).toBe(before.wrong + 1);
  expect(after.assigned).toBe(before.assigned);
  expect(after.rate).toBe(`${((100 * after.wrong) / after.assigned).toFixed(1)}%`);

  // The wrong-assigned drill-down lists the lead.
  await growth.getByRole("link", { name: "Wrongly assigned leads" }).click();
  await expect(growth.getByTestId("drill-note")).toContainText("Wrongly assigned leads");
  await growth.getByLabel("Search leads").fill("Misrouted");
  await growth.getByRole("button", { name: "Search" }).click();
  await expect(growth.getByRole("link", { name: "Sam Misrouted" })).toBeVisible();
});

test("ops edits a target with field-level validation and the tile shows it", async ({ page }) => {
  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Edit targets" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit targets" });
  await dialog.getByLabel("Wrong-assignment rate ≤").fill("140");
  await dialog.getByRole("button", { name: "Save targets" }).click();
  await expect(dialog.getByText("Between 0 and 100%.")).toBeVisible();
  await dialog.getByLabel("Wrong-assignment rate ≤").fill("8");
  await dialog.getByRole("button", { name: "Save targets" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("region", { name: "Wrong assignment", exact: true })).toContainText("target ≤ 8%");
});
