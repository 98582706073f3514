import { expect, test } from "@playwright/test";
import { signIn } from "./support";


test("ops sees how leads are classified, retrains and evaluates the offline model, and tries a text", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "ops@demo.switchyard.dev");
  await page.goto("/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Classification" }).click();
  await expect(page.getByRole("heading", { name: "How leads are classified" })).toBeVisible();
  const chain = page.getByRole("list", { name: "Classifier chain" });
  await expect(chain).toContainText("not configured");
  await expect(chain).toContainText(/Offline model · trained .* on [\d,]+ texts/);

  // Retrain with a 5-fold evaluation: figures, the triage curve and the recommended threshold appear.
  await page.getByRole("button", { name: "Retrain and evaluate" }).click();
  await expect(page.getByRole("status").filter({ hasText: /5-fold accuracy \d+\.\d%/ })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText("Accuracy (5-fold)")).toBeVisible();
  await expect(page.getByText("Recommended threshold")).toBeVisible();
  await expect(page.locator(".recharts-line")).toHaveCount(2);
  await page.screenshot({ path: "test-results/screenshots/settings-classification.png", fullPage: true });

  // A bad taxonomy key is refused with a field error and nothing changes.
  await page.getByRole("button", { name: "Add category" }).click();
  const rows = page.getByRole("textbox", { name: /^Key of category/ });
  const last = rows.last();
  await last.fill("Bad Key!");
  await page.getByRole("textbox", { name: /^Label of category/ }).last().fill("Bad");
  await page.getByRole("button", { name: "Save taxonomy" }).click();
  await expect(page.getByText(/lower-case letters, digits and _/)).toBeVisible();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(rows).toHaveCount(8);

  // Try a text through the chain.
  await page.getByLabel("Inquiry text").fill("Hi, I'm a student writing my thesis, is there a free version I can use?");
  await page.getByRole("button", { name: "Classify", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /Low fit · \d+% confidence/ })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "by Offline model" })).toBeVisible();
});

test("the rep's inbox shows what each lead wants: category, confidence, briefing and the classifier", async ({ page }) => {
  await signIn(page, "sales@demo.switchyard.dev");
  await expect(page.getByRole("heading", { name: "My inbox" })).toBeVisible();
  const table = page.locator("table.data");
  await expect(table.getByRole("columnheader", { name: "What they want" })).toBeVisible();
  await expect(table.locator("tbody tr").first()).toContainText(/by (Offline model|Form answer|Corrected by ops|Keyword rules)/);
  await expect(table.locator("tbody tr").first()).toContainText(/\d+%/);
  await expect(table.locator("tbody tr").first().locator(".clamp-2").first()).toContainText(/^Reads as /);
  await page.screenshot({ path: "test-results/screenshots/inbox.png", fullPage: true });
});
