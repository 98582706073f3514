import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

const FIXTURES = path.resolve("tests/fixtures/import");
const SHOTS = "test-results/screenshots";

test("ops uploads a CSV, maps it, previews it, imports it, and sees the rows with errors", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/signin");
  await page.getByLabel("Work email").fill("ops@demo.switchyard.dev");
  await page.getByLabel("Password").fill("switchyard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();

  // Settings → Import CSV
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Import CSV" }).click();
  await expect(page).toHaveURL(/\/settings\/import$/);
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Import CSV" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Upload a CSV file" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Past imports" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/import-1-upload.png`, fullPage: true });

  // 1. Upload: nothing chosen is refused with a message; then the fixture.
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByRole("region", { name: "Upload a CSV file" }).getByRole("alert")).toContainText("Choose a CSV file first");
  await expect(page.getByRole("radio", { name: "Leads", exact: true })).toBeChecked();
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(path.join(FIXTURES, "leads-small.csv"));
  await page.getByRole("button", { name: "Upload and map columns" }).click();

  // 2. Mapping: detected types with samples, suggested columns.
  await expect(page.getByRole("heading", { name: "Map the columns of leads-small.csv" })).toBeVisible();
  await expect(page.getByText("12 rows · 17 columns")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Received at", exact: true })).toHaveValue("col:created_at");
  await expect(page.getByRole("combobox", { name: "Email", exact: true })).toHaveValue("col:email");
  await page.screenshot({ path: `${SHOTS}/import-2-mapping.png`, fullPage: true });
  await page.screenshot({ path: `${SHOTS}/import-2a-mapping-top.png` });

  // The fixture's full mapping as JSON (the route to docs/import-mappings), then one field by hand.
  const mapping = JSON.parse(readFileSync(path.join(FIXTURES, "leads-small.mapping.json"), "utf8")) as { fields: Record<string, unknown> };
  delete mapping.fields.reject_reason;
  await page.getByText("Mapping as JSON").click();
  await page.getByLabel("Mapping JSON", { exact: true }).fill(JSON.stringify(mapping, null, 2));
  await page.getByRole("button", { name: "Apply JSON" }).click();
  await expect(page.getByRole("combobox", { name: "Owner (rep)", exact: true })).toHaveValue("col:owner_email");
  await expect(page.getByRole("combobox", { name: "Reject reason", exact: true })).toHaveValue("");
  await page.getByRole("combobox", { name: "Reject reason", exact: true }).selectOption("col:reject_reason");
  await expect(page.getByRole("group", { name: "Accepted / rejected: value map" }).getByRole("combobox", { name: "Won", exact: true })).toHaveValue("accepted");
  await page.getByRole("group", { name: "Accepted / rejected: value map" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/import-2b-mapping-outcomes.png` });
  await page.getByRole("heading", { name: "Options" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/import-2c-mapping-options.png` });

  // 3. Preview: the first rows, bad ones highlighted with their errors.
  await page.getByRole("button", { name: "Preview 20 rows →" }).click();
  await expect(page.getByRole("heading", { name: "Preview of the first 12 rows" })).toBeVisible();
  await expect(page.getByText("6 ready, 6 with errors")).toBeVisible();
  await expect(page.getByText('No rep has the email "ghost@nowhere.test"')).toBeVisible();
  await expect(page.getByText("Maya Chen <maya.chen@demo.switchyard.dev>").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/import-3-preview.png`, fullPage: true });
  await page.getByText('No rep has the email "ghost@nowhere.test"').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/import-3a-preview-errors.png` });

  // 4. Start: the job view polls until done.
  await page.getByRole("button", { name: "Start import of 12 rows" }).click();
  await expect(page.getByRole("heading", { name: "leads-small.csv" })).toBeVisible();
  await expect(page.getByText("Finished", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "12");
  const errors = page.getByRole("region", { name: "Rows with errors" });
  await expect(errors.getByRole("row")).toHaveCount(9); // header + 8 problems on 6 rows
  await expect(errors.getByText('No rep has the email "ghost@nowhere.test"')).toBeVisible();
  await expect(errors.getByText("The row has 5 of the header's 17 columns")).toBeVisible();
  await expect(page.getByRole("term").filter({ hasText: "Rows with errors" }).locator("xpath=following-sibling::dd")).toHaveText("6");
  await page.screenshot({ path: `${SHOTS}/import-4-job.png`, fullPage: true });

  // The job is listed among past imports, and the leads are there.
  await page.getByRole("link", { name: "All imports" }).click();
  const past = page.getByRole("region", { name: "Past imports" });
  await expect(past.getByRole("link", { name: "leads-small.csv" })).toBeVisible();
  await expect(past.getByText("Finished", { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/import-5-list.png`, fullPage: true });

  await page.goto("/leads?q=acme-fixture");
  await expect(page.getByRole("link", { name: "Dana Kim" })).toBeVisible();
});
