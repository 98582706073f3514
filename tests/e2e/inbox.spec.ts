import { expect, test, type APIRequestContext } from "@playwright/test";
import { leadForMaya, signIn } from "./support";

/** A new lead for Maya Chen, from a data lead at an energy company asking for a demo. */
const mayaLead = (request: APIRequestContext, lastName: string) => leadForMaya(request, {
  firstName: "Pat", lastName, title: "Head of Data", company: "Northpeak Energy", domain: "northpeak-energy.com", employees: 1800,
  message: "We'd like a demo and pricing for 40 analysts this month.",
});

test("a rep accepts one lead with a click and rejects another from the keyboard as wrong territory, which re-routes it", async ({ page, request }) => {
  await mayaLead(request, "Acceptor");
  await mayaLead(request, "Rejectee");
  await signIn(page, "sales@demo.switchyard.dev");
  await expect(page.getByRole("heading", { name: "My inbox" })).toBeVisible();

  const accepted = page.getByRole("row", { name: /Pat Acceptor, assigned/ });
  await accepted.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("Accepted: Pat Acceptor.");
  await expect(page.getByRole("row", { name: /Pat Acceptor, accepted/ }).getByRole("button", { name: "Touched" })).toBeVisible();

  const rejected = page.getByRole("row", { name: /Pat Rejectee, assigned/ });
  await rejected.focus();
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject lead" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(dialog.getByText("a reject reason is required")).toBeVisible();
  await dialog.getByLabel("Reason").selectOption("wrong_territory");
  await page.screenshot({ path: "test-results/screenshots/inbox-reject.png" });
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("status")).toContainText(/Rejected: Pat Rejectee (and re-routed it to .+|and sent it to the .+ queue)\./);
  await expect(page.getByRole("row", { name: /Pat Rejectee/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screenshots/inbox-actions.png" });
});
