import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_API_KEY, signIn } from "./support";

/** Posts a partner request through the leads API (what a form webhook does) and returns the route it took. */
async function partnerLead(request: APIRequestContext, tag: string): Promise<{ routePath: string; leadId: string }> {
  const stamp = Date.now();
  const res = await request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": `e2e-routing-${tag}-${stamp}` },
    data: {
      contact: { email: `pat.${tag}.${stamp}@resell-example.com`, firstName: "Pat", lastName: `Reseller${tag}` },
      company: { name: "Resell Example", employees: 80 },
      country: "Germany",
      message: "We are a systems integrator and would like to join your reseller partner program.",
      answers: { category: "partner_request" },
    },
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  return { routePath: body.routePath as string, leadId: body.leadId as string };
}

async function editCell(page: Page, ruleId: string, column: string, text: string) {
  await page.getByTestId(`cell-${ruleId}-${column}`).click();
  await page.keyboard.press("Enter");
  await page.getByRole("combobox", { name: `${ruleId} ${column}` }).fill(text);
  await page.keyboard.press("Enter");
}

test("ops edits a rule, fixes a typo, simulates 90 days, publishes; live routing follows and a rollback restores it", async ({ page, request }) => {
  test.setTimeout(180_000);
  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto("/routing");
  await page.getByRole("link", { name: "Edit, test & simulate" }).click();
  await expect(page.getByRole("heading", { name: "Inbound routing" })).toBeVisible();
  await expect(page.getByText(/Live: v1/)).toBeVisible();
  await page.getByRole("button", { name: "Edit in a draft" }).click();
  await expect(page.getByRole("button", { name: "Save draft" })).toBeVisible();

  // A typo (unquoted text) is an error diagnostic on the cell, at once.
  await editCell(page, "R03", "category", "partner_requst");
  await expect(page.getByTestId("cell-R03-category")).toHaveAttribute("data-severity", "error");
  await expect(page.getByTestId("grid-diagnostics")).toContainText("unquoted text");
  await expect(page.getByTestId("error-count")).toHaveText("1 error");
  await page.screenshot({ path: "test-results/routing-typo.png", fullPage: true });
  // Fixed, and partner requests now go to the SDR queue.
  await editCell(page, "R03", "category", "'partner_request'");
  await expect(page.getByTestId("error-count")).toHaveText("No errors");
  await editCell(page, "R03", "route", "sdr-queue");
  await page.getByLabel("Change reason").fill("Partner requests qualified by SDRs first");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await expect(page.getByTestId("check-simulation")).toHaveAttribute("data-ok", "false");
  await expect(page.getByTestId("publish-open")).toBeDisabled();

  // What-if over 90 days of history.
  await page.getByRole("link", { name: "Simulate", exact: true }).click();
  await page.getByRole("button", { name: "90 days" }).click();
  await page.getByRole("button", { name: /Simulate draft v2/ }).click();
  await expect(page.getByTestId("simulation-result")).toBeVisible({ timeout: 90_000 });
  // The production build's bundled worker replayed the draft (playwright.config.ts: SIMULATION_THREAD_MIN_LEADS=0).
  await expect(page.getByTestId("sim-timing")).toHaveAttribute("data-threads", "2");
  const moved = page.getByTestId("flow-partner-sdr-queue");
  await expect(moved).toBeVisible();
  const movedCount = Number((await moved.textContent())!.replace(/,/g, ""));
  expect(movedCount).toBeGreaterThan(0);
  // Every lead R03 sent to Partnerships moves; a few more go to review (the SDR path asks more confidence of the AI).
  expect(Number((await page.getByTestId("sim-changed").textContent())!.replace(/,/g, ""))).toBeGreaterThanOrEqual(movedCount);
  await moved.click();
  await expect(page.getByTestId("flow-leads").locator("tbody tr").first()).toBeVisible();
  await page.screenshot({ path: "test-results/routing-simulation.png", fullPage: true });

  // Publish: every gate passes now.
  await expect(page.getByTestId("check-simulation")).toHaveAttribute("data-ok", "true");
  await page.getByTestId("publish-open").click();
  await page.getByTestId("publish-reason").fill("Partner requests qualified by SDRs first");
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByText(/Live: v2/)).toBeVisible();

  const after = await partnerLead(request, "a");
  expect(after.routePath).toBe("sdr-queue");

  // Roll back to v1 (as a new version, v3): the old routing is back.
  await page.getByRole("link", { name: "Versions & audit" }).click();
  await page.getByTestId("rollback-v1").click();
  await page.getByLabel("Why").fill("Partners asked for their own manager");
  await page.getByRole("button", { name: "Roll back", exact: true }).click();
  await expect(page.getByText(/Live: v3/)).toBeVisible();
  await expect(page.getByTestId("audit")).toContainText("Rolled back to v1 as v3");
  await page.screenshot({ path: "test-results/routing-versions.png", fullPage: true });
  const restored = await partnerLead(request, "b");
  expect(restored.routePath).toBe("partner");
});
