import { expect, test } from "@playwright/test";
import { leadForMaya, signIn } from "./support";

test("a new lead rings the owner's bell; the bell opens from the keyboard, links to the lead and closes with Escape", async ({ page, request }) => {
  const leadId = await leadForMaya(request, {
    firstName: "Bella", lastName: "Bellring", title: "VP Operations", company: "Chime Logistics", domain: "chime-logistics.com", employees: 1800,
    message: "We'd like a demo and pricing for 40 analysts this month.",
  });
  await signIn(page, "sales@demo.switchyard.dev");
  const bell = page.getByTestId("notification-bell");
  await expect(page.getByTestId("bell-count")).toBeVisible();
  await bell.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Notifications" });
  await expect(dialog).toBeVisible();
  const item = page.getByRole("link", { name: /^New lead for you: Bella Bellring \(Chime Logistics\)/ });
  await expect(item).toBeVisible();

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

  // The notification leads to the lead, whose page shows its SLA clock and the alert's delivery.
  await page.getByRole("link", { name: /^New lead for you: Bella Bellring/ }).click();
  await expect(page).toHaveURL(new RegExp(`/leads/${leadId}$`));
  const clock = page.getByTestId("sla-clock");
  await expect(clock).toContainText("Reminder to the owner");
  await expect(clock.getByTestId("delivery-log")).toContainText("New lead for you: Bella Bellring");
});
