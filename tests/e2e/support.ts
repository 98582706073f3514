import { expect, type Page } from "@playwright/test";

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
