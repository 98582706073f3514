import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the bell opens the user's notifications from the keyboard and closes with Escape", async ({ page }) => {
  await signIn(page, "sales@demo.switchyard.dev");
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toBeVisible();
  await bell.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Notifications" });
  await expect(dialog).toBeVisible();
  // A fresh demo has no SLA events yet: the empty state says what will show up here.
  await expect(page.getByTestId("notification-list")).toContainText(/Nothing yet|SLA/);
  // The user's own alert settings: email off, saved, still off when the dialog opens again.
  const email = page.getByLabel("Also email me these alerts");
  await expect(email).toBeChecked();
  await email.uncheck();
  await expect(page.getByLabel("Hold emails outside my team's working hours")).toBeDisabled();
  await page.screenshot({ path: "test-results/notifications.png" });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(bell).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Also email me these alerts")).not.toBeChecked();
});
